package dev.aarvark.emulator.cpu.decode;

/**
 * A hint instruction: {@code 11010101000000110010 CRm[11:8] op2[7:5] 11111}, Arm ARM C5.2 "HINT".
 * The hint number is CRm:op2; unallocated hints execute as NOP.
 */
public record Hint(int crm, int op2) implements SystemInsn {

    public Hint {
        if (crm < 0 || crm > 15 || op2 < 0 || op2 > 7) {
            throw new IllegalArgumentException("bad hint CRm=" + crm + " op2=" + op2);
        }
    }

    /** CRm:op2, the {@code #imm} of {@code HINT #imm}. */
    public int number() {
        return (crm << 3) | op2;
    }

    public boolean isWfi() {
        return number() == 3;
    }

    public boolean isWfe() {
        return number() == 2;
    }

    /** The mnemonic for common hints, "hint #n" for the rest. */
    public String name() {
        return switch (number()) {
            case 0 -> "nop";
            case 1 -> "yield";
            case 2 -> "wfe";
            case 3 -> "wfi";
            case 4 -> "sev";
            case 5 -> "sevl";
            case 16 -> "esb";
            case 20 -> "csdb";
            case 32 -> "bti";
            case 34 -> "bti c";
            case 36 -> "bti j";
            case 38 -> "bti jc";
            default -> "hint #" + number();
        };
    }
}
