package dev.aarvark.devices.rtc;

import static dev.aarvark.devices.rtc.ManualClock.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class RtcCounterTest {
    private final RtcCounter counter = new RtcCounter();

    @Test
    void unloadedCounterIsTheClocksWholeSeconds() {
        assertEquals(1_700_000_000L, counter.value(1_700_000_000L * SECOND + SECOND - 1));
    }

    @Test
    void loadedValueHoldsForTheRestOfTheCurrentSecond() {
        counter.load(7, 100 * SECOND + SECOND / 2);
        assertEquals(7, counter.value(100 * SECOND));
        assertEquals(7, counter.value(101 * SECOND - 1));
        assertEquals(8, counter.value(101 * SECOND));
    }

    @Test
    void loadKeepsOnly32Bits() {
        counter.load(0x1_0000_0005L, 0);
        assertEquals(5, counter.value(0));
    }

    @Test
    void timeBeforeTheEpochStillCountsInWholeSeconds() {
        assertEquals(0xFFFF_FFFFL, counter.value(-1));
    }

    @Test
    void nanosUntilCountsToTheStartOfTheTargetSecond() {
        long now = 50 * SECOND + 300;
        assertEquals(2 * SECOND - 300, counter.nanosUntil(52, now));
        assertEquals((1L << 32) * SECOND - 300, counter.nanosUntil(50, now));
        assertEquals(((1L << 32) - 1) * SECOND - 300, counter.nanosUntil(49, now));
    }
}
