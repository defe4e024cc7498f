package dev.aarvark.memory.mmu;

/**
 * A VMSAv8-64 translation granule: the page size, and with it how many virtual address bits each
 * lookup level resolves and at which levels block descriptors may appear (Arm ARM DDI 0487, chapter D5:
 * "The VMSAv8-64 address translation system" with its per-granule lookup tables, and "VMSAv8-64
 * translation table format descriptors").
 *
 * <p>Invariants (Armv8.0, 48-bit output, no FEAT_LPA/LPA2): a table of any granule holds
 * 2<sup>stride</sup> eight-byte descriptors, stride = page shift - 3; level 3 resolves the bits just
 * above the page offset; blocks exist only at level 1 and 2 for 4 KB (1 GB and 2 MB) and only at level
 * 2 for 16 KB (32 MB) and 64 KB (512 MB). Level-0 blocks (4 KB, 16 KB) and level-1 blocks (16 KB,
 * 64 KB) need FEAT_LPA2 or FEAT_LPA, so here a block descriptor at those levels is a translation fault.
 */
public enum TranslationGranule {
    /** 4 KB pages; levels 0-3 resolve VA bits 47:39, 38:30, 29:21, 20:12. */
    FOUR_KB(12),
    /** 16 KB pages; levels 0-3 resolve VA bits 47, 46:36, 35:25, 24:14. */
    SIXTEEN_KB(14),
    /** 64 KB pages; levels 1-3 resolve VA bits 47:42, 41:29, 28:16. */
    SIXTY_FOUR_KB(16);

    private final int pageShift;

    TranslationGranule(int pageShift) {
        this.pageShift = pageShift;
    }

    /**
     * The granule that TCR_EL1.TG0 (bits 15:14) selects: 0b00 4 KB, 0b01 64 KB, 0b10 16 KB.
     *
     * <p>0b11 is reserved. The Arm ARM (TCR_EL1.TG0) says a reserved value behaves as an IMPLEMENTATION
     * DEFINED choice among the implemented sizes. We choose 64 KB, because that is what the CPU core we
     * run beside does (QEMU 5.0, inside Unicorn 2, tests TG0 bit 14 for 64 KB before bit 15 for 16 KB),
     * and a re-walk of a fault the core reported must see the same tables the core saw.
     */
    public static TranslationGranule fromTg0(int tg0) {
        return switch (tg0 & 0b11) {
            case 0b00 -> FOUR_KB;
            case 0b01 -> SIXTY_FOUR_KB;
            case 0b10 -> SIXTEEN_KB;
            default -> SIXTY_FOUR_KB; // reserved 0b11: IMPLEMENTATION DEFINED, as the CPU core does
        };
    }

    /**
     * The granule that TCR_EL1.TG1 (bits 31:30) selects: 0b01 16 KB, 0b10 4 KB, 0b11 64 KB (note the
     * encoding differs from TG0).
     *
     * <p>0b00 is reserved (IMPLEMENTATION DEFINED choice, as for TG0). We choose 4 KB, which is again
     * what the CPU core does (it picks 16 KB only for 0b01 and 64 KB only for 0b11).
     */
    public static TranslationGranule fromTg1(int tg1) {
        return switch (tg1 & 0b11) {
            case 0b01 -> SIXTEEN_KB;
            case 0b10 -> FOUR_KB;
            case 0b11 -> SIXTY_FOUR_KB;
            default -> FOUR_KB; // reserved 0b00: IMPLEMENTATION DEFINED, as the CPU core does
        };
    }

    /** log2 of the page size: 12, 14 or 16. */
    public int pageShift() {
        return pageShift;
    }

    /** The page size in bytes. */
    public long pageSize() {
        return 1L << pageShift;
    }

    /** VA bits resolved by one full table: page shift - 3 (a table is one page of 8-byte entries). */
    public int stride() {
        return pageShift - 3;
    }

    /** The lowest VA bit that {@code level} resolves; also log2 of the size a level-{@code level} leaf maps. */
    public int levelShift(int level) {
        checkLevel(level);
        return pageShift + stride() * (3 - level);
    }

    /** The size in bytes that one leaf at {@code level} maps (a page at level 3, a block above). */
    public long mappingSize(int level) {
        return 1L << levelShift(level);
    }

    /**
     * The level at which a walk of an {@code inputBits}-bit VA range starts: the Arm ARM's
     * 4 - RoundUp((inputsize - grainsize) / stride) (the initial lookup level tables of
     * "The VMSAv8-64 address translation system" and the AArch64.TranslationTableWalk() pseudocode).
     */
    public int startLevel(int inputBits) {
        int resolved = inputBits - pageShift;
        if (resolved <= 0) {
            throw new IllegalArgumentException(inputBits + "-bit input is not larger than the " + pageSize() + "-byte page");
        }
        int levels = (resolved + stride() - 1) / stride();
        int start = 4 - levels;
        if (start < 0) {
            throw new IllegalArgumentException(inputBits + "-bit input needs more than four lookup levels with "
                    + pageSize() + "-byte pages");
        }
        return start;
    }

    /**
     * How many VA bits the table at {@code level} resolves in a walk of an {@code inputBits}-bit range:
     * the full stride below the start level, and the remaining top bits at the start level (so the start
     * table may be smaller than a page and is aligned to its own size).
     */
    public int indexBits(int level, int inputBits) {
        int start = startLevel(inputBits);
        if (level < start) {
            throw new IllegalArgumentException("level " + level + " is above the start level " + start
                    + " of a " + inputBits + "-bit range");
        }
        return level == start ? inputBits - levelShift(level) : stride();
    }

    /** True if a block descriptor (bits[1:0] == 0b01) is allowed at {@code level} (level 3 has pages only). */
    public boolean blockAllowedAt(int level) {
        checkLevel(level);
        return switch (this) {
            case FOUR_KB -> level == 1 || level == 2;
            case SIXTEEN_KB, SIXTY_FOUR_KB -> level == 2;
        };
    }

    private static void checkLevel(int level) {
        if (level < 0 || level > 3) {
            throw new IllegalArgumentException("lookup level " + level + " is not 0..3");
        }
    }
}
