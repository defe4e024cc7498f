package dev.aarvark.emulator.boot;

/**
 * A half-open range {@code [start, end)} of guest physical addresses, such as where a kernel, an
 * initrd or a DTB was placed. Invariant: {@code 0 <= start <= end}.
 */
public record PhysicalRange(long start, long end) {
    public PhysicalRange {
        if (start < 0 || end < start) {
            throw new IllegalArgumentException("invalid physical range " + Hex.range(start, end));
        }
    }

    /** The range of {@code size} bytes from {@code start}. */
    public static PhysicalRange ofSize(long start, long size) {
        return new PhysicalRange(start, Math.addExact(start, size));
    }

    public long size() {
        return end - start;
    }

    public boolean contains(long address) {
        return address >= start && address < end;
    }

    /** True if the two ranges share at least one byte. */
    public boolean overlaps(PhysicalRange other) {
        return start < other.end && other.start < end;
    }

    @Override
    public String toString() {
        return Hex.range(start, end);
    }
}
