package dev.aarvark.emulator.cpu;

/**
 * PSTATE as libunicorn's {@code UC_ARM64_REG_PSTATE} reads and writes it, which is the SPSR_ELx
 * layout for AArch64 (Arm ARM C5.2.18 "SPSR_EL1"): N Z C V in bits 31..28, SS 21, IL 20, D A I F in
 * bits 9..6, nRW in bit 4, and M[3:0] (EL in bits 3..2, SPSel in bit 0).
 */
public final class Pstate {
    private Pstate() {}

    public static final long NZCV = 0xf000_0000L;
    public static final long SS = 1L << 21;
    public static final long IL = 1L << 20;
    public static final long D = 1L << 9;
    public static final long A = 1L << 8;
    public static final long I = 1L << 7;
    public static final long F = 1L << 6;
    public static final long DAIF = D | A | I | F;
    /** Execution state: 1 = AArch32. */
    public static final long NRW = 1L << 4;
    /** M[3:0] for EL0t. */
    public static final long EL0T = 0b0000;
    /** M[3:0] for EL1t (EL1 using SP_EL0). */
    public static final long EL1T = 0b0100;
    /** M[3:0] for EL1h (EL1 using SP_EL1). */
    public static final long EL1H = 0b0101;

    /** The exception level in {@code pstate} (0..3). */
    public static int el(long pstate) {
        return (int) ((pstate >>> 2) & 3);
    }

    /** True if {@code pstate} selects the ELx stack pointer (SPSel = 1). */
    public static boolean spx(long pstate) {
        return (pstate & 1) != 0;
    }
}
