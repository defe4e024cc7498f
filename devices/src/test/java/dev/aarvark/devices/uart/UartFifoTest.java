package dev.aarvark.devices.uart;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;

import org.junit.jupiter.api.Test;

class UartFifoTest {
    @Test
    void entriesComeOutInOrderAcrossTheRingBoundary() {
        UartFifo fifo = new UartFifo(4);
        for (int round = 0; round < 3; round++) {
            fifo.push(0x100 + round);
            fifo.push(0x200 + round);
            fifo.push(0x300 + round);
            assertEquals(0x100 + round, fifo.pop());
            assertEquals(0x200 + round, fifo.pop());
            assertEquals(0x300 + round, fifo.pop());
        }
        assertTrue(fifo.isEmpty());
    }

    @Test
    void drainHandsAllLowBytesOverInOneCallAndEmpties() {
        UartFifo fifo = new UartFifo(4);
        fifo.push('x');
        fifo.pop();
        fifo.push('a');
        fifo.push('b');
        fifo.push('c' | 0x100);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int[] calls = {0};
        int taken = fifo.drainTo((b, off, len) -> {
            calls[0]++;
            out.write(b, off, len);
            return len;
        });
        assertEquals(3, taken);
        assertArrayEquals("abc".getBytes(), out.toByteArray());
        assertEquals(1, calls[0]);
        assertEquals(0, fifo.count());
    }

    @Test
    void pushingIntoAFullFifoOrPoppingAnEmptyOneIsAProgrammingError() {
        UartFifo fifo = new UartFifo(1);
        fifo.push(1);
        assertThrows(IllegalStateException.class, () -> fifo.push(2));
        fifo.pop();
        assertThrows(IllegalStateException.class, fifo::pop);
    }

    @Test
    void drainRemovesOnlyWhatTheSinkTookAndKeepsTheRestInOrder() {
        UartFifo fifo = new UartFifo(4);
        fifo.push('a');
        fifo.push('b');
        fifo.push('c');
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        int taken = fifo.drainTo((b, off, len) -> {
            out.write(b, off, 2);
            return 2;
        });

        assertEquals(2, taken);
        assertEquals(1, fifo.count());
        assertEquals('c', fifo.pop());
        assertArrayEquals("ab".getBytes(), out.toByteArray());
    }
}
