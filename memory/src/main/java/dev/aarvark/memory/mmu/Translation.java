package dev.aarvark.memory.mmu;

/**
 * A successful stage-1 translation of one virtual address: where it goes, how big the mapping that
 * covers it is, and what the mapping says about memory type and access rights.
 *
 * <p>Fields: {@code va} as walked; {@code pa} its physical address; {@code level} of the leaf (1-3), or
 * {@link #UNTRANSLATED} when stage 1 is disabled; {@code size} of the leaf mapping (page or block; for
 * an untranslated access, the whole 2<sup>PAMax</sup> flat map); {@code memAttr}, the MAIR_EL1 attribute
 * byte the leaf's AttrIndx selects (synthesised when untranslated); {@code permissions} at EL1 and EL0;
 * {@code notGlobal}, the leaf's nG bit; {@code descriptorAddress} and {@code descriptor}, the leaf
 * descriptor's physical address and value as read ({@link #NO_DESCRIPTOR} and 0 when untranslated).
 *
 * <p>Invariants: {@code size} is a power of two; {@code pa} and {@code va} agree in their low
 * log2(size) bits; {@code memAttr} is a byte.
 */
public record Translation(long va, long pa, int level, long size, int memAttr, Permissions permissions,
                          boolean notGlobal, long descriptorAddress, long descriptor) implements WalkResult {
    /** The {@link #level} of an access made with stage-1 translation disabled. */
    public static final int UNTRANSLATED = -1;
    /** The {@link #descriptorAddress} when no descriptor was read. */
    public static final long NO_DESCRIPTOR = -1;

    public Translation {
        if (level < UNTRANSLATED || level > 3) {
            throw new IllegalArgumentException("leaf level " + level + " is not 1..3 or UNTRANSLATED");
        }
        if (Long.bitCount(size) != 1) {
            throw new IllegalArgumentException("mapping size " + Bits.hex(size) + " is not a power of two");
        }
        if (((va ^ pa) & (size - 1)) != 0) {
            throw new IllegalArgumentException("VA " + Bits.hex(va) + " and PA " + Bits.hex(pa)
                    + " differ inside one " + Bits.hex(size) + "-byte mapping");
        }
        if (memAttr < 0 || memAttr > 0xff) {
            throw new IllegalArgumentException("memory attribute " + memAttr + " is not a MAIR byte");
        }
        if (permissions == null) {
            throw new IllegalArgumentException("permissions are required");
        }
    }

    /**
     * True if the memory is Device memory: the attribute byte's high nibble is 0b0000 (MAIR_EL1 Attr&lt;n&gt;
     * encoding, Arm ARM D5 "Memory region attributes"); any other high nibble is Normal memory.
     */
    public boolean isDevice() {
        return (memAttr & 0xf0) == 0;
    }

    /** True if stage 1 was disabled (SCTLR_EL1.M == 0) and the address passed through unchanged. */
    public boolean untranslated() {
        return level == UNTRANSLATED;
    }

    /** The virtual address of the first byte the leaf maps. */
    public long mappingVa() {
        return va & ~(size - 1);
    }

    /** The physical address of the first byte the leaf maps. */
    public long mappingPa() {
        return pa & ~(size - 1);
    }
}
