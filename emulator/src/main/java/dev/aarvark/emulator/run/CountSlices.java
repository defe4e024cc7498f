package dev.aarvark.emulator.run;

import dev.aarvark.emulator.cpu.unicorn.Unicorn;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Preemption by instruction-count slices: every {@code uc_emu_start} runs at most
 * {@link #sliceInstructions()} guest instructions, so the vCPU thread regains control at exact
 * instruction boundaries without any asynchronous stop. Always correct; costs about half the
 * guest's speed, because libunicorn counts with a per-instruction hook (docs/libunicorn.md, "Stopping the engine").
 *
 * <p>With the pinned build, libunicorn's {@code no_exit_request} byte is set, so a stop aarvark
 * makes from inside a hook lands at the next translation-block start and a slice may run up to
 * one block past its count.
 *
 * <p>Control requests from other threads are never sent to the engine; they are noticed when the
 * current slice ends, so the latency of an event is at most one slice.
 */
public final class CountSlices implements PreemptionStrategy {
    /** Default slice: ~0.5 ms of guest time at the sliced speed of ~400 M instructions/s. */
    public static final long DEFAULT_SLICE = 200_000;

    private final long slice;
    private final AtomicBoolean pending = new AtomicBoolean();
    private boolean pinned;

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
        // The stops aarvark makes from inside hooks (a rising interrupt line, a guest fault) must
        // land at a block start: stock libunicorn exits mid-block and runs the block's first part
        // again, which doubled GICC_EOIR writes (docs/libunicorn.md, "Stopping the engine"). With
        // the pinned build its no_exit_request byte gives that, as for kicks; the count stop of
        // uc_emu_start then ends a slice at the next block start.
        pinned = uc.library().isPinnedBuild();
        if (pinned) {
            uc.setNoExitRequest(true);
        }
    }

    @Override
    public int runSlice(Unicorn uc, long pc) {
        if (pinned && !uc.noExitRequest()) {
            // The AArch32 translator rewrites the byte (as AsyncKicks notes): set it again and
            // drop the blocks translated while it was clear.
            uc.setNoExitRequest(true);
            uc.flushTranslations();
        }
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
