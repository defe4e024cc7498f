package dev.aarvark.emulator.cpu.decode;

/**
 * An exception-generating instruction: {@code 11010100 opc[23:21] imm16[20:5] op2[4:2] LL[1:0]},
 * Arm ARM C4.1 "Exception generation". SVC/HVC/SMC (opc 000, LL 01/10/11), BRK (001), HLT (010,
 * the A64 semihosting trap uses {@code HLT #0xF000}) and DCPS1..3 (101, LL 01..11).
 */
public record ExceptionGen(Kind kind, int imm16) implements SystemInsn {

    /** Which exception-generating instruction (opc and LL fields). */
    public enum Kind { SVC, HVC, SMC, BRK, HLT, DCPS1, DCPS2, DCPS3 }

    /** The immediate of the A64 semihosting call, {@code HLT #0xF000}. */
    public static final int SEMIHOSTING_HLT_IMMEDIATE = 0xF000;

    public ExceptionGen {
        if (kind == null || imm16 < 0 || imm16 > 0xFFFF) {
            throw new IllegalArgumentException("bad exception-generating instruction: " + kind + " #" + imm16);
        }
    }

    /** Whether this is the A64 semihosting trap {@code HLT #0xF000}. */
    public boolean semihosting() {
        return kind == Kind.HLT && imm16 == SEMIHOSTING_HLT_IMMEDIATE;
    }
}
