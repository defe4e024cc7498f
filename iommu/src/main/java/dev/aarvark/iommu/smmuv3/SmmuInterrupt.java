package dev.aarvark.iommu.smmuv3;

/**
 * The SMMU's wired interrupts (IHI 0070 §3.18 "Interrupts and notifications"), each an edge: the
 * board pulses the SPI it is wired to (QEMU's {@code virt}: eventq 74, priq 75, cmdq-sync 76,
 * gerror 77, in the device tree's {@code interrupt-names} order).
 */
public enum SmmuInterrupt {
    /** A record was written to the event queue and SMMU_IRQ_CTRL.EVENTQ_IRQEN is set. */
    EVENTQ,
    /** A record was written to the PRI queue (never: PRI is not implemented). */
    PRIQ,
    /** A CMD_SYNC with CS = SIG_IRQ completed (the wired form, since MSIs are not implemented). */
    CMDQ_SYNC,
    /** An SMMU_GERROR bit became active and SMMU_IRQ_CTRL.GERROR_IRQEN is set. */
    GERROR
}
