package dev.aarvark.iommu.smmuv3;

/**
 * A decoded Stream Table Entry (IHI 0070 §5.2 "Stream Table Entry"): the fields of the first two of
 * its eight doublewords that a stage-1-only SMMU uses.
 *
 * <p>Layout: dword 0 = V [0], Config [3:1], S1Fmt [5:4], S1ContextPtr [51:6], S1CDMax [63:59];
 * dword 1 = S1DSS [1:0], S1CIR [3:2], S1COR [5:4], S1CSH [7:6], S1STALLD [27], EATS [29:28],
 * STRW [31:30], SHCFG [45:44], PRIVCFG [49:48]. Memory attribute and cacheability fields are decoded
 * for completeness and do not change what a transaction sees (all RAM is coherent here).
 *
 * <p>Invariant: a decoded entry is legal; {@link #decode} refuses the rest with the reason, which the
 * SMMU reports as C_BAD_STE.
 */
public record StreamTableEntry(Config config, int s1Fmt, long s1ContextPtr, int s1CdMax, int s1Dss,
                               int s1Cir, int s1Cor, int s1Csh, boolean s1Stalld, int eats, int strw,
                               int shCfg, int privCfg) {
    /** STE.Config: what the stream's transactions get. */
    public enum Config {
        /** 0b000: every transaction is aborted, silently. */
        ABORT,
        /** 0b100: output address = input address. */
        BYPASS,
        /** 0b101: stage-1 translation through the context descriptor. */
        STAGE1
    }

    /** S1Fmt: a linear table of 2^S1CDMax CDs. */
    public static final int S1FMT_LINEAR = 0;
    /** S1Fmt: two levels, 4 KB level-2 tables of 64 CDs. */
    public static final int S1FMT_2LVL_4K = 1;
    /** S1Fmt: two levels, 64 KB level-2 tables of 1024 CDs. */
    public static final int S1FMT_2LVL_64K = 2;
    /** S1DSS: a transaction without a SubstreamID is terminated (F_STREAM_DISABLED). */
    public static final int S1DSS_TERMINATE = 0;
    /** S1DSS: a transaction without a SubstreamID bypasses stage 1. */
    public static final int S1DSS_BYPASS = 1;
    /** S1DSS: a transaction without a SubstreamID uses CD 0. */
    public static final int S1DSS_SSID0 = 2;
    /** PRIVCFG: the transaction is treated as unprivileged. */
    public static final int PRIVCFG_UNPRIVILEGED = 2;

    /** Why an STE is not legal: the text of a C_BAD_STE. */
    public static final class IllegalEntry extends Exception {
        IllegalEntry(String reason) {
            super(reason);
        }
    }

    /**
     * Decodes an STE's first two doublewords.
     *
     * @param ssidBits SMMU_IDR1.SSIDSIZE, the largest legal S1CDMax
     * @param oasBits  the output address size; an S1ContextPtr beyond it is ILLEGAL
     * @throws IllegalEntry if V = 0 or the entry is ILLEGAL (a reserved or unimplemented Config, a
     *                      reserved S1Fmt or S1DSS, S1CDMax above SSIDSIZE)
     */
    public static StreamTableEntry decode(long d0, long d1, int ssidBits, int oasBits) throws IllegalEntry {
        if ((d0 & 1) == 0) {
            throw new IllegalEntry("STE.V is 0");
        }
        int cfg = (int) (d0 >>> 1) & 7;
        Config config = switch (cfg) {
            case 0b000 -> Config.ABORT;
            case 0b100 -> Config.BYPASS;
            case 0b101 -> Config.STAGE1;
            case 0b110, 0b111 -> throw new IllegalEntry("STE.Config 0b" + Integer.toBinaryString(cfg)
                    + " needs stage 2, which this SMMU does not implement (SMMU_IDR0.S2P = 0)");
            default -> throw new IllegalEntry("STE.Config 0b" + String.format("%3s", Integer.toBinaryString(cfg)).replace(' ', '0')
                    + " is reserved");
        };
        int s1Fmt = (int) (d0 >>> 4) & 3;
        long ctx = d0 & 0x000f_ffff_ffff_ffc0L;
        int cdMax = (int) (d0 >>> 59) & 0x1f;
        int s1Dss = (int) d1 & 3;
        if (config == Config.STAGE1) {
            if (cdMax > ssidBits) {
                throw new IllegalEntry("STE.S1CDMax " + cdMax + " is above SMMU_IDR1.SSIDSIZE " + ssidBits);
            }
            if (cdMax != 0 && s1Fmt == 3) {
                throw new IllegalEntry("STE.S1Fmt 0b11 is reserved");
            }
            if (cdMax != 0 && s1Dss == 3) {
                throw new IllegalEntry("STE.S1DSS 0b11 is reserved");
            }
            if ((ctx >>> oasBits) != 0) {
                throw new IllegalEntry("STE.S1ContextPtr 0x" + Long.toHexString(ctx) + " is beyond the "
                        + oasBits + "-bit output address size");
            }
        }
        return new StreamTableEntry(config, s1Fmt, ctx, cdMax, s1Dss, (int) (d1 >>> 2) & 3, (int) (d1 >>> 4) & 3,
                (int) (d1 >>> 6) & 3, (d1 & 1L << 27) != 0, (int) (d1 >>> 28) & 3, (int) (d1 >>> 30) & 3,
                (int) (d1 >>> 44) & 3, (int) (d1 >>> 48) & 3);
    }

    /** True if transactions are checked as unprivileged (PRIVCFG = 0b10); otherwise privileged (see {@link SmmuV3}). */
    public boolean unprivileged() {
        return privCfg == PRIVCFG_UNPRIVILEGED;
    }
}
