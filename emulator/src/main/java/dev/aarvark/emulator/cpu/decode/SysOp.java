package dev.aarvark.emulator.cpu.decode;

/**
 * SYS ({@code withResult = false}) or SYSL ({@code withResult = true}): {@code 1101010100 L 01
 * op1[18:16] CRn[15:12] CRm[11:8] op2[7:5] Rt[4:0]}, Arm ARM C5.3. DC, IC, AT and TLBI are aliases of
 * SYS; Rt = 31 is XZR.
 */
public record SysOp(int op1, int crn, int crm, int op2, int rt, boolean withResult) implements SystemInsn {

    /** The family an operation belongs to, from its CRn/CRm/op1 (Arm ARM C5.3). */
    public enum Kind { DATA_CACHE, INSTRUCTION_CACHE, ADDRESS_TRANSLATION, TLB_INVALIDATE, OTHER }

    public SysOp {
        new SysRegKey(1, op1, crn, crm, op2); // validates the fields
        if (rt < 0 || rt > 31) {
            throw new IllegalArgumentException("Rt out of range: " + rt);
        }
    }

    /** The operation's coordinates with op0 = 1. */
    public SysRegKey key() {
        return new SysRegKey(1, op1, crn, crm, op2);
    }

    public Kind kind() {
        if (withResult) {
            return Kind.OTHER;
        }
        if (crn == 8 || crn == 9) {
            return Kind.TLB_INVALIDATE;
        }
        if (crn != 7) {
            return Kind.OTHER;
        }
        return switch (crm) {
            case 1, 5 -> Kind.INSTRUCTION_CACHE;
            case 8, 9 -> Kind.ADDRESS_TRANSLATION;
            case 4, 6, 10, 11, 12, 13, 14 -> Kind.DATA_CACHE;
            default -> Kind.OTHER;
        };
    }

    /** The ISS of an EC 0x18 exception for this instruction (Direction = 1 for SYSL). */
    public int iss() {
        return SystemAccessSyndrome.iss(key(), rt, withResult);
    }
}
