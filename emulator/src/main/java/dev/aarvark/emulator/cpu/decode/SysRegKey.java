package dev.aarvark.emulator.cpu.decode;

/**
 * The (op0, op1, CRn, CRm, op2) coordinates of a System register or System instruction, Arm ARM
 * C5.1 "The System instruction class encoding space"; usable as a map key for trap tables.
 *
 * <p>{@link #packed()} lays the fields out as bits [20:5] of the MRS/MSR/SYS encoding shifted down
 * by 5 ({@code op0[15:14] op1[13:11] CRn[10:7] CRm[6:3] op2[2:0]}), so {@code (insn >>> 5) & 0xFFFF}
 * of any MRS/MSR is its key. {@link #toString()} prints the generic assembler name, e.g.
 * {@code S3_0_C12_C12_0} for ICC_IAR1_EL1.
 */
public record SysRegKey(int op0, int op1, int crn, int crm, int op2) {

    public SysRegKey {
        check("op0", op0, 3);
        check("op1", op1, 7);
        check("CRn", crn, 15);
        check("CRm", crm, 15);
        check("op2", op2, 7);
    }

    /** The key of the MRS, MSR (register), SYS or SYSL instruction {@code insn} (bits [20:5]). */
    public static SysRegKey ofInstruction(int insn) {
        return unpack((insn >>> 5) & 0xFFFF);
    }

    /** The key for a 16-bit value laid out as {@link #packed()} describes. */
    public static SysRegKey unpack(int packed) {
        if ((packed & ~0xFFFF) != 0) {
            throw new IllegalArgumentException("not a packed system register key: 0x" + Integer.toHexString(packed));
        }
        return new SysRegKey(packed >>> 14, (packed >>> 11) & 7, (packed >>> 7) & 0xF, (packed >>> 3) & 0xF, packed & 7);
    }

    /** The five fields in 16 bits: {@code op0[15:14] op1[13:11] CRn[10:7] CRm[6:3] op2[2:0]}. */
    public int packed() {
        return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
    }

    @Override
    public String toString() {
        return "S" + op0 + "_" + op1 + "_C" + crn + "_C" + crm + "_" + op2;
    }

    private static void check(String name, int value, int max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(name + " out of range 0.." + max + ": " + value);
        }
    }
}
