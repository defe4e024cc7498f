package dev.aarvark.memory.mmu;

/**
 * The registers that control the EL1&amp;0 stage-1 translation regime, captured at one instant:
 * SCTLR_EL1, TCR_EL1, TTBR0_EL1, TTBR1_EL1 and MAIR_EL1, plus the CPU's physical address size
 * (PAMax, from ID_AA64MMFR0_EL1.PARange: 40 bits for Cortex-A53, 44 for Cortex-A57/A72).
 *
 * <p>Invariant: {@code paBits} is one of the Armv8.0 PARange sizes (32, 36, 40, 42, 44, 48). The
 * register values are kept raw; the accessors decode the fields the walker needs (the Arm ARM's
 * AArch64 system register descriptions). An SMMU context descriptor can be presented as a regime by packing its
 * TCR-equivalent fields into {@code tcr} and setting SCTLR.M.
 */
public record TranslationRegime(long sctlr, long tcr, long ttbr0, long ttbr1, long mair, int paBits) {
    /** SCTLR_EL1.M, bit 0: stage-1 translation enabled. */
    private static final int SCTLR_M = 0;
    /** SCTLR_EL1.I, bit 12: instruction cacheability when translation is disabled. */
    private static final int SCTLR_I = 12;
    /** SCTLR_EL1.WXN, bit 19: writable implies execute-never. */
    private static final int SCTLR_WXN = 19;
    /** SCTLR_EL1.EE, bit 25: endianness of EL1 data accesses and of EL1&amp;0 stage-1 table walks. */
    private static final int SCTLR_EE = 25;
    /** TCR_EL1.IPS, bits 34:32: intermediate physical (here: output) address size. */
    private static final int TCR_IPS = 32;

    public TranslationRegime {
        if (!isArmv80PaSize(paBits)) {
            throw new IllegalArgumentException("physical address size " + paBits
                    + " bits is not an Armv8.0 PARange size (32, 36, 40, 42, 44 or 48)");
        }
    }

    /**
     * The physical address size in bits that ID_AA64MMFR0_EL1.PARange (bits 3:0) advertises.
     *
     * @throws IllegalArgumentException for 52-bit (FEAT_LPA, not modelled) and reserved encodings
     */
    public static int paBitsFromIdAa64Mmfr0(long idAa64Mmfr0) {
        int parange = Bits.field(idAa64Mmfr0, 0, 4);
        return switch (parange) {
            case 0 -> 32;
            case 1 -> 36;
            case 2 -> 40;
            case 3 -> 42;
            case 4 -> 44;
            case 5 -> 48;
            default -> throw new IllegalArgumentException("ID_AA64MMFR0_EL1.PARange " + parange
                    + " is not an Armv8.0 physical address size (52-bit FEAT_LPA is not modelled)");
        };
    }

    private static boolean isArmv80PaSize(int bits) {
        return bits == 32 || bits == 36 || bits == 40 || bits == 42 || bits == 44 || bits == 48;
    }

    /** SCTLR_EL1.M: stage-1 translation is enabled. */
    public boolean mmuEnabled() {
        return Bits.bit(sctlr, SCTLR_M);
    }

    /** SCTLR_EL1.WXN: every writable mapping is execute-never at the level that can write it. */
    public boolean writeImpliesExecuteNever() {
        return Bits.bit(sctlr, SCTLR_WXN);
    }

    /** SCTLR_EL1.I: instruction fetches are cacheable when translation is disabled. */
    public boolean instructionCacheEnabled() {
        return Bits.bit(sctlr, SCTLR_I);
    }

    /** SCTLR_EL1.EE: stage-1 translation table descriptors are read big-endian. */
    public boolean bigEndianTableWalks() {
        return Bits.bit(sctlr, SCTLR_EE);
    }

    /**
     * The effective output address size of a walk: TCR_EL1.IPS decoded (0b000 32, 0b001 36, 0b010 40,
     * 0b011 42, 0b100 44, 0b101 48 bits), limited to PAMax (the Arm ARM: an IPS larger than the
     * implemented physical address size behaves as the implemented size). 0b110 means 52 bits only
     * with FEAT_LPA and 0b111 is reserved (IMPLEMENTATION DEFINED); without FEAT_LPA the walk pseudocode
     * gives 0b110 48 bits, and we use 48 for 0b111 as well, before the PAMax limit.
     */
    public int outputAddressBits() {
        int ips = Bits.field(tcr, TCR_IPS, 3);
        int size = switch (ips) {
            case 0 -> 32;
            case 1 -> 36;
            case 2 -> 40;
            case 3 -> 42;
            case 4 -> 44;
            default -> 48;
        };
        return Math.min(size, paBits);
    }
}
