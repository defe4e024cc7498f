package dev.aarvark.devices.uart;

import static dev.aarvark.devices.uart.Pl011Registers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Pl011InterruptTest {
    private final Pl011Harness h = new Pl011Harness();

    private static String chars(int n) {
        return "abcdefghijklmnop".substring(0, n);
    }

    @ParameterizedTest(name = "RXIFLSEL {0}: RXRIS at {1} characters")
    @CsvSource({"0, 2", "1, 4", "2, 8", "3, 12", "4, 14"})
    void receiveInterruptRisesWhenTheFifoReachesTheSelectedLevel(int select, int trigger) {
        h.linuxConfigured();
        h.write(IFLS, select << 3);
        h.offer(chars(trigger - 1));
        assertFalse(h.raw(INT_RX));
        h.offer("z");
        assertTrue(h.raw(INT_RX));
    }

    @Test
    void receiveInterruptTriggersOnOneCharacterWithFifosDisabled() {
        h.offer("a");
        assertTrue(h.raw(INT_RX));
        h.read(DR);
        assertFalse(h.raw(INT_RX));
    }

    @Test
    void receiveInterruptClearsOnceReadsTakeTheFifoBelowTheLevel() {
        h.linuxConfigured(); // level 8
        h.offer(chars(10));
        h.read(DR);
        h.read(DR);
        assertTrue(h.raw(INT_RX), "8 left: still at the level");
        h.read(DR);
        assertFalse(h.raw(INT_RX), "7 left");
    }

    @Test
    void receiveInterruptIsAnEdgeThatInterruptClearDoesNotReraiseAtTheSameLevel() {
        h.linuxConfigured();
        h.offer(chars(9));
        h.write(ICR, INT_RX);
        h.offer("z");
        assertFalse(h.raw(INT_RX), "the FIFO did not cross the level again");
    }

    @Test
    void receiveTimeoutRisesForCharactersBelowTheLevelAndClearsWhenTheFifoEmpties() {
        h.linuxConfigured();
        h.offer("ls\n");
        assertFalse(h.raw(INT_RX));
        assertTrue(h.raw(INT_RT));
        h.read(DR);
        h.read(DR);
        assertTrue(h.raw(INT_RT), "still data waiting");
        h.read(DR);
        assertFalse(h.raw(INT_RT));
    }

    @Test
    void receiveTimeoutIsClearedByInterruptClearUntilTheNextDelivery() {
        h.linuxConfigured();
        h.offer("a");
        h.write(ICR, INT_RT);
        assertFalse(h.raw(INT_RT));
        h.offer("b");
        assertTrue(h.raw(INT_RT));
    }

    @Test
    void offerThatIsRefusedDoesNotRaiseTheTimeout() {
        h.write(CR, CR_UARTEN | CR_TXE); // receiver off
        h.offer("a");
        assertEquals(0, h.read(RIS));
    }

    @Test
    void transmitInterruptIsNotSetByResetOrByEnablingTheUart() {
        h.linuxConfigured();
        h.write(IMSC, INT_TX);
        assertFalse(h.raw(INT_TX));
        assertFalse(h.irq.level());
    }

    @Test
    void transmitInterruptRisesWhenDataIsSentAndClearsThroughInterruptClear() {
        h.linuxConfigured();
        h.send("x");
        assertTrue(h.raw(INT_TX));
        h.write(ICR, INT_TX);
        assertFalse(h.raw(INT_TX));
        h.send("y");
        assertTrue(h.raw(INT_TX));
    }

    @Test
    void transmitInterruptClearsWhenHeldWritesFillTheFifoAboveTheLevel() {
        h.linuxConfigured();
        h.send("x"); // TXRIS set
        h.write(CR, CR_UARTEN | CR_RXE); // TXE off: writes are held
        h.send(chars(8));
        assertTrue(h.raw(INT_TX), "8 held: at the 1/2 level, not above it");
        h.send("i");
        assertFalse(h.raw(INT_TX), "9 held: above the level");
        h.write(CR, CR_UARTEN | CR_RXE | CR_TXE);
        assertTrue(h.raw(INT_TX), "the FIFO drained through the level");
    }

    @Test
    void maskedStatusIsRawStatusAndMask() {
        h.linuxConfigured();
        h.send("x");      // TX
        h.offer("a");     // RT (and RX? no: level 8)
        assertEquals(INT_TX | INT_RT, h.read(RIS));
        assertEquals(0, h.read(MIS));
        h.write(IMSC, INT_RT | INT_RX);
        assertEquals(INT_RT, h.read(MIS));
    }

    @Test
    void interruptClearClearsOnlyTheBitsWrittenAsOne() {
        h.linuxConfigured();
        h.send("x");
        h.offer("a");
        h.write(ICR, INT_TX);
        assertEquals(INT_RT, h.read(RIS));
    }

    @Test
    void irqLineFollowsMaskedStatusAndIsDrivenOnlyOnChanges() {
        h.linuxConfigured();
        h.write(IMSC, INT_RT | INT_RX);
        assertEquals(List.of(), h.irq.levels());
        h.offer("ab");
        assertEquals(List.of(true), h.irq.levels());
        h.offer("c");
        assertEquals(List.of(true), h.irq.levels(), "already high: not driven again");
        h.drain();
        assertEquals(List.of(true, false), h.irq.levels());
        h.offer("d");
        h.write(IMSC, 0);
        h.write(IMSC, INT_RT);
        assertEquals(List.of(true, false, true, false, true), h.irq.levels());
        h.write(ICR, INT_MASK);
        assertEquals(List.of(true, false, true, false, true, false), h.irq.levels());
    }

    @Test
    void overrunRaisesTheOverrunInterrupt() {
        h.write(CR, CR_UARTEN | CR_TXE | CR_RXE | CR_LBE);
        h.write(IMSC, INT_OE);
        h.send("ab");
        assertTrue(h.raw(INT_OE));
        assertTrue(h.irq.level());
    }

    @Test
    void loopbackBreakIsReceivedAsABreakCharacter() {
        h.linuxConfigured();
        h.write(CR, CR_UARTEN | CR_TXE | CR_RXE | CR_LBE);
        h.write(LCR_H, LCR_H_FEN | 0x60 | LCR_H_BRK);
        assertTrue(h.raw(INT_BE));
        assertEquals(DR_BE, h.read(DR));
    }

    @Test
    void modemInputsAreDeassertedOutsideLoopbackAndFollowOutputsInIt() {
        h.write(CR, CR_UARTEN | CR_TXE | CR_RXE | CR_RTS | CR_DTR | CR_OUT1 | CR_OUT2);
        assertEquals(0, h.read(FR) & (FR_CTS | FR_DSR | FR_DCD | FR_RI));
        assertEquals(0, h.read(RIS));

        h.write(CR, CR_UARTEN | CR_TXE | CR_RXE | CR_LBE | CR_RTS | CR_OUT2);
        assertEquals(FR_CTS | FR_RI, h.read(FR) & (FR_CTS | FR_DSR | FR_DCD | FR_RI));
        assertEquals(INT_CTS | INT_RI, h.read(RIS), "a change of each input raises its interrupt");

        h.write(ICR, INT_MASK);
        h.write(CR, CR_UARTEN | CR_TXE | CR_RXE | CR_LBE | CR_RTS | CR_OUT2 | CR_DTR);
        assertEquals(INT_DSR, h.read(RIS), "only the input that changed");
    }
}
