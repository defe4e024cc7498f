package dev.aarvark.emulator.cpu;

/**
 * The {@code intno} values libunicorn passes to the interrupt hook: QEMU's {@code EXCP_*} numbers
 * (target/arm/cpu.h), with the PC each one leaves (docs/libunicorn.md, "Exceptions and aborts").
 */
public final class UnicornIntno {
    private UnicornIntno() {}

    /** UNDEFINED instruction (also HLT, traps of system registers, FP access traps); PC at it. */
    public static final int UDEF = 1;
    /** SVC; PC after it. */
    public static final int SWI = 2;
    /** Instruction abort; PC = the faulting fetch address. */
    public static final int PREFETCH_ABORT = 3;
    /** Data abort; PC at the faulting instruction. */
    public static final int DATA_ABORT = 4;
    /** IRQ (not seen: QEMU takes interrupts injected through HCR_EL2.VI itself). */
    public static final int IRQ = 5;
    /** FIQ (not seen, as IRQ). */
    public static final int FIQ = 6;
    /** BRK; PC at it. */
    public static final int BKPT = 7;
    /** HVC (with SCR_EL3.HCE set); PC after it. */
    public static final int HVC = 11;
    /** SMC; PC after it. */
    public static final int SMC = 13;
    /** Semihosting call, if the library routes HLT #0xF000 here; PC at it. */
    public static final int SEMIHOST = 16;
}
