package dev.aarvark.memory.mmu;

/**
 * Register field values for tests, written out from the Arm ARM register descriptions (SCTLR_EL1,
 * TCR_EL1, MAIR_EL1) rather than taken from the code under test.
 */
final class Regs {
    static final long SCTLR_M = 1L;
    static final long SCTLR_I = 1L << 12;
    static final long SCTLR_WXN = 1L << 19;
    static final long SCTLR_EE = 1L << 25;

    static final long EPD0 = 1L << 7;
    static final long EPD1 = 1L << 23;
    static final long TG0_4K = 0b00L << 14;
    static final long TG0_64K = 0b01L << 14;
    static final long TG0_16K = 0b10L << 14;
    static final long TG0_RESERVED = 0b11L << 14;
    static final long TG1_RESERVED = 0b00L << 30;
    static final long TG1_16K = 0b01L << 30;
    static final long TG1_4K = 0b10L << 30;
    static final long TG1_64K = 0b11L << 30;
    static final long TBI0 = 1L << 37;
    static final long TBI1 = 1L << 38;

    /** MAIR_EL1: Attr0 Normal WB (0xff), Attr1 Device-nGnRnE (0x00), Attr2 Device-nGnRE (0x04), Attr3 Normal NC (0x44). */
    static final long MAIR = 0x44_04_00_ffL;

    /** PAMax of Cortex-A57/A72. */
    static final int PA_BITS = 44;

    private Regs() {
    }

    static long t0sz(int n) {
        return n;
    }

    static long t1sz(int n) {
        return (long) n << 16;
    }

    /** TCR_EL1.IPS, bits 34:32 (0b000 32 bits ... 0b101 48 bits). */
    static long ips(int encoding) {
        return (long) encoding << 32;
    }

    static final long IPS_48 = ips(0b101);

    static TranslationRegime mmuOn(long tcr, long ttbr0, long ttbr1) {
        return new TranslationRegime(SCTLR_M, tcr, ttbr0, ttbr1, MAIR, PA_BITS);
    }

    static TranslationRegime regime(long sctlr, long tcr, long ttbr0, long ttbr1, int paBits) {
        return new TranslationRegime(sctlr, tcr, ttbr0, ttbr1, MAIR, paBits);
    }
}
