package dev.aarvark.devices;

/**
 * One interrupt wire from a device to the interrupt controller.
 *
 * <p>Level-sensitive devices call {@link #set} with the current level whenever it may have changed
 * (setting the same level again is harmless). Called only on the vCPU thread.
 */
@FunctionalInterface
public interface IrqLine {
    /** Drives the line high ({@code true}) or low. */
    void set(boolean level);

    /** A line connected to nothing. */
    IrqLine NONE = level -> { };
}
