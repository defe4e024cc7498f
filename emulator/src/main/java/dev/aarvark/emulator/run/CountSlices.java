package dev.aarvark.emulator.run;

import dev.aarvark.emulator.cpu.unicorn.Unicorn;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Preemption by instruction-count slices: every {@code uc_emu_start} runs at most
 * {@link #sliceInstructions()} guest instructions, so the vCPU thread regains control at exact
 * instruction boundaries without any asynchronous stop. Always correct; costs about half the
 * guest's speed, because libunicorn counts with a per-instruction hook (docs/libunicorn.md, "Stopping the engine").
 *
 * <p>Control requests from other threads are never sent to the engine; they are noticed when the
 * current slice ends, so the latency of an event is at most one slice.
 */
public final class CountSlices implements PreemptionStrategy {
    /** Default slice: ~0.5 ms of guest time at the sliced speed of ~400 M instructions/s. */
    public static final long DEFAULT_SLICE = 200_000;

    private final long slice;
    private final AtomicBoolean pending = new AtomicBoolean();

    public CountSlices(long sliceInstructions) {
        if (sliceInstructions <= 0) {
            throw new IllegalArgumentException("slice must be positive: " + sliceInstructions);
        }
        this.slice = sliceInstructions;
    }

    public CountSlices() {
        this(DEFAULT_SLICE);
    }

    /** Instructions per slice. */
    public long sliceInstructions() {
        return slice;
    }

    @Override
    public String name() {
        return "count";
    }

    @Override
    public void install(Unicorn uc) {
        // Nothing to prepare: count slices use only the public API.
    }

    @Override
    public int runSlice(Unicorn uc, long pc) {
        if (pending.get()) {
            return 0;
        }
        return uc.emuStart(pc, slice);
    }

    @Override
    public void requestControl() {
        pending.set(true);
    }

    @Override
    public boolean controlRequested() {
        return pending.get();
    }

    @Override
    public void acknowledge() {
        pending.set(false);
    }

    @Override
    public void setDeadline(long nanoTime) {
        // Slices are short enough that deadlines are checked at each slice end.
    }

    @Override
    public void close() {
        // No threads.
    }
}
