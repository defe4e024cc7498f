package dev.aarvark.devices.io;

/**
 * Where a device's output bytes go on the host side (a console, a log file, a socket writer).
 *
 * <p>Called only on the vCPU thread, synchronously, while the guest's register write that produced
 * the bytes is being handled. The array belongs to the caller and is reused: an implementation that
 * keeps the bytes must copy them before returning. An implementation must not block for long (it
 * stalls the guest) and must bound its own buffering; what it does with bytes it cannot take
 * (drop and count, or block) is its own policy.
 */
@FunctionalInterface
public interface ByteSink {
    /** Takes {@code len} bytes of {@code b} starting at {@code off}. */
    void write(byte[] b, int off, int len);

    /** Pushes out anything buffered (called by the run loop between slices); nothing by default. */
    default void flush() {
    }

    /** A sink that discards everything. */
    ByteSink DISCARD = (b, off, len) -> { };
}
