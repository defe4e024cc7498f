package dev.aarvark.iommu;

/**
 * Where a {@link DmaSpace} sends the record of every access it refuses or flags. One per machine
 * ({@link DmaFaultLog}); called on the vCPU thread, before the refused access's {@link DmaFault} is
 * thrown.
 */
@FunctionalInterface
public interface DmaFaultRecorder {
    void record(DmaFaultRecord fault);

    /** Records nothing (a DMA space used where nobody asks about faults, e.g. a unit test). */
    DmaFaultRecorder NONE = fault -> { };
}
