package dev.aarvark.memory.mmu;

/**
 * A virtually and physically contiguous piece of a translated virtual range: {@code length} bytes at
 * {@code va} map to {@code length} bytes at {@code pa}. Invariant: {@code length} is positive.
 */
public record PhysicalSpan(long va, long pa, long length) {
    public PhysicalSpan {
        if (length <= 0) {
            throw new IllegalArgumentException("span length " + length + " is not positive");
        }
    }
}
