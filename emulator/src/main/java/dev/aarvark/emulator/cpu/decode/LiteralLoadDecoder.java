package dev.aarvark.emulator.cpu.decode;

import static dev.aarvark.emulator.cpu.decode.Bits.bit;
import static dev.aarvark.emulator.cpu.decode.Bits.field;
import static dev.aarvark.emulator.cpu.decode.Bits.signedField;

/**
 * Load register (literal), Arm ARM C4.1 "Loads and Stores": {@code opc[31:30] 011 V[26] 00
 * imm19[23:5] Rt[4:0]}. The address is PC + SignExtend(imm19:'00'); LDR W/X, LDRSW, PRFM, and the
 * SIMD&amp;FP LDR S/D/Q.
 */
final class LiteralLoadDecoder {
    private LiteralLoadDecoder() {}

    static DataAccess decode(int insn, long pc) {
        int opc = field(insn, 30, 2);
        boolean simd = bit(insn, 26);
        long address = pc + (signedField(insn, 5, 19) << 2);
        if (simd) {
            if (opc == 3) {
                return null; // unallocated
            }
            return AccessBuilder.load("ldr", address, 4 << opc).simd(true).build();
        }
        return switch (opc) {
            case 0 -> AccessBuilder.load("ldr", address, 4).build();
            case 1 -> AccessBuilder.load("ldr", address, 8).build();
            case 2 -> AccessBuilder.load("ldrsw", address, 4).build();
            default -> AccessBuilder.prefetch("prfm", address).build();
        };
    }
}
