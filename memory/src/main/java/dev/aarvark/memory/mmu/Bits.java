package dev.aarvark.memory.mmu;

/** Bit-field helpers for 64-bit register and descriptor values (no state). */
final class Bits {
    private Bits() {
    }

    /**
     * A mask of bits {@code hi} down to {@code lo}, inclusive ({@code hi:lo} in Arm ARM notation);
     * zero when {@code lo > hi}, which is how "bits[47:48]" (an empty range) must read.
     */
    static long mask(int hi, int lo) {
        if (lo > hi) {
            return 0;
        }
        if (hi < 0 || hi > 63 || lo < 0) {
            throw new IllegalArgumentException("bit range " + hi + ":" + lo + " is outside a 64-bit value");
        }
        return (-1L >>> (63 - hi)) & (-1L << lo);
    }

    /** The {@code width}-bit field of {@code value} that starts at bit {@code lo}. */
    static int field(long value, int lo, int width) {
        return (int) ((value >>> lo) & ((1L << width) - 1));
    }

    /** True if bit {@code n} of {@code value} is set. */
    static boolean bit(long value, int n) {
        return ((value >>> n) & 1) != 0;
    }

    static String hex(long value) {
        return "0x" + Long.toHexString(value);
    }
}
