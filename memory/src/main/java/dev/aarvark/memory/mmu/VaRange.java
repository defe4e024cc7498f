package dev.aarvark.memory.mmu;

/**
 * One of the two virtual address ranges of the EL1&amp;0 regime (Arm ARM DDI 0487,
 * D5 "The VMSAv8-64 address translation system": the lower VA range is translated through TTBR0_EL1,
 * the upper through TTBR1_EL1), with the TCR_EL1 fields that govern it.
 *
 * <p>Invariants: {@code inputBits} is 64 - TxSZ after clamping TxSZ to the Armv8.0 limits 16..39 (see
 * {@link #effectiveInputBits}); {@code addressTop} is 55 when top-byte-ignore applies, else 63.
 */
record VaRange(boolean upper, long ttbr, int inputBits, TranslationGranule granule, boolean walksDisabled,
               int addressTop) {
    /** Smallest TxSZ without FEAT_LVA (48-bit ranges). */
    static final int MIN_TXSZ = 16;
    /** Largest TxSZ without FEAT_TTST (25-bit ranges), for every granule. */
    static final int MAX_TXSZ = 39;

    private static final int TCR_T0SZ = 0;
    private static final int TCR_EPD0 = 7;
    private static final int TCR_TG0 = 14;
    private static final int TCR_T1SZ = 16;
    private static final int TCR_EPD1 = 23;
    private static final int TCR_TG1 = 30;
    private static final int TCR_TBI0 = 37;
    private static final int TCR_TBI1 = 38;

    /**
     * The range that {@code va} falls in: bit 55 selects the upper range (TTBR1) when 1 and the lower
     * (TTBR0) when 0, whatever the top byte holds (the Arm ARM's AArch64.GetVARange; with TBI off, a VA
     * whose bit 63 and bit 55 differ is out of either range and faults the same way whichever is chosen).
     */
    static VaRange select(long va, TranslationRegime regime) {
        long tcr = regime.tcr();
        boolean upper = Bits.bit(va, 55);
        if (upper) {
            return new VaRange(true, regime.ttbr1(), effectiveInputBits(Bits.field(tcr, TCR_T1SZ, 6)),
                    TranslationGranule.fromTg1(Bits.field(tcr, TCR_TG1, 2)), Bits.bit(tcr, TCR_EPD1),
                    addressTop(va, tcr));
        }
        return new VaRange(false, regime.ttbr0(), effectiveInputBits(Bits.field(tcr, TCR_T0SZ, 6)),
                TranslationGranule.fromTg0(Bits.field(tcr, TCR_TG0, 2)), Bits.bit(tcr, TCR_EPD0),
                addressTop(va, tcr));
    }

    /**
     * The highest VA bit that takes part in translation: 55 if the TBI bit of {@code va}'s range (TBI1
     * for bit 55 set, TBI0 otherwise) is 1, else 63 (the Arm ARM's AddrTop()).
     *
     * <p>Instruction fetches too: TCR_EL1.TBIx applies to instruction and data addresses alike unless
     * FEAT_PAuth is implemented and TCR_EL1.TBIDx is 1 (TBID0/TBID1 were added with Armv8.3-PAuth and
     * are RES0 on Armv8.0). In practice a fetch address carries no tag, because with TBI set a branch
     * target's top byte is made a sign extension of bit 55 before it is written to the PC, but a walk of a
     * tagged fetch address still ignores the tag, as the CPU core does. TBI applies whether or not stage-1
     * translation is enabled.
     */
    static int addressTop(long va, long tcr) {
        boolean tbi = Bits.bit(va, 55) ? Bits.bit(tcr, TCR_TBI1) : Bits.bit(tcr, TCR_TBI0);
        return tbi ? 55 : 63;
    }

    /**
     * 64 - TxSZ with TxSZ clamped to [16, 39].
     *
     * <p>An out-of-range TxSZ is a CONSTRAINED UNPREDICTABLE / IMPLEMENTATION DEFINED case: the Arm ARM
     * (TCR_EL1.T0SZ, and the RESTnSZ constraint of the translation table walk) allows either treating
     * the field as if it held the nearest limit or taking a level-0 translation fault. We clamp, because
     * the CPU core (QEMU 5.0 in Unicorn 2) clamps; QEMU 7.0 and later chose the fault instead. The
     * Armv8.0 limits are the same for all three granules; the granule-dependent maxima (48, 47) belong
     * to FEAT_TTST.
     */
    static int effectiveInputBits(int txsz) {
        return 64 - Math.max(MIN_TXSZ, Math.min(MAX_TXSZ, txsz));
    }

    /**
     * True if every VA bit from {@link #addressTop} down to {@code inputBits} equals bit 55 (all ones in
     * the upper range, all zeros in the lower); otherwise the VA lies in the hole between the ranges.
     */
    boolean contains(long va) {
        long checked = Bits.mask(addressTop, inputBits);
        return (va & checked) == (upper ? checked : 0);
    }
}
