package dev.aarvark.devices.uart;

import static dev.aarvark.devices.uart.Pl011Registers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replays the register traffic of Linux 6.1's drivers/tty/serial/amba-pl011.c (startup, the
 * interrupt handler, start_tx) against the model, with a machine-side pending input queue, to
 * show that interrupt-driven receive and transmit work end to end.
 */
class Pl011LinuxDriverTest {
    private static final int FIFO_SIZE = 16;

    private final Pl011Harness h = new Pl011Harness();
    private final StringBuilder tty = new StringBuilder();
    private final ArrayDeque<Character> xmit = new ArrayDeque<>();
    private int im;
    private byte[] pending = new byte[0];
    private int pendingNext;

    @BeforeEach
    void startup() {
        h.uart.setRxSpaceListener(this::offerPending);
        // pl011_hwinit
        h.write(ICR, INT_OE | INT_BE | INT_PE | INT_FE | INT_RT | INT_RX);
        im = h.read(IMSC);
        h.write(IMSC, INT_RT | INT_RX);
        // pl011_allocate_irq, then the vendor IFLS and CR
        h.write(IMSC, im);
        h.write(IFLS, 0x12);
        int cr = h.read(CR) & (CR_RTS | CR_DTR);
        h.write(CR, cr | CR_UARTEN | CR_RXE | CR_TXE);
        // pl011_enable_interrupts
        h.write(ICR, INT_RT | INT_RX);
        for (int i = 0; i < FIFO_SIZE * 2 && (h.read(FR) & FR_RXFE) == 0; i++) {
            h.read(DR);
        }
        im = INT_RT | INT_RX;
        h.write(IMSC, im);
        // pl011_set_termios: 115200 8N1 with FIFOs
        h.write(FBRD, 1);
        h.write(IBRD, 13);
        h.write(LCR_H, 0x60 | LCR_H_FEN);
        h.write(CR, h.read(CR) | CR_RXE);
    }

    /** The machine: host bytes arrive; whatever the UART does not take waits for its callback. */
    private void hostTyped(String text) {
        pending = text.getBytes(StandardCharsets.ISO_8859_1);
        pendingNext = 0;
        offerPending();
    }

    private void offerPending() {
        pendingNext += h.uart.receive(pending, pendingNext, pending.length - pendingNext);
    }

    /** pl011_int, run whenever the line is high, as the CPU would take the interrupt. */
    private int takeInterrupts() {
        int handled = 0;
        while (h.irq.level()) {
            handled++;
            int status = h.read(RIS) & im;
            int passes = 256;
            while (status != 0) {
                h.write(ICR, status & ~(INT_TX | INT_RT | INT_RX));
                if ((status & (INT_RT | INT_RX)) != 0) {
                    for (int taken = 0; taken < 256 && (h.read(FR) & FR_RXFE) == 0; taken++) {
                        tty.append((char) (h.read(DR) & 0xFF));
                    }
                }
                if ((status & INT_TX) != 0) {
                    txChars(true);
                }
                if (passes-- == 0) {
                    break;
                }
                status = h.read(RIS) & im;
            }
            if (handled > 100) {
                throw new AssertionError("interrupt storm: the line never went low");
            }
        }
        return handled;
    }

    /** pl011_tx_chars; returns true if the TX interrupt must stay enabled. */
    private boolean txChars(boolean fromIrq) {
        int count = FIFO_SIZE >> 1;
        while (!xmit.isEmpty()) {
            if (fromIrq && count-- == 0) {
                break;
            }
            if (!fromIrq && (h.read(FR) & FR_TXFF) != 0) {
                break;
            }
            h.write(DR, xmit.poll());
        }
        if (xmit.isEmpty()) {
            im &= ~INT_TX; // pl011_stop_tx
            h.write(IMSC, im);
            return false;
        }
        return true;
    }

    private void ttyWrite(String text) {
        for (char c : text.toCharArray()) {
            xmit.add(c);
        }
        if (txChars(false)) { // pl011_start_tx_pio
            im |= INT_TX;
            h.write(IMSC, im);
        }
    }

    @Test
    void aSingleKeystrokeBelowTheTriggerLevelIsDeliveredByTheReceiveTimeout() {
        assertFalse(h.irq.level());
        hostTyped("l");
        assertTrue(h.irq.level());
        assertEquals(1, takeInterrupts());
        assertEquals("l", tty.toString());
        assertFalse(h.irq.level());
    }

    @Test
    void aPasteLongerThanTheFifoArrivesCompleteAndInOrderInOneInterrupt() {
        String paste = "echo the quick brown fox jumps over the lazy dog; ls -l /proc\n";
        hostTyped(paste);
        assertEquals(16, pendingNext, "the FIFO's worth taken, the rest pending");
        assertEquals(1, takeInterrupts());
        assertEquals(paste, tty.toString());
        assertEquals(pending.length, pendingNext);
        assertFalse(h.irq.level());
    }

    @Test
    void consecutiveBurstsEachRaiseAnInterrupt() {
        hostTyped("first\n");
        takeInterrupts();
        hostTyped("second\n");
        assertTrue(h.irq.level());
        takeInterrupts();
        assertEquals("first\nsecond\n", tty.toString());
    }

    @Test
    void ttyOutputIsSentByStartTxWithoutNeedingTheTransmitInterrupt() {
        ttyWrite("/ # ");
        assertEquals("/ # ", h.sent());
        assertEquals(0, im & INT_TX, "start_tx stopped TX: everything fitted");
        assertFalse(h.irq.level());
    }

    @Test
    void transmitInterruptPathDrainsAPendingBufferAndThenGoesQuiet() {
        ttyWrite("x"); // TXRIS is now set: data has left the FIFO
        for (char c : "0123456789abcdefghijklmnopqrstuvwxyz".toCharArray()) {
            xmit.add(c);
        }
        im |= INT_TX; // as start_tx would after finding TXFF
        h.write(IMSC, im);
        assertTrue(h.irq.level());
        takeInterrupts();
        assertEquals("x0123456789abcdefghijklmnopqrstuvwxyz", h.sent());
        assertTrue(xmit.isEmpty());
        assertFalse(h.irq.level());
    }
}
