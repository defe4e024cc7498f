package dev.aarvark.emulator.cpu.decode;

import static dev.aarvark.emulator.cpu.decode.Bits.bit;
import static dev.aarvark.emulator.cpu.decode.Bits.field;

/**
 * Atomic memory operations, Arm ARM C4.1 "Loads and Stores":
 * {@code size[31:30] 111 0 00 A[23] R[22] 1 Rs[20:16] o3[15] opc[14:12] 00 Rn[9:5] Rt[4:0]}.
 *
 * <ul>
 *   <li>o3=0: LDADD, LDCLR, LDEOR, LDSET, LDSMAX, LDSMIN, LDUMAX, LDUMIN (FEAT_LSE) with A/L/AL
 *       and B/H; with Rt = XZR and A = 0 the assembler calls them STADD... (same access).</li>
 *   <li>o3=1 opc=000: SWP (FEAT_LSE).</li>
 *   <li>o3=1 opc=100 A=1 R=0 Rs=11111: LDAPR/LDAPRB/LDAPRH (FEAT_LRCPC), an ordered load.</li>
 *   <li>size=11 o3=1 A=0 R=0: LD64B (opc 101), ST64B (001), ST64BV (011), ST64BV0 (010)
 *       (FEAT_LS64): 64 bytes, 64-byte aligned; Rt must be even and below 24.</li>
 * </ul>
 * Read-modify-write forms must be naturally aligned (AccType ATOMICRW in the pseudocode).
 */
final class AtomicMemoryDecoder {
    private static final String[] OPERATION = {"add", "clr", "eor", "set", "smax", "smin", "umax", "umin"};
    private static final String[] SIZE_SUFFIX = {"b", "h", "", ""};

    private AtomicMemoryDecoder() {}

    static DataAccess decode(int insn, RegisterReader regs) {
        int size = field(insn, 30, 2);
        boolean acquire = bit(insn, 23);
        boolean release = bit(insn, 22);
        int rs = field(insn, 16, 5);
        boolean o3 = bit(insn, 15);
        int opc = field(insn, 12, 3);
        int rt = field(insn, 0, 5);
        long address = regs.xOrSp(field(insn, 5, 5));
        int bytes = 1 << size;
        String suffix = ExclusiveOrderedDecoder.orderingSuffix(acquire, release) + SIZE_SUFFIX[size];

        if (!o3) {
            String prefix = rt == 31 && !acquire ? "st" : "ld";
            return AccessBuilder.readModifyWrite(prefix + OPERATION[opc] + suffix, address, bytes)
                    .acquireRelease(acquire || release).build();
        }
        if (opc == 0) {
            return AccessBuilder.readModifyWrite("swp" + suffix, address, bytes)
                    .acquireRelease(acquire || release).build();
        }
        if (opc == 4 && acquire && !release && rs == 31) {
            return AccessBuilder.load("ldapr" + SIZE_SUFFIX[size], address, bytes)
                    .acquireRelease(true).aligned(bytes).build();
        }
        if (size == 3 && !acquire && !release && (rt & 1) == 0 && rt < 24) {
            return switch (opc) {
                case 5 -> rs == 31 ? AccessBuilder.load("ld64b", address, 64).aligned(64).build() : null;
                case 1 -> rs == 31 ? AccessBuilder.store("st64b", address, 64).aligned(64).build() : null;
                case 3 -> AccessBuilder.store("st64bv", address, 64).aligned(64).build();
                case 2 -> AccessBuilder.store("st64bv0", address, 64).aligned(64).build();
                default -> null;
            };
        }
        return null;
    }
}
