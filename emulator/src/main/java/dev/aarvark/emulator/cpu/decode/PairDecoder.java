package dev.aarvark.emulator.cpu.decode;

import static dev.aarvark.emulator.cpu.decode.Bits.bit;
import static dev.aarvark.emulator.cpu.decode.Bits.field;
import static dev.aarvark.emulator.cpu.decode.Bits.signedField;

/**
 * Load/store pair and no-allocate pair, Arm ARM C4.1 "Loads and Stores":
 * {@code opc[31:30] 101 V[26] 0 mode[24:23] L[22] imm7[21:15] Rt2[14:10] Rn[9:5] Rt[4:0]},
 * mode 00 no-allocate (offset), 01 post-index, 10 signed offset, 11 pre-index.
 *
 * <p>The offset is SignExtend(imm7) scaled by the element size; post-index accesses the unmodified
 * base, the other modes base + offset. Elements: opc 00 W (LDPSW is opc 01 with L=1), 10 X; for
 * SIMD&amp;FP opc 00 S, 01 D, 10 Q. The size reported is both elements together.
 */
final class PairDecoder {
    private PairDecoder() {}

    static DataAccess decode(int insn, RegisterReader regs) {
        int opc = field(insn, 30, 2);
        boolean simd = bit(insn, 26);
        int mode = field(insn, 23, 2);
        boolean load = bit(insn, 22);
        int scale;
        String name;
        if (simd) {
            if (opc == 3) {
                return null;
            }
            scale = 2 + opc;
            name = load ? "ldp" : "stp";
        } else if (opc == 0 || opc == 2) {
            scale = opc == 0 ? 2 : 3;
            name = load ? "ldp" : "stp";
        } else if (opc == 1 && load && mode != 0) {
            scale = 2;
            name = "ldpsw";
        } else {
            return null; // STGP (FEAT_MTE) and unallocated encodings are not decoded
        }
        if (mode == 0) {
            name = load ? "ldnp" : "stnp";
        }
        long base = regs.xOrSp(field(insn, 5, 5));
        long offset = signedField(insn, 15, 7) << scale;
        long address = mode == 1 ? base : base + offset;
        return AccessBuilder.transfer(load, name, address, 2 << scale).simd(simd).build();
    }
}
