package dev.aarvark.emulator.cpu.decode;

/**
 * A barrier or CLREX: {@code 11010101000000110011 CRm[11:8] op2[7:5] 11111}, Arm ARM C5.2; op2 010
 * CLREX, 100 DSB (CRm 0000 is SSBB and 0100 PSSBB), 101 DMB, 110 ISB, 111 SB.
 *
 * @param crm the option field: the shareability domain and access types for DSB/DMB
 */
public record Barrier(Kind kind, int crm) implements SystemInsn {

    /** Which barrier (op2, and CRm for the speculative store bypass barriers). */
    public enum Kind { CLREX, DSB, DMB, ISB, SB, SSBB, PSSBB }

    public Barrier {
        if (kind == null || crm < 0 || crm > 15) {
            throw new IllegalArgumentException("bad barrier " + kind + " CRm=" + crm);
        }
    }
}
