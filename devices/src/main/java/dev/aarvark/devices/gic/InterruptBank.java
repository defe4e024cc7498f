package dev.aarvark.devices.gic;

/**
 * Every interrupt's {@link InterruptState}: the 32 private interrupts (SGIs and PPIs) banked per
 * CPU, and the SPIs shared by all CPUs (IHI 0048B §2.2.1, IHI 0069 §2.2).
 *
 * <p>Reset configuration (as QEMU resets its GICs): every interrupt inactive, disabled, in
 * Group 0 with priority 0; SGIs edge-triggered (they are always edge), PPIs and SPIs
 * level-sensitive. With {@code sgisPermanentlyEnabled} (QEMU's GICv2) the SGIs start enabled and
 * stay so.
 */
final class InterruptBank {
    private final InterruptState[][] privates;
    private final InterruptState[] spis;
    private final int limit;

    InterruptBank(int cpuCount, int spiCount, boolean sgisPermanentlyEnabled) {
        privates = new InterruptState[cpuCount][IntIds.PRIVATE_COUNT];
        for (int cpu = 0; cpu < cpuCount; cpu++) {
            for (int intid = 0; intid < IntIds.PRIVATE_COUNT; intid++) {
                boolean sgi = IntIds.isSgi(intid);
                privates[cpu][intid] = new InterruptState(intid, sgi, sgi && sgisPermanentlyEnabled);
            }
        }
        spis = new InterruptState[spiCount];
        for (int i = 0; i < spiCount; i++) {
            spis[i] = new InterruptState(IntIds.FIRST_SPI + i, false, false);
        }
        limit = IntIds.FIRST_SPI + spiCount;
    }

    /** One past the highest implemented INTID. */
    int limit() {
        return limit;
    }

    int cpuCount() {
        return privates.length;
    }

    /** True if {@code intid} is an implemented interrupt (not a special INTID). */
    boolean implemented(int intid) {
        return intid >= 0 && intid < limit;
    }

    /**
     * The state of {@code intid} as CPU {@code cpu} sees it (its own bank for private
     * interrupts). The INTID must be implemented.
     */
    InterruptState get(int cpu, int intid) {
        if (intid < IntIds.PRIVATE_COUNT) {
            return privates[cpu][intid];
        }
        return spis[intid - IntIds.FIRST_SPI];
    }
}
