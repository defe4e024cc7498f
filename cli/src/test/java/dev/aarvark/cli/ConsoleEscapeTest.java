package dev.aarvark.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class ConsoleEscapeTest {
    private final ByteArrayOutputStream guest = new ByteArrayOutputStream();
    private final List<String> events = new ArrayList<>();
    private final ConsoleEscape.Actions actions = new ConsoleEscape.Actions() {
        @Override
        public void toGuest(byte[] data, int off, int len) {
            guest.write(data, off, len);
        }

        @Override
        public void quit() {
            events.add("quit");
        }

        @Override
        public void help() {
            events.add("help");
        }
    };

    @Test
    void ordinaryBytesPassThrough() {
        new ConsoleEscape().feed("ls -l\r".getBytes(), 0, 6, actions);
        assertEquals("ls -l\r", guest.toString());
        assertEquals(List.of(), events);
    }

    @Test
    void ctrlAThenXQuitsAndDropsTheRest() {
        byte[] in = {'a', 1, 'x', 'b'};
        new ConsoleEscape().feed(in, 0, in.length, actions);
        assertEquals("a", guest.toString());
        assertEquals(List.of("quit"), events);
    }

    @Test
    void theEscapeMaySpanTwoReads() {
        ConsoleEscape e = new ConsoleEscape();
        e.feed(new byte[] {'a', 1}, 0, 2, actions);
        e.feed(new byte[] {'x'}, 0, 1, actions);
        assertEquals(List.of("quit"), events);
    }

    @Test
    void doubleCtrlASendsOneCtrlA() {
        byte[] in = {1, 1, 'z'};
        new ConsoleEscape().feed(in, 0, in.length, actions);
        assertArrayEquals(new byte[] {1, 'z'}, guest.toByteArray());
    }

    @Test
    void ctrlAThenHPrintsHelpAndContinues() {
        byte[] in = {1, 'h', 'q'};
        new ConsoleEscape().feed(in, 0, in.length, actions);
        assertEquals(List.of("help"), events);
        assertEquals("q", guest.toString());
    }
}
