package dev.aarvark.emulator.cpu;

/**
 * A system register's encoding (op0, op1, CRn, CRm, op2), packed into one int so it can key maps and
 * switch statements. Arm ARM C5.3 lists the encodings; the constants below are the registers the
 * CPU core reads or writes itself through Unicorn's {@code CP_REG} interface.
 *
 * <p>Packing: {@code op0<<14 | op1<<11 | CRn<<7 | CRm<<3 | op2}, the same field order as the MRS/MSR
 * instruction's bits 20..5, so a decoded instruction's {@code (insn >>> 5) & 0xffff} is its key.
 */
public record SysReg(int op0, int op1, int crn, int crm, int op2) {
    public SysReg {
        if (op0 < 0 || op0 > 3 || op1 < 0 || op1 > 7 || crn < 0 || crn > 15 || crm < 0 || crm > 15 || op2 < 0 || op2 > 7) {
            throw new IllegalArgumentException("bad system register encoding " + op0 + "," + op1 + "," + crn + "," + crm + "," + op2);
        }
    }

    public static final SysReg SCTLR_EL1 = new SysReg(3, 0, 1, 0, 0);
    public static final SysReg CPACR_EL1 = new SysReg(3, 0, 1, 0, 2);
    public static final SysReg TTBR0_EL1 = new SysReg(3, 0, 2, 0, 0);
    public static final SysReg TTBR1_EL1 = new SysReg(3, 0, 2, 0, 1);
    public static final SysReg TCR_EL1 = new SysReg(3, 0, 2, 0, 2);
    public static final SysReg SPSR_EL1 = new SysReg(3, 0, 4, 0, 0);
    public static final SysReg ELR_EL1 = new SysReg(3, 0, 4, 0, 1);
    public static final SysReg ESR_EL1 = new SysReg(3, 0, 5, 2, 0);
    public static final SysReg FAR_EL1 = new SysReg(3, 0, 6, 0, 0);
    public static final SysReg MAIR_EL1 = new SysReg(3, 0, 10, 2, 0);
    public static final SysReg VBAR_EL1 = new SysReg(3, 0, 12, 0, 0);
    public static final SysReg MPIDR_EL1 = new SysReg(3, 0, 0, 0, 5);
    public static final SysReg MIDR_EL1 = new SysReg(3, 0, 0, 0, 0);
    public static final SysReg CNTKCTL_EL1 = new SysReg(3, 0, 14, 1, 0);
    public static final SysReg HCR_EL2 = new SysReg(3, 4, 1, 1, 0);
    public static final SysReg SCR_EL3 = new SysReg(3, 6, 1, 1, 0);
    public static final SysReg CNTFRQ_EL0 = new SysReg(3, 3, 14, 0, 0);
    public static final SysReg CNTVCT_EL0 = new SysReg(3, 3, 14, 0, 2);
    public static final SysReg CNTPCT_EL0 = new SysReg(3, 3, 14, 0, 1);
    public static final SysReg CNTP_TVAL_EL0 = new SysReg(3, 3, 14, 2, 0);
    public static final SysReg CNTP_CTL_EL0 = new SysReg(3, 3, 14, 2, 1);
    public static final SysReg CNTP_CVAL_EL0 = new SysReg(3, 3, 14, 2, 2);
    public static final SysReg CNTV_TVAL_EL0 = new SysReg(3, 3, 14, 3, 0);
    public static final SysReg CNTV_CTL_EL0 = new SysReg(3, 3, 14, 3, 1);
    public static final SysReg CNTV_CVAL_EL0 = new SysReg(3, 3, 14, 3, 2);
    public static final SysReg CNTVOFF_EL2 = new SysReg(3, 4, 14, 0, 3);

    /** The packed key. */
    public int key() {
        return key(op0, op1, crn, crm, op2);
    }

    /** Packs an encoding (see the class comment). */
    public static int key(int op0, int op1, int crn, int crm, int op2) {
        return (op0 << 14) | (op1 << 11) | (crn << 7) | (crm << 3) | op2;
    }

    /** The encoding of a packed key. */
    public static SysReg ofKey(int key) {
        return new SysReg((key >>> 14) & 3, (key >>> 11) & 7, (key >>> 7) & 15, (key >>> 3) & 15, key & 7);
    }

    @Override
    public String toString() {
        return "S" + op0 + "_" + op1 + "_C" + crn + "_C" + crm + "_" + op2;
    }
}
