package dev.aarvark.emulator.cpu.decode;

import static dev.aarvark.emulator.cpu.decode.Bits.bit;
import static dev.aarvark.emulator.cpu.decode.Bits.field;

/**
 * The exclusive / ordered / compare-and-swap group, Arm ARM C4.1 "Loads and Stores" (load/store
 * exclusive register and pair, load/store ordered, compare and swap, compare and swap pair):
 * {@code size[31:30] 001000 o2[23] L[22] o1[21] Rs[20:16] o0[15] Rt2[14:10] Rn[9:5] Rt[4:0]}.
 *
 * <ul>
 *   <li>o2=0 o1=0: LDXR/LDAXR/STXR/STLXR (B, H, W, X), aligned to the access size.</li>
 *   <li>o2=0 o1=1, size 1x: LDXP/LDAXP/STXP/STLXP, aligned to the total of both registers (the
 *       64-bit pair is "not atomic, but must be 128-bit aligned" in the pseudocode).</li>
 *   <li>o2=0 o1=1, size 0x: CASP/CASPA/CASPL/CASPAL (FEAT_LSE), size[30] selects W or X pairs;
 *       aligned to the total; Rt and Rs must be even.</li>
 *   <li>o2=1 o1=0: LDAR/STLR (o0=1) and LDLAR/STLLR (o0=0, FEAT_LOR), naturally aligned.</li>
 *   <li>o2=1 o1=1: CAS/CASA/CASL/CASAL (B, H, W, X), L = acquire, o0 = release.</li>
 * </ul>
 * Every base register is Xn|SP and no form has an offset. CAS and CASP must have Rt2 = 11111 (a
 * fixed field); elsewhere Rs and Rt2 are should-be-one fields, not checked: hardware and Unicorn
 * execute such words, so their faults still need a syndrome.
 */
final class ExclusiveOrderedDecoder {
    private static final String[] SIZE_SUFFIX = {"b", "h", "", ""};

    private ExclusiveOrderedDecoder() {}

    static DataAccess decode(int insn, RegisterReader regs) {
        int size = field(insn, 30, 2);
        boolean o2 = bit(insn, 23);
        boolean load = bit(insn, 22);
        boolean o1 = bit(insn, 21);
        boolean o0 = bit(insn, 15);
        long address = regs.xOrSp(field(insn, 5, 5));
        int bytes = 1 << size;
        String suffix = SIZE_SUFFIX[size];

        if (!o2 && !o1) {
            String name = (load ? (o0 ? "ldaxr" : "ldxr") : (o0 ? "stlxr" : "stxr")) + suffix;
            return AccessBuilder.transfer(load, name, address, bytes)
                    .exclusive().acquireRelease(o0).aligned(bytes).build();
        }
        boolean rt2IsOnes = field(insn, 10, 5) == 31;
        if (!o2) {
            if (size >= 2) {
                int total = 2 * bytes;
                String name = load ? (o0 ? "ldaxp" : "ldxp") : (o0 ? "stlxp" : "stxp");
                return AccessBuilder.transfer(load, name, address, total)
                        .exclusive().acquireRelease(o0).aligned(total).build();
            }
            return rt2IsOnes ? compareAndSwapPair(insn, address, load, o0) : null;
        }
        if (!o1) {
            String name = load ? (o0 ? "ldar" : "ldlar") : (o0 ? "stlr" : "stllr");
            return AccessBuilder.transfer(load, name + suffix, address, bytes)
                    .acquireRelease(true).aligned(bytes).build();
        }
        if (!rt2IsOnes) {
            return null;
        }
        String name = "cas" + orderingSuffix(load, o0) + suffix;
        return AccessBuilder.readModifyWrite(name, address, bytes).acquireRelease(load || o0).build();
    }

    private static DataAccess compareAndSwapPair(int insn, long address, boolean acquire, boolean release) {
        int rs = field(insn, 16, 5);
        int rt = field(insn, 0, 5);
        if ((rs & 1) != 0 || (rt & 1) != 0) {
            return null; // odd register pair: UNDEFINED
        }
        int total = bit(insn, 30) ? 16 : 8;
        return AccessBuilder.readModifyWrite("casp" + orderingSuffix(acquire, release), address, total)
                .acquireRelease(acquire || release).build();
    }

    /** "", "a", "l" or "al" for the acquire / release bits of an LSE instruction. */
    static String orderingSuffix(boolean acquire, boolean release) {
        return (acquire ? "a" : "") + (release ? "l" : "");
    }
}
