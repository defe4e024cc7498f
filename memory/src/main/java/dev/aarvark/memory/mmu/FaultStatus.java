package dev.aarvark.memory.mmu;

/**
 * The fault status codes of ESR_ELx.ISS for data and instruction aborts (DFSC/IFSC, ISS bits 5:0; Arm
 * ARM DDI 0487, the ESR_EL1 register description: "ISS encoding for an exception from a Data Abort" and
 * "... from an Instruction Abort"). Every FSC encoding the emulator produces lives here.
 *
 * <p>The walk faults are a 4-bit kind followed by the 2-bit level (0b kkkk LL): address size 0b0000LL,
 * translation 0b0001LL, Access flag 0b0010LL, permission 0b0011LL, synchronous external abort on a
 * translation table walk 0b0101LL. Armv8.0 defines Access flag and permission faults at levels 1-3 only
 * (the level-0 codes 0b001000 and 0b001100 are reserved there), which matches the walker: leaves exist
 * only at levels 1-3.
 */
public final class FaultStatus {
    /** Alignment fault, 0b100001 (0x21). */
    public static final int ALIGNMENT = 0b100001;
    /** Synchronous External abort, not on a translation table walk, 0b010000 (0x10). */
    public static final int SYNCHRONOUS_EXTERNAL_ABORT = 0b010000;

    private static final int ADDRESS_SIZE_BASE = 0b000000;
    private static final int TRANSLATION_BASE = 0b000100;
    private static final int ACCESS_FLAG_BASE = 0b001000;
    private static final int PERMISSION_BASE = 0b001100;
    private static final int EXTERNAL_ABORT_ON_WALK_BASE = 0b010100;

    private FaultStatus() {
    }

    /**
     * The 6-bit DFSC/IFSC of a walk fault of {@code kind} at {@code level}.
     *
     * @throws IllegalArgumentException if the level is outside 0..3, or is 0 for an Access flag or
     *         permission fault (reserved encodings in Armv8.0)
     */
    public static int of(FaultKind kind, int level) {
        if (level < 0 || level > 3) {
            throw new IllegalArgumentException("fault level " + level + " is not 0..3");
        }
        int base = switch (kind) {
            case ADDRESS_SIZE -> ADDRESS_SIZE_BASE;
            case TRANSLATION -> TRANSLATION_BASE;
            case ACCESS_FLAG -> ACCESS_FLAG_BASE;
            case PERMISSION -> PERMISSION_BASE;
            case EXTERNAL_ABORT_ON_WALK -> EXTERNAL_ABORT_ON_WALK_BASE;
        };
        if (level == 0 && (kind == FaultKind.ACCESS_FLAG || kind == FaultKind.PERMISSION)) {
            throw new IllegalArgumentException(kind + " fault at level 0 has no Armv8.0 encoding");
        }
        return base | level;
    }

    /** A short description of an FSC this class produces, for guest-error logs ("translation fault, level 3"). */
    public static String describe(int fsc) {
        if (fsc == ALIGNMENT) {
            return "alignment fault";
        }
        if (fsc == SYNCHRONOUS_EXTERNAL_ABORT) {
            return "synchronous external abort";
        }
        int level = fsc & 0b11;
        String kind = switch (fsc & ~0b11) {
            case ADDRESS_SIZE_BASE -> "address size fault";
            case TRANSLATION_BASE -> "translation fault";
            case ACCESS_FLAG_BASE -> "access flag fault";
            case PERMISSION_BASE -> "permission fault";
            case EXTERNAL_ABORT_ON_WALK_BASE -> "synchronous external abort on translation table walk";
            default -> null;
        };
        return kind == null ? "unknown FSC 0b" + Integer.toBinaryString(fsc) : kind + ", level " + level;
    }
}
