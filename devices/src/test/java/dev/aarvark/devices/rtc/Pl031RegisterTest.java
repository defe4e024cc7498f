package dev.aarvark.devices.rtc;

import dev.aarvark.devices.RegisterError;
import static dev.aarvark.devices.rtc.Pl031.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Pl031RegisterTest {
    private final Pl031Harness h = new Pl031Harness();

    @Test
    void idRegistersHoldQemuPl031Values() {
        int[] expected = {0x31, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1};
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], h.read(0xFE0 + 4 * i));
        }
    }

    @Test
    void periphIdMatchesLinuxRtcPl031UnderItsMask() {
        long id = 0;
        for (int i = 0; i < 4; i++) {
            id |= (h.read(0xFE0 + 4 * i) & 0xFF) << (8 * i);
        }
        assertEquals(0x00041031L, id & 0x000FFFFFL);
    }

    @Test
    void resetStateReadsHostTimeAndQuietRegisters() {
        assertEquals(Pl031Harness.START, h.read(DR));
        assertEquals(0, h.read(MR));
        assertEquals(0, h.read(LR));
        assertEquals(1, h.read(CR), "always running");
        assertEquals(0, h.read(IMSC));
        assertEquals(0, h.read(RIS));
        assertEquals(0, h.read(MIS));
        assertEquals(0x1000, h.rtc.size());
    }

    @Test
    void controlWritesCannotStopTheClock() {
        h.write(CR, 0);
        assertEquals(1, h.read(CR));
        h.clock.advanceSeconds(3);
        assertEquals(Pl031Harness.START + 3, h.read(DR));
    }

    @Test
    void maskKeepsOnlyTheMatchBit() {
        h.write(IMSC, 0xFFFF_FFFFL);
        assertEquals(1, h.read(IMSC));
    }

    @ParameterizedTest
    @ValueSource(ints = {DR, RIS, MIS, 0xFE0})
    void writeToReadOnlyRegisterIsAGuestErrorAndChangesNothing(int offset) {
        long before = h.errors(RegisterError.WRITE_READ_ONLY);
        h.write(offset, 5);
        assertEquals(before + 1, h.errors(RegisterError.WRITE_READ_ONLY));
        assertEquals(Pl031Harness.START, h.read(DR));
        assertEquals(0, h.read(RIS));
        assertEquals(0x31, h.read(0xFE0));
    }

    @Test
    void readOfInterruptClearIsAGuestError() {
        long before = h.errors(RegisterError.READ_WRITE_ONLY);
        assertEquals(0, h.read(ICR));
        assertEquals(before + 1, h.errors(RegisterError.READ_WRITE_ONLY));
    }

    @Test
    void unknownOffsetsAreGuestErrors() {
        long reads = h.errors(RegisterError.READ_UNKNOWN);
        long writes = h.errors(RegisterError.WRITE_UNKNOWN);
        assertEquals(0, h.read(0x020));
        h.write(0x030, 1);
        assertEquals(reads + 1, h.errors(RegisterError.READ_UNKNOWN));
        assertEquals(writes + 1, h.errors(RegisterError.WRITE_UNKNOWN));
    }

    @Test
    void unsupportedWidthsAndUpperLaneWritesAreGuestErrors() {
        long access = h.errors(RegisterError.BAD_WIDTH);
        long partial = h.errors(RegisterError.PARTIAL_WRITE);
        assertEquals(0, h.rtc.read(DR, 8));
        h.rtc.write(MR + 2, 4, 7);
        h.rtc.write(MR + 1, 1, 7);
        assertEquals(access + 2, h.errors(RegisterError.BAD_WIDTH));
        assertEquals(partial + 1, h.errors(RegisterError.PARTIAL_WRITE));
        assertEquals(0, h.read(MR));
    }

    @Test
    void narrowReadsReturnByteLanesOfTheCounter() {
        h.write(LR, 0x1234_5678L);
        assertEquals(0x78, h.rtc.read(DR, 1));
        assertEquals(0x1234, h.rtc.read(DR + 2, 2));
    }
}
