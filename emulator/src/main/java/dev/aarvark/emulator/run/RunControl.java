package dev.aarvark.emulator.run;

/**
 * What CPU and device code may ask of the run loop. The first exit request wins; later ones are
 * ignored. Safe from any thread.
 */
public interface RunControl {
    /** Ends the run with {@code exit} as soon as the vCPU thread regains control. */
    void requestExit(MachineExit exit);
}
