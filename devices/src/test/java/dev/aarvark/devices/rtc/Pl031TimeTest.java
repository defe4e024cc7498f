package dev.aarvark.devices.rtc;

import static dev.aarvark.devices.rtc.Pl031.*;
import static dev.aarvark.devices.rtc.ManualClock.SECOND;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class Pl031TimeTest {
    private static final long START = Pl031Harness.START;
    private final Pl031Harness h = new Pl031Harness();

    @Test
    void counterAdvancesExactlyAtWholeSeconds() {
        h.clock.advanceNanos(SECOND - 1);
        assertEquals(START, h.read(DR));
        h.clock.advanceNanos(1);
        assertEquals(START + 1, h.read(DR));
    }

    @Test
    void loadSetsTheCounterWhichThenKeepsCountingAndReadsBackTheLoadedValue() {
        h.clock.advanceNanos(SECOND / 2);
        h.write(LR, 1_000_000_000L);
        assertEquals(1_000_000_000L, h.read(DR));
        assertEquals(1_000_000_000L, h.read(LR));
        h.clock.advanceSeconds(90);
        assertEquals(1_000_000_090L, h.read(DR));
        assertEquals(1_000_000_000L, h.read(LR));
    }

    @Test
    void counterWrapsAtTwoToThe32() {
        h.write(LR, 0xFFFF_FFFFL);
        h.clock.advanceSeconds(2);
        assertEquals(1, h.read(DR));
    }

    @Test
    void matchSetsRawStatusWhenTheCounterReachesTheMatchValueEvenWhileMasked() {
        h.write(MR, START + 10);
        h.clock.advanceSeconds(9);
        h.rtc.tick();
        assertEquals(0, h.read(RIS));
        h.clock.advanceSeconds(1);
        h.rtc.tick();
        assertEquals(1, h.read(RIS));
        assertEquals(0, h.read(MIS));
        assertEquals(List.of(), h.levels, "masked: the line stays low");
    }

    @Test
    void rawStatusCatchesUpOnReadWithoutATick() {
        h.write(MR, START + 5);
        h.clock.advanceSeconds(30);
        assertEquals(1, h.read(RIS), "the match second was passed while no one looked");
    }

    @Test
    void enabledMatchRaisesTheLineAndInterruptClearLowersIt() {
        h.write(MR, START + 2);
        h.write(IMSC, 1);
        h.clock.advanceSeconds(2);
        h.rtc.tick();
        assertTrue(h.line());
        assertEquals(1, h.read(MIS));
        h.write(ICR, 1);
        assertFalse(h.line());
        assertEquals(0, h.read(RIS));
        assertEquals(List.of(true, false), h.levels);
    }

    @Test
    void enablingTheMaskOnAPendingMatchRaisesTheLine() {
        h.write(MR, START + 1);
        h.clock.advanceSeconds(1);
        h.write(IMSC, 1);
        assertTrue(h.line());
    }

    @Test
    void writingAMatchValueEqualToTheCounterMatchesAtOnce() {
        h.write(IMSC, 1);
        h.write(MR, START);
        assertTrue(h.line());
    }

    @Test
    void loadingTheMatchValueIntoTheCounterMatchesAtOnce() {
        h.write(MR, 42);
        assertEquals(0, h.read(RIS));
        h.write(LR, 42);
        assertEquals(1, h.read(RIS));
    }

    @Test
    void loadingPastTheMatchValueDoesNotMatch() {
        h.write(MR, START + 100);
        h.write(LR, START + 200);
        h.clock.advanceSeconds(5);
        assertEquals(0, h.read(RIS));
    }

    @Test
    void wallClockSteppedBackwardsDoesNotCountAsPassingTheMatch() {
        h.write(MR, START - 50);
        h.clock.advanceSeconds(-100);
        h.rtc.tick();
        assertEquals(0, h.read(RIS));
        h.clock.advanceSeconds(50);
        h.rtc.tick();
        assertEquals(1, h.read(RIS), "counting forward onto it again does");
    }

    @Test
    void deadlineIsTheTimeUntilTheCounterReachesTheMatchValue() {
        h.clock.advanceNanos(SECOND / 4);
        h.write(MR, START + 3);
        assertEquals(NO_DEADLINE, h.rtc.nanosUntilMatch(), "masked: nothing to schedule");
        h.write(IMSC, 1);
        long delay = h.rtc.nanosUntilMatch();
        assertEquals(3 * SECOND - SECOND / 4, delay);

        h.clock.advanceNanos(delay - 1);
        h.rtc.tick();
        assertFalse(h.line(), "one nanosecond early");
        h.clock.advanceNanos(1);
        h.rtc.tick();
        assertTrue(h.line(), "on time");
        assertEquals(NO_DEADLINE, h.rtc.nanosUntilMatch(), "already pending");
    }

    @Test
    void deadlineAfterClearingAMatchIsAFullWrapAway() {
        h.write(IMSC, 1);
        h.write(MR, START);
        h.write(ICR, 1);
        assertEquals((1L << 32) * SECOND, h.rtc.nanosUntilMatch());
    }

    @Test
    void lateTickStillDeliversTheMatch() {
        h.write(IMSC, 1);
        h.write(MR, START + 1);
        h.clock.advanceSeconds(3600);
        h.rtc.tick();
        assertTrue(h.line());
    }

    @Test
    void deadlineListenerRunsAfterWritesThatMoveTheDeadline() {
        AtomicInteger calls = new AtomicInteger();
        h.rtc.setDeadlineListener(calls::incrementAndGet);
        h.write(MR, START + 5);
        h.write(LR, START);
        h.write(IMSC, 1);
        h.write(ICR, 1);
        assertEquals(4, calls.get());
        h.write(CR, 1);
        h.read(DR);
        assertEquals(4, calls.get(), "CR writes and reads move nothing");
    }

    @Test
    void linuxAlarmSequenceRaisesOneInterruptAtTheAlarmSecond() {
        // rtc-pl031: set_alarm writes MR, alarm_irq_enable clears RIS and sets IMSC; the handler
        // reads MIS and writes it back to ICR.
        h.write(MR, START + 60);
        h.write(ICR, 1);
        h.write(IMSC, h.read(IMSC) | 1);
        h.clock.advanceNanos(h.rtc.nanosUntilMatch());
        h.rtc.tick();
        assertTrue(h.line());
        long mis = h.read(MIS);
        assertEquals(1, mis);
        h.write(ICR, mis);
        assertFalse(h.line());
        assertEquals(START + 60, h.read(DR));
    }
}
