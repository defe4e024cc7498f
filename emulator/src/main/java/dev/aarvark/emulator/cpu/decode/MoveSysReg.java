package dev.aarvark.emulator.cpu.decode;

/**
 * MRS (read, {@code L = 1}) or MSR (register) (write, {@code L = 0}): {@code 1101010100 L 1 o0
 * op1[18:16] CRn[15:12] CRm[11:8] op2[7:5] Rt[4:0]}, op0 = 1:o0 (2 or 3), Arm ARM C5.2. Rt = 31 is
 * XZR (MSR writes zero, MRS discards the value).
 *
 * @param read true for MRS
 */
public record MoveSysReg(boolean read, int op0, int op1, int crn, int crm, int op2, int rt)
        implements SystemInsn {

    public MoveSysReg {
        new SysRegKey(op0, op1, crn, crm, op2); // validates the fields
        if (op0 < 2 || rt < 0 || rt > 31) {
            throw new IllegalArgumentException("MRS/MSR needs op0 2 or 3 and Rt 0..31: op0=" + op0 + " rt=" + rt);
        }
    }

    /** The register being accessed, as a trap-table key. */
    public SysRegKey key() {
        return new SysRegKey(op0, op1, crn, crm, op2);
    }

    /** The ISS of an EC 0x18 exception for this instruction (Direction = 1 for MRS). */
    public int iss() {
        return SystemAccessSyndrome.iss(key(), rt, read);
    }
}
