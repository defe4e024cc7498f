package dev.aarvark.emulator.run;

/**
 * What CPU and device code may ask of the run loop. The first exit request wins; later ones are
 * ignored. Safe from any thread.
 */
public interface RunControl {
    /**
     * Ends the run with {@code exit}. Called from a hook on the vCPU thread, it also stops the
     * engine at once, so the guest does not run on past, say, PSCI SYSTEM_OFF. A hook that
     * requests an exit must not write the PC afterwards: libunicorn clears a pending stop when a
     * hook writes the PC (its {@code quit_request}).
     */
    void requestExit(MachineExit exit);

    /** True once an exit has been requested. */
    boolean exitRequested();
}
