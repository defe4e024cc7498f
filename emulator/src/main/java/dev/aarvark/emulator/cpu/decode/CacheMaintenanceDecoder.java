package dev.aarvark.emulator.cpu.decode;

import static dev.aarvark.emulator.cpu.decode.Bits.field;

/**
 * The System instructions that address memory by VA, Arm ARM C5.3 "A64 System instructions for
 * cache maintenance" (SYS with op0 = 01, CRn = 0111): DC ZVA, DC IVAC/CVAC/CVAU/CVAP/CVADP/CIVAC
 * and IC IVAU. Xt = 31 is XZR.
 *
 * <p>Decisions:
 * <ul>
 *   <li>DC ZVA is a store, not cache maintenance (ESR ISS CM: "The DC ZVA instruction is not
 *       classified as a cache maintenance instruction"), so CM = 0 and WnR = 1. It writes the whole
 *       naturally aligned block of DCZID_EL0.BS words holding Xt: {@code accessStart} = Xt aligned
 *       down, {@code size} = block size, but FAR ({@code address}) = Xt as given (FAR_ELx: for a DC
 *       instruction FAR "holds the address specified in the register argument").</li>
 *   <li>The other DC operations by VA and IC IVAU are cache maintenance: CM = 1, WnR = 1,
 *       FAR = Xt, size 1. A cache line never crosses a page, so the byte at Xt decides the
 *       translation as well as the whole line would.</li>
 *   <li>Set/way operations (DC ISW/CSW/CISW), IC IALLU/IALLUIS, AT and TLBI take no VA that can
 *       fault (AT reports stage 1 faults in PAR_EL1) and are not memory accesses here.</li>
 *   <li>The MTE variants (DC GVA, GZVA, IGVAC...) are not decoded.</li>
 * </ul>
 */
final class CacheMaintenanceDecoder {
    private CacheMaintenanceDecoder() {}

    static DataAccess decode(int insn, RegisterReader regs, int zvaBlockBytes) {
        int op1 = field(insn, 16, 3);
        int crn = field(insn, 12, 4);
        int crm = field(insn, 8, 4);
        int op2 = field(insn, 5, 3);
        if (crn != 7 || op2 != 1) {
            return null;
        }
        long xt = regs.xOrZr(field(insn, 0, 5));
        String name = mnemonic(op1, crm);
        if (name == null) {
            return null;
        }
        if (name.equals("dc zva")) {
            long blockStart = xt & -(long) zvaBlockBytes;
            return AccessBuilder.store(name, xt, zvaBlockBytes).startingAt(blockStart).build();
        }
        return AccessBuilder.cacheMaintenance(name, xt, 1).build();
    }

    private static String mnemonic(int op1, int crm) {
        if (op1 == 0) {
            return crm == 6 ? "dc ivac" : null;
        }
        if (op1 != 3) {
            return null;
        }
        return switch (crm) {
            case 4 -> "dc zva";
            case 5 -> "ic ivau";
            case 10 -> "dc cvac";
            case 11 -> "dc cvau";
            case 12 -> "dc cvap";
            case 13 -> "dc cvadp";
            case 14 -> "dc civac";
            default -> null;
        };
    }
}
