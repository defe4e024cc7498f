package dev.aarvark.emulator.run;

import dev.aarvark.emulator.cpu.unicorn.Unicorn;

/**
 * How the run loop gets control back from a running guest (docs/libunicorn.md, "Stopping the engine").
 *
 * <p>With stock libunicorn an asynchronous {@code uc_emu_stop} may land in the middle of a
 * translation block and make part of it run twice, so a strategy is only used once
 * {@link PreemptionSelfTest} has shown it leaves no duplicated side effect. Implementations:
 * {@link CountSlices} (always correct, slower) and {@link AsyncKicks} (full speed, pinned library
 * build only).
 *
 * <p>Threading: {@link #runSlice} and {@link #install} run on the vCPU thread;
 * {@link #requestControl} may be called from any thread.
 */
public interface PreemptionStrategy extends AutoCloseable {
    /** "count" or "kick". */
    String name();

    /** Prepares the engine before its first slice (vCPU thread). */
    void install(Unicorn uc);

    /**
     * Runs the guest from {@code pc} until the strategy (or a hook, WFI, an error) ends the slice.
     * Returns Unicorn's {@code uc_err}. May return at once without running when control was
     * requested before the slice began.
     */
    int runSlice(Unicorn uc, long pc);

    /**
     * Asks for the vCPU thread to get control soon. For {@link CountSlices} the current slice simply
     * ends on its own; for {@link AsyncKicks} a stop is sent (and re-sent while it is pending).
     */
    void requestControl();

    /** True if the last slice ended (or did not start) because control was requested. */
    boolean controlRequested();

    /** Acknowledges a request: called by the run loop before it drains its event queue. */
    void acknowledge();

    /**
     * Tells the strategy when the run loop next needs control for a timed event
     * ({@link System#nanoTime()} scale; {@link Long#MAX_VALUE} for none). {@link CountSlices} checks
     * deadlines at each slice end and ignores this; {@link AsyncKicks} kicks at that time.
     */
    void setDeadline(long nanoTime);

    /** Stops any helper thread. */
    @Override
    void close();
}
