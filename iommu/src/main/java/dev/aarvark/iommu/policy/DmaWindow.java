package dev.aarvark.iommu.policy;

/**
 * One guest-physical range a device may reach by DMA under a host policy: {@code [base, base +
 * length)}, read-only or read-write.
 *
 * <p>Invariants: {@code length > 0} and the range does not wrap past 2^64.
 */
public record DmaWindow(long base, long length, boolean writable) {
    public DmaWindow {
        if (length <= 0) {
            throw new IllegalArgumentException("window length " + length + " is not positive");
        }
        if (Long.compareUnsigned(base + length, base) < 0 && base + length != 0) {
            throw new IllegalArgumentException(String.format("window 0x%x+0x%x wraps past 2^64", base, length));
        }
    }

    /** The first address after the window (0 if the window ends at 2^64). */
    public long end() {
        return base + length;
    }

    /** True if {@code address} lies inside the window. */
    public boolean contains(long address) {
        return Long.compareUnsigned(address - base, length) < 0;
    }

    @Override
    public String toString() {
        return String.format("[0x%x, 0x%x) %s", base, base + length, writable ? "rw" : "ro");
    }
}
