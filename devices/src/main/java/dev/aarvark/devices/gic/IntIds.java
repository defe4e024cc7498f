package dev.aarvark.devices.gic;

/**
 * The interrupt identifier (INTID) space shared by GICv2 and GICv3 (IHI 0048B §2.2.1, IHI 0069
 * §2.2): SGIs 0-15 and PPIs 16-31 are private to each CPU ("banked"), SPIs start at 32, and
 * 1020-1023 are special values returned by the acknowledge and highest-pending registers
 * (IHI 0069 §2.2.1). This model implements no LPIs or extended ranges.
 */
public final class IntIds {
    /** Number of SGIs (INTIDs 0-15). */
    public static final int SGI_COUNT = 16;
    /** First PPI. */
    public static final int FIRST_PPI = 16;
    /** Number of private interrupts per CPU (SGIs and PPIs). */
    public static final int PRIVATE_COUNT = 32;
    /** First SPI. */
    public static final int FIRST_SPI = 32;
    /** First special INTID; no interrupt can have this number or above. */
    public static final int FIRST_SPECIAL = 1020;
    /**
     * GICv2 only: GICC_IAR / GICC_HPPIR return this when the highest priority pending interrupt
     * is in Group 1 and GICC_CTLR.AckCtl is 0 (IHI 0048B §4.4.4).
     */
    public static final int GROUP1_NOT_ACKNOWLEDGED = 1022;
    /** No pending interrupt of sufficient priority (IHI 0048B §1.4.4, IHI 0069 §2.2.1). */
    public static final int SPURIOUS = 1023;

    private IntIds() {}

    public static boolean isSgi(int intid) {
        return intid >= 0 && intid < SGI_COUNT;
    }

    public static boolean isPpi(int intid) {
        return intid >= FIRST_PPI && intid < PRIVATE_COUNT;
    }

    public static boolean isPrivate(int intid) {
        return intid >= 0 && intid < PRIVATE_COUNT;
    }

    public static boolean isSpi(int intid) {
        return intid >= FIRST_SPI && intid < FIRST_SPECIAL;
    }
}
