package dev.aarvark.devices.virtio.queue;

/**
 * Told when a virtqueue stops because the driver corrupted a ring (an available index running
 * ahead, a head index outside the table, a ring access the DMA space refused). The transport
 * answers by setting DEVICE_NEEDS_RESET (virtio 1.2 §2.1.2) and, after DRIVER_OK, sending a
 * configuration change notification.
 */
@FunctionalInterface
public interface QueueFailureListener {
    void queueFailed(int queue, String reason);
}
