package dev.aarvark.emulator.run;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PreemptionSelfTestTest {
    private static final int A57 = 0;

    @Test
    void countSlicesLeaveNoDuplicatedSideEffect() {
        PreemptionSelfTest.Result r = PreemptionSelfTest.run(new CountSlices(997), A57, 200_000, false);
        assertTrue(r.passed(), r.detail());
    }

    @Test
    void asyncKicksWithTheExitCheckOffLeaveNoDuplicatedSideEffectUnderAStopStorm() {
        PreemptionSelfTest.Result r = PreemptionSelfTest.run(new AsyncKicks(), A57, 2_000_000, false);
        System.out.println("kick storm: " + r);
        assertTrue(r.stopsRequested() > 100, "the storm must actually stop the guest: " + r);
        assertTrue(r.passed(), r.detail());
    }

    @Test
    void selfTestDetectsTheCorruptionOfStockAsynchronousStops() {
        PreemptionSelfTest.Result r = PreemptionSelfTest.run(new AsyncKicks(), A57, 2_000_000, true,
                PreemptionSelfTest.STORM_PERIOD_NANOS, 2_000_000_000L);
        System.out.println("stock storm: " + r);
        assertFalse(r.passed(), "with the mid-block exit check on, stops re-run half blocks (or livelock): " + r);
    }
}
