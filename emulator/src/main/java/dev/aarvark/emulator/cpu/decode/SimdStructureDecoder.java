package dev.aarvark.emulator.cpu.decode;

import static dev.aarvark.emulator.cpu.decode.Bits.bit;
import static dev.aarvark.emulator.cpu.decode.Bits.field;

/**
 * Advanced SIMD load/store structures, Arm ARM C4.1 "Loads and Stores". The address is always the
 * unmodified Xn|SP: the post-index forms (bit 23) add #imm (Rm = 31) or Rm afterwards.
 *
 * <p>Multiple structures: {@code 0 Q[30] 0011000 post[23] L[22] 0 Rm[20:16] opcode[15:12]
 * size[11:10] Rn Rt}; opcode 0000 LD4/ST4, 0010 LD1/ST1 x4, 0100 LD3/ST3, 0110 LD1/ST1 x3, 0111
 * LD1/ST1 x1, 1000 LD2/ST2, 1010 LD1/ST1 x2. Bytes = registers &times; (Q ? 16 : 8).
 *
 * <p>Single structure: {@code 0 Q[30] 0011010 post[23] L[22] R[21] Rm[20:16] opcode[15:13] S[12]
 * size[11:10] Rn Rt}; structure elements = (opcode[0]:R) + 1; opcode[2:1] 00 B, 01 H, 10 S or D
 * (size = 01, S = 0), 11 LDnR (load and replicate one structure, element size = size). Bytes =
 * elements &times; element size.
 *
 * <p>No form requires alignment when SCTLR_ELx.A is 0.
 */
final class SimdStructureDecoder {
    private SimdStructureDecoder() {}

    static DataAccess decodeMultiple(int insn, RegisterReader regs) {
        if (bit(insn, 31) || bit(insn, 21) || (!bit(insn, 23) && field(insn, 16, 5) != 0)) {
            return null;
        }
        boolean q = bit(insn, 30);
        boolean load = bit(insn, 22);
        int registers;
        int elements;
        switch (field(insn, 12, 4)) {
            case 0b0000 -> { registers = 4; elements = 4; }
            case 0b0010 -> { registers = 4; elements = 1; }
            case 0b0100 -> { registers = 3; elements = 3; }
            case 0b0110 -> { registers = 3; elements = 1; }
            case 0b0111 -> { registers = 1; elements = 1; }
            case 0b1000 -> { registers = 2; elements = 2; }
            case 0b1010 -> { registers = 2; elements = 1; }
            default -> { return null; }
        }
        if (field(insn, 10, 2) == 3 && !q && elements != 1) {
            return null; // 1D arrangement exists only for LD1/ST1
        }
        String name = (load ? "ld" : "st") + elements;
        long address = regs.xOrSp(field(insn, 5, 5));
        return AccessBuilder.transfer(load, name, address, registers * (q ? 16 : 8)).simd(true).build();
    }

    static DataAccess decodeSingle(int insn, RegisterReader regs) {
        if (bit(insn, 31) || (!bit(insn, 23) && field(insn, 16, 5) != 0)) {
            return null;
        }
        boolean load = bit(insn, 22);
        int opcode = field(insn, 13, 3);
        boolean s = bit(insn, 12);
        int size = field(insn, 10, 2);
        int elements = (((opcode & 1) << 1) | (bit(insn, 21) ? 1 : 0)) + 1;
        int scale = opcode >> 1;
        boolean replicate = false;
        switch (scale) {
            case 3 -> {
                if (!load || s) {
                    return null;
                }
                replicate = true;
                scale = size;
            }
            case 1 -> {
                if ((size & 1) != 0) {
                    return null;
                }
            }
            case 2 -> {
                if ((size & 2) != 0 || ((size & 1) != 0 && s)) {
                    return null;
                }
                scale = (size & 1) != 0 ? 3 : 2;
            }
            default -> { }
        }
        String name = (load ? "ld" : "st") + elements + (replicate ? "r" : "");
        long address = regs.xOrSp(field(insn, 5, 5));
        return AccessBuilder.transfer(load, name, address, elements << scale).simd(true).build();
    }
}
