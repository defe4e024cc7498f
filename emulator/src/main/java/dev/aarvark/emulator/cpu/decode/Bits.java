package dev.aarvark.emulator.cpu.decode;

/** Bit-field extraction and sign extension on 32-bit A64 instruction words. */
final class Bits {
    private Bits() {}

    /** The unsigned field of {@code width} bits starting at bit {@code lsb}. */
    static int field(int insn, int lsb, int width) {
        return (insn >>> lsb) & ((1 << width) - 1);
    }

    /** Whether bit {@code pos} is set. */
    static boolean bit(int insn, int pos) {
        return ((insn >>> pos) & 1) != 0;
    }

    /** The field of {@code width} bits starting at {@code lsb}, sign-extended to 64 bits. */
    static long signedField(int insn, int lsb, int width) {
        long raw = field(insn, lsb, width);
        int unused = 64 - width;
        return (raw << unused) >> unused;
    }
}
