package dev.aarvark.emulator.cpu.decode;

/**
 * MSR (immediate), a write of a PSTATE field: {@code 1101010100 0 00 op1[18:16] 0100 CRm[11:8]
 * op2[7:5] 11111}, Arm ARM C5.2 "MSR (immediate)"; the immediate is CRm.
 */
public record MsrImmediate(int op1, int crm, int op2) implements SystemInsn {

    public MsrImmediate {
        new SysRegKey(0, op1, 4, crm, op2); // validates the fields
    }

    /** The 4-bit immediate operand (CRm). */
    public int immediate() {
        return crm;
    }

    /**
     * The PSTATE field written: "SPSel", "DAIFSet", "DAIFClr", "UAO", "PAN", "SSBS", "DIT", "TCO",
     * or the generic {@code S0_op1_C4_Ccrm_op2} form for other encodings.
     */
    public String field() {
        return switch ((op1 << 3) | op2) {
            case 0b000_011 -> "UAO";
            case 0b000_100 -> "PAN";
            case 0b000_101 -> "SPSel";
            case 0b011_001 -> "SSBS";
            case 0b011_010 -> "DIT";
            case 0b011_100 -> "TCO";
            case 0b011_110 -> "DAIFSet";
            case 0b011_111 -> "DAIFClr";
            default -> new SysRegKey(0, op1, 4, crm, op2).toString();
        };
    }
}
