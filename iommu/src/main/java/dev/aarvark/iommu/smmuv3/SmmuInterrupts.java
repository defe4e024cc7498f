package dev.aarvark.iommu.smmuv3;

/** Where the SMMU's interrupt edges go: the board wires each to its SPI through the one IRQ path. */
@FunctionalInterface
public interface SmmuInterrupts {
    /** Signals one edge of {@code line}. */
    void pulse(SmmuInterrupt line);

    /** Interrupts connected to nothing. */
    SmmuInterrupts NONE = line -> { };
}
