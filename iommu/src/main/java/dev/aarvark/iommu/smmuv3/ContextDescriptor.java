package dev.aarvark.iommu.smmuv3;

import dev.aarvark.memory.mmu.TranslationRegime;

/**
 * A decoded AArch64 Context Descriptor (IHI 0070 §5.4 "Context Descriptor"): the stage-1 translation
 * regime of one stream (or substream), and how it presents to {@link dev.aarvark.memory.mmu.Vmsav8Walker}
 * as a {@link TranslationRegime}.
 *
 * <p>Layout: dword 0 = T0SZ [5:0], TG0 [7:6], IR0 [9:8], OR0 [11:10], SH0 [13:12], EPD0 [14], ENDI [15],
 * T1SZ [21:16], TG1 [23:22], IR1 [25:24], OR1 [27:26], SH1 [29:28], EPD1 [30], V [31], IPS [34:32],
 * AFFD [35], WXN [36], UWXN [37], TBI0 [38], TBI1 [39], PAN [40], AA64 [41], HD [42], HA [43], S [44],
 * R [45], A [46], ASET [47], ASID [63:48]; dword 1 = TTB0 [51:4]; dword 2 = TTB1 [51:4]; dword 3 = MAIR.
 *
 * <p>Invariant: a decoded descriptor is legal; {@link #decode} refuses the rest with the reason (a
 * C_BAD_CD). Not modelled: AFFD (an Access flag of 0 always faults, as without FEAT_HAFDBS), PAN and
 * UWXN (Armv8.0 walks), HA/HD (SMMU_IDR0.HTTU = 0, so they must be 0).
 */
public record ContextDescriptor(int t0sz, int tg0, int ir0, int or0, int sh0, boolean epd0, int t1sz, int tg1,
                                int ir1, int or1, int sh1, boolean epd1, int ips, boolean wxn, boolean tbi0,
                                boolean tbi1, boolean record, boolean abort, int asid, long ttb0,
                                long ttb1, long mair) {
    /** Why a CD is not legal: the text of a C_BAD_CD. */
    public static final class IllegalDescriptor extends Exception {
        IllegalDescriptor(String reason) {
            super(reason);
        }
    }

    private static final long TTB_MASK = 0x000f_ffff_ffff_fff0L;

    /**
     * Decodes a CD's first four doublewords.
     *
     * @param asidBits 16 or 8 (SMMU_IDR0.ASID16); a larger ASID is ILLEGAL
     * @throws IllegalDescriptor if V = 0, AA64 = 0 (AArch32 tables: SMMU_IDR0.TTF = AArch64 only),
     *                           ENDI = 1 (little-endian tables only), S = 1 (no stall model), HA or
     *                           HD set (no HTTU), or an enabled half has a TxSZ outside 16..39 or a
     *                           granule this SMMU does not implement (16 KB)
     */
    public static ContextDescriptor decode(long d0, long d1, long d2, long d3, int asidBits) throws IllegalDescriptor {
        if ((d0 & 1L << 31) == 0) {
            throw new IllegalDescriptor("CD.V is 0");
        }
        if ((d0 & 1L << 41) == 0) {
            throw new IllegalDescriptor("CD.AA64 is 0: AArch32 tables are not implemented (SMMU_IDR0.TTF = AArch64)");
        }
        if ((d0 & 1L << 15) != 0) {
            throw new IllegalDescriptor("CD.ENDI is 1: only little-endian tables are implemented (SMMU_IDR0.TTENDIAN)");
        }
        if ((d0 & 1L << 44) != 0) {
            throw new IllegalDescriptor("CD.S is 1: stalling is not implemented (SMMU_IDR0.STALL_MODEL = terminate)");
        }
        if ((d0 & (3L << 42)) != 0) {
            throw new IllegalDescriptor("CD.HA/HD set: hardware table updates are not implemented (SMMU_IDR0.HTTU = 0)");
        }
        int asid = (int) (d0 >>> 48) & 0xffff;
        if ((asid >>> asidBits) != 0) {
            throw new IllegalDescriptor("CD.ASID 0x" + Integer.toHexString(asid) + " has more than " + asidBits + " bits");
        }
        int t0sz = (int) d0 & 0x3f;
        int tg0 = (int) (d0 >>> 6) & 3;
        boolean epd0 = (d0 & 1L << 14) != 0;
        int t1sz = (int) (d0 >>> 16) & 0x3f;
        int tg1 = (int) (d0 >>> 22) & 3;
        boolean epd1 = (d0 & 1L << 30) != 0;
        if (!epd0) {
            checkHalf("0", t0sz, tg0 == 0b10, tg0 == 0b11);
        }
        if (!epd1) {
            checkHalf("1", t1sz, tg1 == 0b01, tg1 == 0b00);
        }
        return new ContextDescriptor(t0sz, tg0, (int) (d0 >>> 8) & 3, (int) (d0 >>> 10) & 3, (int) (d0 >>> 12) & 3,
                epd0, t1sz, tg1, (int) (d0 >>> 24) & 3, (int) (d0 >>> 26) & 3, (int) (d0 >>> 28) & 3, epd1,
                (int) (d0 >>> 32) & 7, (d0 & 1L << 36) != 0, (d0 & 1L << 38) != 0, (d0 & 1L << 39) != 0,
                (d0 & 1L << 45) != 0, (d0 & 1L << 46) != 0, asid, d1 & TTB_MASK, d2 & TTB_MASK, d3);
    }

    private static void checkHalf(String n, int tsz, boolean granule16k, boolean reserved) throws IllegalDescriptor {
        if (tsz < 16 || tsz > 39) {
            throw new IllegalDescriptor("CD.T" + n + "SZ " + tsz + " is outside 16..39");
        }
        if (granule16k) {
            throw new IllegalDescriptor("CD.TG" + n + " selects the 16 KB granule, which this SMMU does not implement (SMMU_IDR5.GRAN16K = 0)");
        }
        if (reserved) {
            throw new IllegalDescriptor("CD.TG" + n + " is a reserved value");
        }
    }

    /**
     * The regime the walker uses: SCTLR.M set (and WXN from the CD), the CD's TCR fields at their
     * TCR_EL1 positions (T0SZ [5:0], EPD0 [7], IRGN0 [9:8], ORGN0 [11:10], SH0 [13:12], TG0 [15:14],
     * T1SZ [21:16], EPD1 [23], IRGN1, ORGN1, SH1, TG1 [31:30], IPS [34:32], AS [36], TBI0 [37], TBI1
     * [38]; the granule encodings are the same), TTB0/TTB1 as TTBR0/TTBR1, MAIR as MAIR_EL1.
     *
     * @param oasBits the SMMU's output address size (IPS is limited to it, as PAMax limits TCR_EL1.IPS)
     */
    public TranslationRegime regime(int oasBits) {
        long tcr = t0sz | (epd0 ? 1L << 7 : 0) | (long) ir0 << 8 | (long) or0 << 10 | (long) sh0 << 12
                | (long) tg0 << 14 | (long) t1sz << 16 | (epd1 ? 1L << 23 : 0) | (long) ir1 << 24 | (long) or1 << 26
                | (long) sh1 << 28 | (long) tg1 << 30 | (long) ips << 32 | 1L << 36 | (tbi0 ? 1L << 37 : 0)
                | (tbi1 ? 1L << 38 : 0);
        long sctlr = 1 | (wxn ? 1L << 19 : 0);
        return new TranslationRegime(sctlr, tcr, ttb0, ttb1, mair, oasBits);
    }
}
