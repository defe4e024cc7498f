package dev.aarvark.emulator.cpu.decode;

/**
 * The syndrome of an exception with EC 0x18, "Trapped MSR, MRS or System instruction execution in
 * AArch64 state" (Arm ARM, ESR_ELx, "ISS encoding for an exception from MSR, MRS, or System
 * instruction execution in AArch64 state"):
 *
 * <pre>
 *  24..22  21..20  19..17  16..14  13..10  9..5  4..1  0
 *  RES0    Op0     Op2     Op1     CRn     Rt    CRm   Direction (1 = read: MRS, SYSL)
 * </pre>
 *
 * The CPU core delivers it for EL0 accesses that Linux emulates (for instance {@code MRS
 * MIDR_EL1}), the kernel reading the register and Rt back out of ESR_EL1.
 */
public final class SystemAccessSyndrome {
    /** The exception class. */
    public static final int EC = 0x18;

    private SystemAccessSyndrome() {}

    /**
     * The 25-bit ISS.
     *
     * @param key  the register or operation
     * @param rt   the transfer register, 0..31
     * @param read Direction: true for MRS and SYSL, false for MSR and SYS
     */
    public static int iss(SysRegKey key, int rt, boolean read) {
        if (rt < 0 || rt > 31) {
            throw new IllegalArgumentException("Rt out of range: " + rt);
        }
        return (key.op0() << 20)
                | (key.op2() << 17)
                | (key.op1() << 14)
                | (key.crn() << 10)
                | (rt << 5)
                | (key.crm() << 1)
                | (read ? 1 : 0);
    }

    /** The full ESR_ELx value: EC, IL = 1 (a 32-bit instruction) and the ISS. */
    public static long esr(int iss) {
        if ((iss & ~0x1FF_FFFF) != 0) {
            throw new IllegalArgumentException("ISS wider than 25 bits: 0x" + Integer.toHexString(iss));
        }
        return ((long) EC << 26) | (1L << 25) | iss;
    }
}
