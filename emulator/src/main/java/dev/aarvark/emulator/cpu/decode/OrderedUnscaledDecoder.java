package dev.aarvark.emulator.cpu.decode;

import static dev.aarvark.emulator.cpu.decode.Bits.bit;
import static dev.aarvark.emulator.cpu.decode.Bits.field;
import static dev.aarvark.emulator.cpu.decode.Bits.signedField;

/**
 * LDAPR/STLR (unscaled immediate), FEAT_LRCPC2, Arm ARM C4.1 "Loads and Stores":
 * {@code size[31:30] 011001 opc[23:22] 0 imm9[20:12] 00 Rn[9:5] Rt[4:0]}: STLUR (opc 00), LDAPUR
 * (01), LDAPURS* to X (10) and to W (11). The address is Xn|SP + SignExtend(imm9); ordered
 * accesses, naturally aligned. The memory-tag instructions sharing the class (bit 21 = 1,
 * FEAT_MTE) are not decoded.
 */
final class OrderedUnscaledDecoder {
    private OrderedUnscaledDecoder() {}

    static DataAccess decode(int insn, RegisterReader regs) {
        if (bit(insn, 21) || field(insn, 10, 2) != 0) {
            return null;
        }
        RegisterTransfer transfer = RegisterTransfer.of(field(insn, 30, 2), false, field(insn, 22, 2));
        if (transfer == null || transfer.prefetch()) {
            return null;
        }
        long address = regs.xOrSp(field(insn, 5, 5)) + signedField(insn, 12, 9);
        String name = transfer.load() ? transfer.mnemonic("ur").replace("ldur", "ldapur")
                : transfer.mnemonic("ur").replace("stur", "stlur");
        return AccessBuilder.transfer(transfer.load(), name, address, transfer.bytes())
                .acquireRelease(true).aligned(transfer.bytes()).build();
    }
}
