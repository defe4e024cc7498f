package dev.aarvark.devices.virtio;

import dev.aarvark.devices.virtio.queue.SplitVirtqueue;

/**
 * What a transport gives a {@link VirtioDevice} when the driver sets DRIVER_OK (virtio 1.2 §3.1.1
 * step 8): the features both sides agreed on, the queues the driver enabled, and the way to send a
 * used buffer notification. A session ends at device reset; after that its methods do nothing and
 * its queues are stopped.
 */
public interface DriverSession {
    /** The negotiated feature bits. */
    long features();

    /** True if feature bit {@code bit} was negotiated. */
    default boolean negotiated(int bit) {
        return VirtioFeature.has(features(), bit);
    }

    /** The live queue {@code index}, or {@code null} if the driver did not enable it (or it does not exist). */
    SplitVirtqueue queue(int index);

    /**
     * The device put buffers in the used ring of {@code queue}: the transport sends a used buffer
     * notification (§2.3) unless the driver suppressed it (§2.7.7, §2.7.10) or nothing was
     * completed since the last notification decision for that queue.
     */
    void notifyUsed(int queue);

    /**
     * The device changed a field of its configuration space (§2.5, e.g. a network link going down):
     * the transport makes the change visible in its configuration generation (§4.2.2:
     * ConfigGeneration) and sends a configuration change notification (§2.3, §4.2.3.3). As QEMU's
     * {@code virtio_notify_config}, this happens only for a live driver (after DRIVER_OK); a change
     * before that is simply read by the driver when it gets there.
     */
    void notifyConfigChange();
}
