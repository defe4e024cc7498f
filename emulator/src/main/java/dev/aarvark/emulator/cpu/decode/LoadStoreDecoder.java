package dev.aarvark.emulator.cpu.decode;

import static dev.aarvark.emulator.cpu.decode.Bits.field;

/**
 * Decodes the memory access of an A64 instruction: what the CPU core needs to build ESR_ELx (WnR,
 * CM) and FAR_ELx for a data abort that Unicorn reports only as "exception 4 at PC".
 *
 * <p>Covers the whole "Loads and Stores" encoding group of Arm ARM C4.1 (op0[28:25] = x1x0):
 * load register (literal), exclusive, ordered (LDAR/STLR, LDLAR/STLLR), compare and swap (pair),
 * no-allocate pair and pair (post, offset, pre), the single-register classes (unscaled,
 * post-index, unprivileged, pre-index, register offset, unsigned immediate, general-purpose and
 * SIMD&amp;FP), LSE atomic memory operations, LDAPR and LDAPUR/STLUR, LD64B/ST64B, the Advanced SIMD
 * multiple and single structure classes; plus the System instructions that take a VA (DC ZVA, DC
 * by VA, IC IVAU). Not decoded (null): memory-tag instructions (FEAT_MTE), LDRAA/LDRAB
 * (FEAT_PAuth), the memory copy/set instructions (FEAT_MOPS), FEAT_LRCPC3/LSE128/GCS additions
 * and SVE/SME loads and stores.
 *
 * <p>Instances are immutable and thread-safe. The only configuration is the DC ZVA block size,
 * which comes from DCZID_EL0.BS (log2 of the block size in 4-byte words); Cortex-A53, A57 and A72
 * all have BS = 4, i.e. 64 bytes, {@link #CORTEX_A_ZVA_BLOCK_BYTES}.
 */
public final class LoadStoreDecoder {
    /** The DC ZVA block size of Cortex-A53/A57/A72 (DCZID_EL0.BS = 4: 16 words). */
    public static final int CORTEX_A_ZVA_BLOCK_BYTES = 64;

    private static final int MAX_ZVA_BLOCK_BYTES = 2048; // BS <= 9

    private final int zvaBlockBytes;

    /** A decoder for Cortex-A53/A57/A72: 64-byte DC ZVA blocks. */
    public LoadStoreDecoder() {
        this(CORTEX_A_ZVA_BLOCK_BYTES);
    }

    /**
     * A decoder whose DC ZVA writes blocks of {@code zvaBlockBytes}.
     *
     * @param zvaBlockBytes a power of two from 4 to 2048
     */
    public LoadStoreDecoder(int zvaBlockBytes) {
        if (zvaBlockBytes < 4 || zvaBlockBytes > MAX_ZVA_BLOCK_BYTES || Integer.bitCount(zvaBlockBytes) != 1) {
            throw new IllegalArgumentException("DC ZVA block size must be a power of two in 4..2048: " + zvaBlockBytes);
        }
        this.zvaBlockBytes = zvaBlockBytes;
    }

    /** A decoder configured from a DCZID_EL0 value (BS in bits [3:0]; DZP ignored). */
    public static LoadStoreDecoder fromDczid(long dczidEl0) {
        return new LoadStoreDecoder(4 << (int) (dczidEl0 & 0xF));
    }

    public int zvaBlockBytes() {
        return zvaBlockBytes;
    }

    /**
     * The data access instruction {@code insn} makes with the given registers.
     *
     * @param insn the 32-bit instruction word (little-endian word as fetched)
     * @param pc   the address of the instruction, for PC-relative literal loads
     * @param regs the general-purpose registers and SP at the time of the fault
     * @return the access, or null when the instruction is not a memory access (data processing,
     *         branches, most System instructions, unallocated encodings)
     */
    public DataAccess decode(int insn, long pc, RegisterReader regs) {
        if ((insn & 0x0A00_0000) != 0x0800_0000) {
            return isSys(insn) ? CacheMaintenanceDecoder.decode(insn, regs, zvaBlockBytes) : null;
        }
        return switch (field(insn, 24, 6)) {
            case 0x08 -> ExclusiveOrderedDecoder.decode(insn, regs);
            case 0x0C -> SimdStructureDecoder.decodeMultiple(insn, regs);
            case 0x0D -> SimdStructureDecoder.decodeSingle(insn, regs);
            case 0x18, 0x1C -> LiteralLoadDecoder.decode(insn, pc);
            case 0x19 -> OrderedUnscaledDecoder.decode(insn, regs);
            case 0x28, 0x29, 0x2C, 0x2D -> PairDecoder.decode(insn, regs);
            case 0x38, 0x39, 0x3C, 0x3D -> RegisterAccessDecoder.decode(insn, regs);
            default -> null;
        };
    }

    /** SYS (not SYSL): {@code 1101010100 L=0 op0=01 ...}, Arm ARM C4.1 "System instructions". */
    private static boolean isSys(int insn) {
        return (insn & 0xFFF8_0000) == 0xD508_0000;
    }
}
