package dev.aarvark.emulator.console;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleWatcherTest {
    private final List<String> events = new ArrayList<>();

    private ConsoleWatcher watcher(List<String> expects, List<String> fails) {
        return new ConsoleWatcher(expects.stream().map(Pattern::compile).toList(),
                fails.stream().map(Pattern::compile).toList(), new ConsoleWatcher.Listener() {
            @Override
            public void expectMatched(int index, String pattern, String matchedText, long nanos) {
                events.add("expect " + index + " " + matchedText);
            }

            @Override
            public void allExpectsMatched(long nanos) {
                events.add("all");
            }

            @Override
            public void failMatched(String pattern, String line, long nanos) {
                events.add("fail " + line);
            }
        }, System.nanoTime());
    }

    private static void feedBytewise(ConsoleWatcher w, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
            w.feed(b, i, 1);
        }
    }

    @Test
    void expectsMustAppearInOrder() {
        ConsoleWatcher w = watcher(List.of("B", "A"), List.of());
        feedBytewise(w, "A first\nthen B\nand A again\n");
        assertEquals(List.of("expect 0 B", "expect 1 A", "all"), events);
    }

    @Test
    void twoExpectsOnOneLineMatchLeftToRight() {
        ConsoleWatcher w = watcher(List.of("one", "two"), List.of());
        feedBytewise(w, "two one two\n");
        assertEquals(List.of("expect 0 one", "expect 1 two", "all"), events);
    }

    @Test
    void aPromptWithoutNewlineCanBeExpected() {
        ConsoleWatcher w = watcher(List.of("/ # $"), List.of());
        feedBytewise(w, "boot\n/ # ");
        assertEquals(List.of(), events, "not before the output pauses");
        w.outputPaused();
        assertEquals(List.of("expect 0 / # ", "all"), events);
    }

    @Test
    void failPatternEndsWatchingAndIsReportedOnce() {
        ConsoleWatcher w = watcher(List.of("READY"), List.of("Kernel panic"));
        feedBytewise(w, "Kernel panic - not syncing\nKernel panic again\nREADY\n");
        assertEquals(List.of("fail Kernel panic - not syncing"), events, "the whole line is reported, once");
    }

    @Test
    void aLineWithoutNewlinesDoesNotGrowWithoutBound() {
        ConsoleWatcher w = watcher(List.of("NEVER"), List.of());
        byte[] chunk = "x".repeat(1000).getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < 10_000; i++) {
            w.feed(chunk, 0, chunk.length);
        }
        feedBytewise(w, "NEVER");
        w.outputPaused();
        assertTrue(events.contains("all"), events.toString());
    }

    @Test
    void aNumberStillBeingPrintedIsNotMatchedHalfWay() {
        ConsoleWatcher w = watcher(List.of("status [0-9]+"), List.of());
        feedBytewise(w, "status 4");
        w.outputPaused();
        assertEquals(List.of("expect 0 status 4", "all"), events, "a pause ends the number as far as anyone can tell");
        events.clear();
        ConsoleWatcher w2 = watcher(List.of("status [0-9]+"), List.of());
        feedBytewise(w2, "status 42\n");
        assertEquals(List.of("expect 0 status 42", "all"), events);
    }

    @Test
    void patternsAreRegularExpressions() {
        ConsoleWatcher w = watcher(List.of("exit status [0-9]+"), List.of());
        feedBytewise(w, "exit status 42\n");
        assertEquals(List.of("expect 0 exit status 42", "all"), events);
    }
}
