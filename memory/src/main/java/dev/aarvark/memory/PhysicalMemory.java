package dev.aarvark.memory;

/**
 * Guest physical memory as Java sees it: little-endian reads and writes by physical address.
 *
 * <p>Implemented by {@link GuestRam} (one bank) and {@link AddressSpace} (the whole board). An access
 * that any byte of falls outside RAM throws {@link PhysicalAccessException}; no access is ever
 * partially performed. This is what the table walker reads descriptors through and what the
 * IOMMU's bypass mode reads and writes device data through.
 */
public interface PhysicalMemory {
    byte readByte(long pa);

    int readInt(long pa);

    long readLong(long pa);

    void writeByte(long pa, byte v);

    void writeInt(long pa, int v);

    void writeLong(long pa, long v);

    /** Copies {@code len} bytes from guest {@code pa} into {@code dst[dstOff..]}. */
    void read(long pa, byte[] dst, int dstOff, int len);

    /** Copies {@code len} bytes of {@code src[srcOff..]} to guest {@code pa}. */
    void write(long pa, byte[] src, int srcOff, int len);

    /** True if {@code [pa, pa+len)} is entirely RAM. */
    boolean isRam(long pa, long len);

    /** True if {@code pa} lies in a device's registers (not RAM, not a hole); false by default. */
    default boolean isDevice(long pa) {
        return false;
    }
}
