package dev.aarvark.devices;

/**
 * A device's memory-mapped register block, as the board maps it at one guest physical range.
 *
 * <p>Called only on the vCPU thread (one access at a time, in guest program order), so
 * implementations keep no locks. {@code offset} is relative to the start of the block and
 * {@code size} is the access width in bytes (1, 2, 4 or 8). A guest mistake (a bad offset, width or
 * value) is reported to the machine's {@link GuestErrorLog} and never throws: reads of nothing return 0,
 * writes to nothing are ignored, as a bus would.
 */
public interface MmioDevice {
    /** Short name for logs and guest errors, e.g. "pl011". */
    String name();

    /** Size of the register block in bytes. */
    long size();

    long read(long offset, int size);

    void write(long offset, int size, long value);
}
