package dev.aarvark.emulator.cpu.decode;

/**
 * An instruction of the A64 "Branches, Exception Generating and System instructions" group that the
 * CPU core has to emulate or classify: MRS/MSR (register), MSR (immediate), SYS/SYSL, hints,
 * barriers, exception generation (SVC/HVC/SMC/BRK/HLT/DCPSn) and ERET (Arm ARM C4.1, C5.1, C5.2).
 *
 * <p>{@link #decode(int)} returns null for every other instruction, for unallocated encodings in
 * these classes and for extensions not modelled (WFET/WFIT, TME, DSB nXS, DRPS).
 */
public sealed interface SystemInsn
        permits MoveSysReg, MsrImmediate, SysOp, ExceptionGen, Hint, Barrier, Eret {

    /** Decodes {@code insn}, or returns null when it is none of the permitted kinds. */
    static SystemInsn decode(int insn) {
        return SystemInsnDecoder.decode(insn);
    }
}
