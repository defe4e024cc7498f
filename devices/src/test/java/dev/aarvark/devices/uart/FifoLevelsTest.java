package dev.aarvark.devices.uart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class FifoLevelsTest {
    @Test
    void receiveTriggersAreEighthsOfTheDepth() {
        int[] expected = {2, 4, 8, 12, 14};
        for (int sel = 0; sel < expected.length; sel++) {
            assertEquals(expected[sel], FifoLevels.rxTrigger(sel << 3, true, 16),
                    "RXIFLSEL " + sel);
        }
    }

    @Test
    void transmitLevelsAreEighthsOfTheDepth() {
        int[] expected = {2, 4, 8, 12, 14};
        for (int sel = 0; sel < expected.length; sel++) {
            assertEquals(expected[sel], FifoLevels.txLevel(sel, true, 16), "TXIFLSEL " + sel);
        }
    }

    @Test
    void fieldsAreIndependent() {
        assertEquals(14, FifoLevels.rxTrigger(0x20, true, 16));
        assertEquals(2, FifoLevels.txLevel(0x20, true, 16));
    }

    @Test
    void withoutFifosTheReceiveTriggerIsOneAndTheTransmitLevelIsEmpty() {
        assertEquals(1, FifoLevels.rxTrigger(0x24, false, 16));
        assertEquals(0, FifoLevels.txLevel(0x24, false, 16));
    }

    @Test
    void reservedEncodingsAreDetectedAndBehaveAsOneHalf() {
        assertTrue(FifoLevels.isReserved(0x05));
        assertTrue(FifoLevels.isReserved(0x28));
        assertFalse(FifoLevels.isReserved(0x24));
        assertEquals(8, FifoLevels.rxTrigger(0x38, true, 16));
        assertEquals(8, FifoLevels.txLevel(0x07, true, 16));
    }
}
