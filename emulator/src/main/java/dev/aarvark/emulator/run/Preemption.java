package dev.aarvark.emulator.run;

import dev.aarvark.emulator.MachineConfigException;

import dev.aarvark.emulator.MachineConfig.PreemptMode;
import dev.aarvark.emulator.cpu.unicorn.UnicornLibrary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the preemption strategy for {@code --preempt auto|count|kick} and proves it with
 * {@link PreemptionSelfTest} before the machine starts. The choice is logged.
 *
 * <p>{@code auto}: kicks when the library is the pinned build (and was not chosen through
 * {@code AARVARK_UNICORN_LIB}) and the self-test passes, else count slices. {@code kick}: kicks or
 * a refusal with the reason. {@code count}: count slices, no self-test needed (always correct).
 */
public final class Preemption {
    private static final Logger LOG = LoggerFactory.getLogger("aarvark");
    /** Self-test size at start-up: long enough for hundreds of stops; runs while the kernel loads. */
    static final long STARTUP_ITERATIONS = 150_000;

    private Preemption() {}

    public static PreemptionStrategy choose(PreemptMode mode, int cpuModel) {
        if (mode == PreemptMode.COUNT) {
            LOG.info("preemption: count slices ({} instructions each; --preempt count)", CountSlices.DEFAULT_SLICE);
            return new CountSlices();
        }
        UnicornLibrary lib = UnicornLibrary.get();
        if (!lib.isPinnedBuild()) {
            String why = "libunicorn " + lib.path() + " is not the pinned build (or was chosen through AARVARK_UNICORN_LIB),"
                    + " so its no_exit_request byte is unknown";
            if (mode == PreemptMode.KICK) {
                throw new MachineConfigException(MachineConfigException.Field.PREEMPT, "kick", why);
            }
            LOG.info("preemption: count slices ({})", why);
            return new CountSlices();
        }
        long t0 = System.nanoTime();
        PreemptionSelfTest.Result r = PreemptionSelfTest.run(new AsyncKicks(), cpuModel, STARTUP_ITERATIONS, false,
                PreemptionSelfTest.STORM_PERIOD_NANOS, 5_000_000_000L);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        if (r.passed()) {
            LOG.info("preemption: kick (self-test passed: {} iterations, {} stop requests, no duplicated side effect, {} ms)",
                    r.iterations(), r.stopsRequested(), ms);
            return new AsyncKicks();
        }
        String why = "the kick self-test failed (" + r.detail() + ")";
        if (mode == PreemptMode.KICK) {
            throw new MachineConfigException(MachineConfigException.Field.PREEMPT, "kick", why);
        }
        LOG.warn("preemption: count slices ({})", why);
        return new CountSlices();
    }
}
