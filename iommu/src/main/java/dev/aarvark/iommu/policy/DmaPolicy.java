package dev.aarvark.iommu.policy;

/**
 * What a host DMA policy does with an access outside a device's windows, or before its driver made
 * it ready: in both modes the access is recorded as a fault.
 */
public enum DmaPolicy {
    /** Abort the access before it touches RAM: the device sees it fail as through an SMMU fault. */
    STRICT,
    /** Let the access happen (to watch the bug happen and see who did it). */
    PERMISSIVE
}
