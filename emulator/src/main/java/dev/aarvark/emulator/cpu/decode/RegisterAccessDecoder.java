package dev.aarvark.emulator.cpu.decode;

import static dev.aarvark.emulator.cpu.decode.Bits.bit;
import static dev.aarvark.emulator.cpu.decode.Bits.field;
import static dev.aarvark.emulator.cpu.decode.Bits.signedField;

/**
 * The single-register load/store classes, Arm ARM C4.1 "Loads and Stores":
 * {@code size[31:30] 111 V[26] 0 U[24] opc[23:22] ...}.
 *
 * <ul>
 *   <li>U=1: unsigned immediate, address = Xn|SP + imm12[21:10] &lt;&lt; scale.</li>
 *   <li>U=0, bit 21 = 0, imm9[20:12] signed, bits[11:10]: 00 unscaled (LDUR/STUR/PRFUM),
 *       01 post-index (FAR = base), 10 unprivileged (LDTR/STTR family, general-purpose only),
 *       11 pre-index (base + imm9).</li>
 *   <li>U=0, bit 21 = 1, bits[11:10] = 10: register offset, address = Xn|SP + (extend(Rm) &lt;&lt;
 *       (S ? scale : 0)) with option[15:13] 010 UXTW, 011 LSL/UXTX, 110 SXTW, 111 SXTX; a W index
 *       uses only bits [31:0] of Rm; Rm = 31 is the zero register.</li>
 *   <li>U=0, bit 21 = 1, bits[11:10] = 00: LSE atomic memory operations, see {@link
 *       AtomicMemoryDecoder}.</li>
 *   <li>U=0, bit 21 = 1, bit 10 = 1: LDRAA/LDRAB (FEAT_PAuth), not decoded: the address needs the
 *       pointer authentication keys (Cortex-A53/A57/A72 lack PAuth).</li>
 * </ul>
 */
final class RegisterAccessDecoder {
    private RegisterAccessDecoder() {}

    static DataAccess decode(int insn, RegisterReader regs) {
        RegisterTransfer transfer = RegisterTransfer.of(field(insn, 30, 2), bit(insn, 26), field(insn, 22, 2));
        long base = regs.xOrSp(field(insn, 5, 5));
        if (bit(insn, 24)) {
            if (transfer == null) {
                return null;
            }
            return transfer.at("r", base + ((long) field(insn, 10, 12) << transfer.scale())).build();
        }
        int kind = field(insn, 10, 2);
        if (bit(insn, 21)) {
            if (kind == 2) {
                return transfer == null ? null : registerOffset(insn, regs, transfer, base);
            }
            if (kind == 0 && !bit(insn, 26)) {
                return AtomicMemoryDecoder.decode(insn, regs);
            }
            return null;
        }
        if (transfer == null) {
            return null;
        }
        long imm9 = signedField(insn, 12, 9);
        return switch (kind) {
            case 0 -> transfer.at("ur", base + imm9).build();
            case 1 -> transfer.prefetch() ? null : transfer.at("r", base).build();
            case 2 -> transfer.prefetch() || transfer.simd() ? null
                    : transfer.at("tr", base + imm9).unprivileged().build();
            default -> transfer.prefetch() ? null : transfer.at("r", base + imm9).build();
        };
    }

    private static DataAccess registerOffset(int insn, RegisterReader regs, RegisterTransfer transfer, long base) {
        int option = field(insn, 13, 3);
        if ((option & 0b010) == 0) {
            return null; // option<1> == 0 is unallocated
        }
        long index = regs.xOrZr(field(insn, 16, 5));
        long extended = switch (option) {
            case 0b010 -> index & 0xFFFF_FFFFL;        // UXTW
            case 0b110 -> (long) (int) index;           // SXTW
            default -> index;                           // LSL (UXTX), SXTX
        };
        int shift = bit(insn, 12) ? transfer.scale() : 0;
        return transfer.at("r", base + (extended << shift)).build();
    }
}
