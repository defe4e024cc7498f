package dev.aarvark.devices.virtio.queue;

/**
 * The driver configured a virtqueue the device cannot use: a size that is not a power of two or
 * exceeds QueueNumMax, a misaligned or wrapping part, overlapping parts, or (legacy) a missing page
 * size or alignment. The message names the register values.
 */
public final class QueueLayoutException extends Exception {
    public QueueLayoutException(String message) {
        super(message);
    }
}
