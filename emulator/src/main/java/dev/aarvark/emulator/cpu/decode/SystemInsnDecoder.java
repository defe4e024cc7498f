package dev.aarvark.emulator.cpu.decode;

import static dev.aarvark.emulator.cpu.decode.Bits.bit;
import static dev.aarvark.emulator.cpu.decode.Bits.field;

/**
 * Decodes the instructions {@link SystemInsn} models (Arm ARM C4.1 "Branches, Exception Generating
 * and System instructions"): the System class {@code 1101010100 L op0[20:19] op1 CRn CRm op2 Rt},
 * the exception-generation class {@code 11010100 ...} and ERET/ERETAA/ERETAB.
 */
final class SystemInsnDecoder {
    private static final int ERET = 0xD69F_03E0;
    private static final int ERETAA = 0xD69F_0BFF;
    private static final int ERETAB = 0xD69F_0FFF;

    private SystemInsnDecoder() {}

    static SystemInsn decode(int insn) {
        if ((insn & 0xFFC0_0000) == 0xD500_0000) {
            return system(insn);
        }
        if ((insn & 0xFF00_0000) == 0xD400_0000) {
            return exceptionGeneration(insn);
        }
        return switch (insn) {
            case ERET -> new Eret(false, false);
            case ERETAA -> new Eret(true, false);
            case ERETAB -> new Eret(true, true);
            default -> null;
        };
    }

    private static SystemInsn system(int insn) {
        boolean l = bit(insn, 21);
        int op0 = field(insn, 19, 2);
        int op1 = field(insn, 16, 3);
        int crn = field(insn, 12, 4);
        int crm = field(insn, 8, 4);
        int op2 = field(insn, 5, 3);
        int rt = field(insn, 0, 5);
        if (op0 >= 2) {
            return new MoveSysReg(l, op0, op1, crn, crm, op2, rt);
        }
        if (op0 == 1) {
            return new SysOp(op1, crn, crm, op2, rt, l);
        }
        if (l || rt != 31) {
            return null;
        }
        return switch (crn) {
            case 4 -> new MsrImmediate(op1, crm, op2);
            case 2 -> op1 == 3 ? new Hint(crm, op2) : null;
            case 3 -> op1 == 3 ? barrier(crm, op2) : null;
            default -> null;
        };
    }

    private static Barrier barrier(int crm, int op2) {
        return switch (op2) {
            case 2 -> new Barrier(Barrier.Kind.CLREX, crm);
            case 4 -> switch (crm) {
                case 0 -> new Barrier(Barrier.Kind.SSBB, crm);
                case 4 -> new Barrier(Barrier.Kind.PSSBB, crm);
                default -> new Barrier(Barrier.Kind.DSB, crm);
            };
            case 5 -> new Barrier(Barrier.Kind.DMB, crm);
            case 6 -> new Barrier(Barrier.Kind.ISB, crm);
            case 7 -> crm == 0 ? new Barrier(Barrier.Kind.SB, crm) : null;
            default -> null;
        };
    }

    private static ExceptionGen exceptionGeneration(int insn) {
        int opc = field(insn, 21, 3);
        int imm16 = field(insn, 5, 16);
        int op2 = field(insn, 2, 3);
        int ll = field(insn, 0, 2);
        if (op2 != 0) {
            return null;
        }
        ExceptionGen.Kind kind = switch (opc) {
            case 0 -> switch (ll) {
                case 1 -> ExceptionGen.Kind.SVC;
                case 2 -> ExceptionGen.Kind.HVC;
                case 3 -> ExceptionGen.Kind.SMC;
                default -> null;
            };
            case 1 -> ll == 0 ? ExceptionGen.Kind.BRK : null;
            case 2 -> ll == 0 ? ExceptionGen.Kind.HLT : null;
            case 5 -> switch (ll) {
                case 1 -> ExceptionGen.Kind.DCPS1;
                case 2 -> ExceptionGen.Kind.DCPS2;
                case 3 -> ExceptionGen.Kind.DCPS3;
                default -> null;
            };
            default -> null;
        };
        return kind == null ? null : new ExceptionGen(kind, imm16);
    }
}
