package dev.aarvark.emulator.cpu.unicorn;

/**
 * Register identifiers of libunicorn's {@code uc_arm64_reg} enum (unicorn/arm64.h, 2.1.x; the values
 * are the same in 2.0.1). Only the registers aarvark reads or writes directly; every other system
 * register goes through {@link #CP_REG} with its (op0, op1, CRn, CRm, op2) encoding.
 */
public final class Arm64Reg {
    private Arm64Reg() {}

    public static final int X29 = 1;
    public static final int X30 = 2;
    public static final int NZCV = 3;
    public static final int SP = 4;
    public static final int XZR = 7;
    public static final int X0 = 199;
    public static final int X28 = 227;
    public static final int PC = 260;
    public static final int CPACR_EL1 = 261;
    public static final int TPIDR_EL0 = 262;
    public static final int TPIDRRO_EL0 = 263;
    public static final int TPIDR_EL1 = 264;
    public static final int PSTATE = 265;
    public static final int ELR_EL0 = 266;
    public static final int ELR_EL1 = 267;
    public static final int SP_EL0 = 270;
    public static final int SP_EL1 = 271;
    public static final int TTBR0_EL1 = 274;
    public static final int TTBR1_EL1 = 275;
    public static final int ESR_EL1 = 277;
    public static final int FAR_EL1 = 281;
    public static final int PAR_EL1 = 284;
    public static final int MAIR_EL1 = 285;
    public static final int VBAR_EL1 = 287;
    public static final int CP_REG = 290;
    public static final int FPCR = 291;
    public static final int FPSR = 292;

    /** The id of general-purpose register Xn (0..30); 31 is not a general-purpose register here. */
    public static int x(int n) {
        if (n < 0 || n > 30) {
            throw new IllegalArgumentException("no general-purpose register X" + n);
        }
        if (n <= 28) {
            return X0 + n;
        }
        return n == 29 ? X29 : X30;
    }
}
