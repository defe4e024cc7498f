package dev.aarvark.devices.virtio.queue;

/**
 * A descriptor chain breaks a rule of virtio 1.2 §2.7.5 (descriptor table and indirect
 * descriptors) or §2.7.4 (framing): a next index outside the table, a loop, a chain longer than the
 * queue, a nested or misused indirect table, a device-readable buffer after a device-writable one,
 * lengths that overflow 32 bits, or a buffer over the queue's own rings. The message names the
 * descriptor and the value. The queue returns such a chain to the driver unused (used length 0).
 */
public final class MalformedChainException extends Exception {
    public MalformedChainException(String message) {
        super(message);
    }
}
