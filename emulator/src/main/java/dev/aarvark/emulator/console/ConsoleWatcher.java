package dev.aarvark.emulator.console;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Watches the guest console for the command line's {@code --expect} and {@code --fail} patterns
 * (CI smoke boots: "boot, expect a line, exit with a status").
 *
 * <p>Semantics: expect patterns must appear in the given order; each is searched in the text after
 * the previous one's match, line by line (a pattern never spans a line break). The current,
 * unfinished line is searched too, so a prompt without a newline can be expected. A fail pattern
 * matches anywhere. The first fail match, or the match of the last expect pattern, is the outcome;
 * nothing is reported twice.
 *
 * <p>Bounds: the unfinished line is kept up to {@link #MAX_LINE} characters; a longer line is
 * searched and then cut to its last {@link #MAX_LINE}/2 characters, so output without newlines
 * cannot grow memory.
 */
public final class ConsoleWatcher {
    /** Longest unfinished line kept. */
    public static final int MAX_LINE = 8192;

    /** What the watcher reports. */
    public interface Listener {
        /** Expect pattern {@code index} matched {@code matchedText} (vCPU thread). */
        void expectMatched(int index, String pattern, String matchedText, long nanos);

        /** All expect patterns matched. */
        void allExpectsMatched(long nanos);

        /** A fail pattern matched. */
        void failMatched(String pattern, String line, long nanos);
    }

    private final List<Pattern> expects;
    private final List<Pattern> fails;
    private final Listener listener;
    private final long startNanos;
    private final StringBuilder line = new StringBuilder();
    private int searchFrom;
    private int nextExpect;
    private boolean done;
    private final List<Long> expectTimes = new ArrayList<>();

    public ConsoleWatcher(List<Pattern> expects, List<Pattern> fails, Listener listener, long startNanos) {
        this.expects = List.copyOf(expects);
        this.fails = List.copyOf(fails);
        this.listener = listener;
        this.startNanos = startNanos;
    }

    /** Feeds console bytes (interpreted as UTF-8; malformed bytes become U+FFFD). */
    public void feed(byte[] data, int off, int len) {
        if (done || (expects.isEmpty() && fails.isEmpty())) {
            return;
        }
        String text = new String(data, off, len, StandardCharsets.UTF_8);
        int start = 0;
        for (int i = 0; i < text.length() && !done; i++) {
            char c = text.charAt(i);
            if (c == '\n') {
                line.append(text, start, i);
                scan();
                line.setLength(0);
                searchFrom = 0;
                start = i + 1;
            }
        }
        if (!done && start < text.length()) {
            line.append(text, start, text.length());
            if (line.length() > MAX_LINE) {
                scan();
                int cut = line.length() - MAX_LINE / 2;
                line.delete(0, cut);
                searchFrom = Math.max(0, searchFrom - cut);
            }
        }
    }

    /** The guest stopped printing for now: search the unfinished line too. */
    public void outputPaused() {
        if (!done && line.length() > searchFrom) {
            scan();
        }
    }

    private void scan() {
        long now = System.nanoTime() - startNanos;
        for (Pattern f : fails) {
            if (f.matcher(line).find()) {
                done = true;
                listener.failMatched(f.pattern(), line.toString(), now);
                return;
            }
        }
        while (nextExpect < expects.size()) {
            Matcher m = expects.get(nextExpect).matcher(line);
            if (!m.find(searchFrom)) {
                return;
            }
            searchFrom = m.end();
            expectTimes.add(now);
            listener.expectMatched(nextExpect, expects.get(nextExpect).pattern(), m.group(), now);
            nextExpect++;
            if (nextExpect == expects.size()) {
                done = true;
                listener.allExpectsMatched(now);
                return;
            }
        }
    }

    /** How many expect patterns have matched. */
    public int expectsMatched() {
        return nextExpect;
    }

    /** Nanoseconds from start to each expect match so far. */
    public List<Long> expectTimes() {
        return List.copyOf(expectTimes);
    }
}
