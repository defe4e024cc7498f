package dev.aarvark.emulator.cpu;

/**
 * Builds ESR_EL1 values (Arm ARM D13.2.37 "ESR_EL1", the ISS encodings per exception class).
 *
 * <p>Layout: EC in bits [31:26], IL in bit [25] (1 = 32-bit instruction; always 1 for A64 except
 * where the architecture says IL is 1 for an exception not caused by an instruction, e.g. aborts on
 * instruction fetch, SError), ISS in bits [24:0].
 */
public final class Esr {
    private Esr() {}

    /** Unknown reason (includes UNDEFINED instructions). */
    public static final int EC_UNKNOWN = 0x00;
    /** Trapped WFI or WFE. */
    public static final int EC_WFX = 0x01;
    /** Access to SIMD/FP trapped by CPACR_EL1.FPEN. */
    public static final int EC_FP_ACCESS = 0x07;
    /** Illegal Execution state (PSTATE.IL set). */
    public static final int EC_ILLEGAL_STATE = 0x0E;
    /** SVC from AArch64. */
    public static final int EC_SVC64 = 0x15;
    /** HVC from AArch64. */
    public static final int EC_HVC64 = 0x16;
    /** SMC from AArch64. */
    public static final int EC_SMC64 = 0x17;
    /** Trapped MSR, MRS or System instruction from AArch64. */
    public static final int EC_SYSREG = 0x18;
    /** Instruction abort from a lower exception level. */
    public static final int EC_IABT_LOWER = 0x20;
    /** Instruction abort taken without a change of exception level. */
    public static final int EC_IABT_SAME = 0x21;
    /** PC alignment fault. */
    public static final int EC_PC_ALIGN = 0x22;
    /** Data abort from a lower exception level. */
    public static final int EC_DABT_LOWER = 0x24;
    /** Data abort taken without a change of exception level. */
    public static final int EC_DABT_SAME = 0x25;
    /** SP alignment fault. */
    public static final int EC_SP_ALIGN = 0x26;
    /** SError interrupt. */
    public static final int EC_SERROR = 0x2F;
    /** BRK instruction from AArch64. */
    public static final int EC_BRK64 = 0x3C;

    /** Data abort ISS: WnR, bit 6. */
    public static final int ISS_WNR = 1 << 6;
    /** Data abort ISS: cache maintenance, bit 8. */
    public static final int ISS_CM = 1 << 8;
    /** Abort ISS: external abort type, bit 9. */
    public static final int ISS_EA = 1 << 9;

    /** ESR with IL = 1 (a 32-bit instruction or an exception for which IL is architecturally 1). */
    public static long of(int ec, int iss) {
        return ((long) ec << 26) | (1L << 25) | (iss & 0x1ff_ffffL);
    }

    /** The EC field of an ESR value. */
    public static int ec(long esr) {
        return (int) ((esr >>> 26) & 0x3f);
    }

    /** The ISS field of an ESR value. */
    public static int iss(long esr) {
        return (int) (esr & 0x1ff_ffff);
    }
}
