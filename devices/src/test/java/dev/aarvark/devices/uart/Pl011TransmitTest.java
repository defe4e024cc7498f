package dev.aarvark.devices.uart;

import dev.aarvark.devices.ProtocolError;
import static dev.aarvark.devices.uart.Pl011Registers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class Pl011TransmitTest {
    private final Pl011Harness h = new Pl011Harness();

    @Test
    void earlyconStyleWritesReachTheHostStraightAfterResetWithUartenClear() {
        // Linux's pl011 earlycon: poll FR.TXFF, writeb to DR, poll FR.BUSY; it never writes CR.
        for (char c : "Booting Linux\n".toCharArray()) {
            assertFalse(h.flag(FR_TXFF));
            h.uart.write(DR, 1, c);
            assertFalse(h.flag(FR_BUSY));
        }
        assertEquals("Booting Linux\n", h.sent());
    }

    @Test
    void enabledTransmitterLeavesFlagsShowingAnEmptyIdleFifo() {
        h.linuxConfigured();
        h.send("0123456789abcdefXYZ"); // more than the FIFO depth
        assertEquals("0123456789abcdefXYZ", h.sent());
        assertEquals(FR_TXFE, h.read(FR) & (FR_TXFE | FR_TXFF | FR_BUSY));
    }

    @Test
    void onlyTheLowByteOfADataWriteIsTransmitted() {
        h.write(DR, 0xFFFF_FF41);
        assertEquals("A", h.sent());
    }

    @Test
    void transmitterDisabledHoldsCharactersUntilTxeIsSet() {
        h.write(LCR_H, LCR_H_FEN);
        h.write(CR, CR_UARTEN | CR_RXE);
        h.send("hold");
        assertEquals("", h.sent());
        assertTrue(h.flag(FR_BUSY));
        assertFalse(h.flag(FR_TXFE));
        assertFalse(h.flag(FR_TXFF));

        h.write(CR, CR_UARTEN | CR_RXE | CR_TXE);
        assertEquals("hold", h.sent());
        assertTrue(h.flag(FR_TXFE));
        assertFalse(h.flag(FR_BUSY));
    }

    @Test
    void heldTransmitFifoFillsAtSixteenWithFifosEnabled() {
        h.write(LCR_H, LCR_H_FEN);
        h.write(CR, CR_UARTEN);
        h.send("0123456789abcde");
        assertFalse(h.flag(FR_TXFF));
        h.send("f");
        assertTrue(h.flag(FR_TXFF));
    }

    @Test
    void heldTransmitFifoIsOneCharacterDeepWithFifosDisabled() {
        h.write(CR, CR_UARTEN);
        h.send("a");
        assertTrue(h.flag(FR_TXFF));
        assertTrue(h.flag(FR_BUSY));
    }

    @Test
    void writeToAFullTransmitFifoIsAGuestErrorAndTheCharacterIsLost() {
        h.write(CR, CR_UARTEN);
        long before = h.errors(ProtocolError.TRANSMIT_FIFO_FULL);
        h.send("ab");
        assertEquals(before + 1, h.errors(ProtocolError.TRANSMIT_FIFO_FULL));
        h.write(CR, CR_UARTEN | CR_TXE);
        assertEquals("a", h.sent());
    }

    @Test
    void loopbackRoutesTransmittedCharactersToTheReceiverNotTheHost() {
        h.linuxConfigured();
        h.write(CR, CR_UARTEN | CR_TXE | CR_RXE | CR_LBE);
        h.send("loop");
        assertEquals("", h.sent());
        assertEquals("loop", h.drain());
        assertEquals(4, h.uart.bytesTransmitted());
    }

    @Test
    void loopbackWithReceiverDisabledLosesTheCharacterQuietly() {
        // Older Linux provoked TXRIS this way: CR = UARTEN|TXE|LBE, write one NUL to DR.
        h.write(CR, CR_UARTEN | CR_TXE | CR_LBE);
        h.write(DR, 0);
        assertEquals("", h.sent());
        assertTrue(h.flag(FR_RXFE));
        assertTrue(h.raw(INT_TX));
    }

    @Test
    void leavingLoopbackSendsToTheHostAgain() {
        h.write(CR, CR_UARTEN | CR_TXE | CR_RXE | CR_LBE);
        h.send("x");
        h.write(CR, CR_UARTEN | CR_TXE | CR_RXE);
        h.send("y");
        assertEquals("y", h.sent());
    }

    @Test
    void consoleWriteSequenceOfLinuxCompletesWithoutWaiting() {
        // pl011_console_write: save CR, set UARTEN|TXE, put chars polling TXFF, wait !BUSY,
        // restore CR.
        h.linuxConfigured();
        int saved = h.read(CR);
        h.write(CR, (saved & ~(1 << 15)) | CR_UARTEN | CR_TXE);
        int polls = 0;
        for (char c : "[    0.000000] Linux version 6.1\n".toCharArray()) {
            while (h.flag(FR_TXFF)) {
                polls++;
            }
            h.write(DR, c);
        }
        while (h.flag(FR_BUSY)) {
            polls++;
        }
        h.write(CR, saved);
        assertEquals(0, polls);
        assertEquals("[    0.000000] Linux version 6.1\n", h.sent());
    }

    @Test
    void aHostWithoutRoomLeavesTheRestInTheFifoWithBusyThenTxffAndNothingIsLost() {
        h.linuxConfigured();
        h.hostRoom = 3;
        h.send("abc");
        assertEquals(FR_TXFE, h.read(FR) & (FR_TXFE | FR_TXFF | FR_BUSY));

        h.send("defghijklmnopqrs"); // 16: the FIFO's depth
        assertEquals("abc", h.sent());
        assertTrue(h.flag(FR_BUSY));
        assertTrue(h.flag(FR_TXFF), "a driver polling TXFF now waits");
        assertFalse(h.flag(FR_TXFE));
        assertEquals(0, h.errors(ProtocolError.TRANSMIT_FIFO_FULL));

        h.hostTakesAgain(10);
        assertEquals("abcdefghijklm", h.sent());
        assertFalse(h.flag(FR_TXFF));
        h.hostTakesAgain(Integer.MAX_VALUE);
        assertEquals("abcdefghijklmnopqrs", h.sent());
        assertEquals(FR_TXFE, h.read(FR) & (FR_TXFE | FR_TXFF | FR_BUSY));
    }

    @Test
    void whenTheHostTakesTheHeldBytesTheTransmitInterruptIsRaised() {
        h.linuxConfigured();
        h.write(IMSC, INT_TX);
        h.hostRoom = 0;
        h.send("held");
        h.write(ICR, INT_TX);
        assertFalse(h.raw(INT_TX));

        h.hostTakesAgain(Integer.MAX_VALUE);

        assertEquals("held", h.sent());
        assertTrue(h.raw(INT_TX));
        assertTrue(h.irq.level(), "the line follows, though no register access was made");
    }

    @Test
    void aHostThatTakesOnlyPartOfTheFifoRaisesNoTransmitInterruptUntilTheFifoIsAtItsLevel() {
        h.linuxConfigured();
        h.write(IMSC, INT_TX);
        h.hostRoom = 0;
        h.send("0123456789abcdef");
        h.write(ICR, INT_TX);

        h.hostTakesAgain(3);
        assertEquals("012", h.sent());
        assertFalse(h.raw(INT_TX), "13 still in a 16-entry FIFO: above the trigger level");

        h.hostTakesAgain(Integer.MAX_VALUE);
        assertTrue(h.raw(INT_TX));
    }

    @Test
    void aGuestThatWritesWhileTxffIsSetLosesThatCharacterAsAGuestError() {
        h.linuxConfigured();
        h.hostRoom = 0;
        h.send("0123456789abcdef"); // fills the FIFO
        h.send("!");

        h.hostTakesAgain(Integer.MAX_VALUE);

        assertEquals("0123456789abcdef", h.sent());
        assertEquals(1, h.errors(ProtocolError.TRANSMIT_FIFO_FULL));
    }
}
