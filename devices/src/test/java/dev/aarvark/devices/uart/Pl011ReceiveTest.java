package dev.aarvark.devices.uart;

import static dev.aarvark.devices.uart.Pl011Registers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class Pl011ReceiveTest {
    private final Pl011Harness h = new Pl011Harness();

    /** The machine's side of host input: pending bytes, offered again when the UART has room. */
    private final class PendingInput {
        private final byte[] data;
        private int next;
        int offers;

        PendingInput(String text) {
            data = text.getBytes(StandardCharsets.ISO_8859_1);
            h.uart.setRxSpaceListener(this::offer);
        }

        void offer() {
            offers++;
            next += h.uart.receive(data, next, data.length - next);
        }

        int remaining() {
            return data.length - next;
        }
    }

    @Test
    void receivedCharactersReadBackInOrderWithFlagsTracking() {
        h.linuxConfigured();
        assertTrue(h.flag(FR_RXFE));
        assertEquals(3, h.offer("abc"));
        assertFalse(h.flag(FR_RXFE));
        assertFalse(h.flag(FR_RXFF));
        assertEquals('a', h.read(DR));
        assertEquals('b', h.read(DR));
        assertEquals('c', h.read(DR));
        assertTrue(h.flag(FR_RXFE));
    }

    @Test
    void receiveFifoHoldsSixteenWithFifosEnabledAndSetsRxff() {
        h.linuxConfigured();
        assertEquals(16, h.uart.rxSpace());
        assertEquals(16, h.offer("0123456789abcdefghij"));
        assertTrue(h.flag(FR_RXFF));
        assertEquals(0, h.uart.rxSpace());
        h.read(DR);
        assertFalse(h.flag(FR_RXFF));
        assertEquals(1, h.uart.rxSpace());
    }

    @Test
    void receiveHoldingRegisterIsOneCharacterWithFifosDisabled() {
        assertEquals(1, h.uart.rxSpace());
        assertEquals(1, h.offer("xy"));
        assertTrue(h.flag(FR_RXFF));
        assertEquals('x', h.read(DR));
    }

    @Test
    void readingAnEmptyDataRegisterReturnsZeroWithoutSideEffects() {
        h.linuxConfigured();
        assertEquals(0, h.read(DR));
        assertTrue(h.flag(FR_RXFE));
        assertEquals(0, h.read(RSR_ECR));
    }

    @Test
    void hundredHostBytesAreTakenOneFifoAtATimeAsTheGuestReads() {
        h.linuxConfigured();
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            text.append((char) ('!' + i % 90));
        }
        PendingInput pending = new PendingInput(text.toString());
        pending.offer();
        assertEquals(84, pending.remaining(), "only the FIFO's 16 taken");
        assertEquals(1, pending.offers);

        StringBuilder got = new StringBuilder();
        got.append((char) h.read(DR));
        assertEquals(83, pending.remaining(), "the read made room and the listener refilled it");
        got.append(h.drain());
        assertEquals(0, pending.remaining());
        assertEquals(text.toString(), got.toString(), "nothing lost, nothing reordered");
    }

    @Test
    void listenerRunsOnlyAfterAnOfferThatWasNotTakenInFull() {
        h.linuxConfigured();
        AtomicInteger calls = new AtomicInteger();
        h.uart.setRxSpaceListener(calls::incrementAndGet);
        h.offer("abc");
        h.drain();
        assertEquals(0, calls.get(), "everything fitted: nothing to re-offer");

        h.offer("0123456789abcdefXY");
        h.read(DR);
        h.read(DR);
        assertEquals(1, calls.get(), "once per unsatisfied offer");
    }

    @Test
    void disabledReceiverTakesNothingAndCallsBackWhenReenabled() {
        h.write(LCR_H, LCR_H_FEN);
        h.write(CR, CR_UARTEN | CR_TXE);
        PendingInput pending = new PendingInput("wait");
        pending.offer();
        assertEquals(0, h.uart.rxSpace());
        assertEquals(4, pending.remaining());

        h.write(CR, CR_UARTEN | CR_TXE | CR_RXE);
        assertEquals(0, pending.remaining());
        assertEquals("wait", h.drain());
    }

    @Test
    void loopbackDisconnectsHostInputUntilItIsCleared() {
        h.linuxConfigured();
        h.write(CR, CR_UARTEN | CR_TXE | CR_RXE | CR_LBE);
        PendingInput pending = new PendingInput("host");
        pending.offer();
        assertEquals(4, pending.remaining());
        h.write(CR, CR_UARTEN | CR_TXE | CR_RXE);
        assertEquals("host", h.drain());
    }

    @Test
    void disablingFifosKeepsReceivedDataReadable() {
        h.linuxConfigured();
        h.offer("abcd");
        h.write(LCR_H, 0x60); // Linux's shutdown clears FEN
        assertTrue(h.flag(FR_RXFF), "more than the new depth of one is waiting");
        assertEquals(0, h.uart.rxSpace());
        assertEquals("abcd", h.drain());
        assertEquals(1, h.uart.rxSpace());
    }

    @Test
    void enablingFifosOffersTheNewSpaceToAWaitingHost() {
        PendingInput pending = new PendingInput("0123456789");
        pending.offer();
        assertEquals(9, pending.remaining());
        h.write(LCR_H, LCR_H_FEN);
        assertEquals(0, pending.remaining());
        assertEquals("0123456789", h.drain());
    }

    @Test
    void hostBreakArrivesAsNulWithBreakErrorAndRaisesBeris() {
        h.linuxConfigured();
        assertTrue(h.uart.receiveBreak());
        assertTrue(h.raw(INT_BE));
        assertEquals(DR_BE, h.read(DR));
        assertEquals(0x4, h.read(RSR_ECR), "RSR.BE describes the character just read");
    }

    @Test
    void hostBreakWaitsWhenTheFifoIsFull() {
        h.offer("x");
        assertFalse(h.uart.receiveBreak());
        AtomicInteger calls = new AtomicInteger();
        h.uart.setRxSpaceListener(calls::incrementAndGet);
        h.read(DR);
        assertEquals(1, calls.get());
    }

    @Test
    void receiveRejectsAnOutOfBoundsSlice() {
        assertThrows(IndexOutOfBoundsException.class, () -> h.uart.receive(new byte[4], 2, 3));
    }

    @Test
    void loopbackOverrunKeepsFifoContentsAndFlagsTheNextCharacter() {
        h.linuxConfigured();
        h.write(CR, CR_UARTEN | CR_TXE | CR_RXE | CR_LBE);
        h.send("0123456789abcdef"); // fills the FIFO
        h.send("!");                // lost: overrun
        assertTrue(h.raw(INT_OE));
        assertEquals(0x8, h.read(RSR_ECR), "RSR.OE is set when the overrun happens");
        assertEquals('0', h.read(DR) & 0xFFF);
        h.send("g");
        StringBuilder rest = new StringBuilder();
        int last = 0;
        while (!h.flag(FR_RXFE)) {
            last = h.read(DR);
            rest.append((char) (last & 0xFF));
        }
        assertEquals("123456789abcdefg", rest.toString());
        assertEquals(DR_OE | 'g', last, "the first character after the overrun carries DR.OE");
    }
}
