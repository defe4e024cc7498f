package dev.aarvark.devices.virtio;

/**
 * Device-independent feature bits (virtio 1.2 §6 "Reserved Feature Bits", and §6.3 for the bits a
 * legacy interface may offer), as bit numbers, and helpers to test and print 64-bit feature sets.
 * Device-type bits (0–23) are defined by each device.
 */
public final class VirtioFeature {
    /** Legacy only (§6.3): used buffer notification when the available ring runs empty, even if suppressed. */
    public static final int NOTIFY_ON_EMPTY = 24;
    /** Legacy only (§6.3): the device makes no assumption about the framing of descriptors (§2.7.4). */
    public static final int ANY_LAYOUT = 27;
    /** Indirect descriptor tables (§2.7.5.3). */
    public static final int INDIRECT_DESC = 28;
    /** {@code used_event} / {@code avail_event} notification suppression (§2.7.7, §2.7.10). */
    public static final int EVENT_IDX = 29;
    /** Compliance with virtio 1.x; the marker of a modern (non-legacy) driver and device (§6). */
    public static final int VERSION_1 = 32;
    /**
     * VIRTIO_F_ACCESS_PLATFORM (§6): the device's memory accesses go through the platform's IOMMU, so
     * the driver must give it bus (IOMMU) addresses; offered by a transport behind an SMMU.
     */
    public static final int ACCESS_PLATFORM = 33;

    private VirtioFeature() {}

    /** The mask of feature bit {@code bit}. */
    public static long bit(int bit) {
        return 1L << bit;
    }

    /** True if {@code features} has bit {@code bit}. */
    public static boolean has(long features, int bit) {
        return (features & bit(bit)) != 0;
    }

    /** {@code features} as hex, e.g. "0x130000002". */
    public static String hex(long features) {
        return "0x" + Long.toHexString(features);
    }
}
