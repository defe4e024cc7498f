package dev.aarvark.devices;

/**
 * Guest errors against a device's protocol: each register access is well formed, but the driver
 * does it in a state or order its specification forbids (virtio initialisation and queue
 * configuration, the virtio-console control protocol, a UART's FIFO handshake). The step is
 * ignored, as the specification lets the device do, and the device stays consistent.
 */
public enum ProtocolError implements GuestError {
    /** A queue register written after DRIVER_OK (queue configuration is then immutable). */
    QUEUE_AFTER_DRIVER_OK("queue register written after DRIVER_OK"),
    /** A queue register written before FEATURES_OK on a modern transport. */
    QUEUE_TOO_EARLY("queue register written before FEATURES_OK"),
    /** A queue register written while the queue is enabled. */
    QUEUE_ENABLED("queue register written while the queue is enabled"),
    /** A queue register or QueueNotify that names a queue the device does not have. */
    NO_SUCH_QUEUE("queue the device does not have"),
    /** A queue configuration the device cannot use (size, alignment, addresses). */
    QUEUE_CONFIG("invalid queue configuration"),
    /** A queue notified before DRIVER_OK. */
    NOTIFY_BEFORE_DRIVER_OK("queue notified before DRIVER_OK"),
    /** A queue notified that the driver did not enable. */
    NOTIFY_DISABLED("notify of a queue the driver did not enable"),
    /** A queue notified after it stopped on ring corruption. */
    NOTIFY_STOPPED("notify of a stopped queue"),
    /** FEATURES_OK (or a legacy driver's feature set) refused: features the device did not offer. */
    FEATURES_REFUSED("FEATURES_OK refused"),
    /** DriverFeatures written after the features were final. */
    FEATURES_FINAL("DriverFeatures written after the features were final"),
    /** A device status write that breaks the initialisation sequence or sets a device-only bit. */
    STATUS("invalid device status write"),
    /**
     * A control message that breaks its device's control protocol: a virtio-console message out of
     * order, unknown or for an absent port; a virtio-net control command of an unknown class or
     * command, of a class whose feature was not negotiated, or with malformed data (§5.1.6.5).
     */
    CONTROL_PROTOCOL("control protocol violation"),
    /** A virtio-net packet header asking for an offload (checksum, segmentation) that was not negotiated. */
    UNNEGOTIATED_OFFLOAD("offload requested that was not negotiated"),
    /** A virtio-console multiport queue used without VIRTIO_CONSOLE_F_MULTIPORT. */
    NO_MULTIPORT("queue used without VIRTIO_CONSOLE_F_MULTIPORT"),
    /** A virtio-console queue of a port that does not exist. */
    ABSENT_PORT("queue of a port that does not exist"),
    /** A UART data write while the transmit FIFO is full (the driver did not check TXFF). */
    TRANSMIT_FIFO_FULL("write to full transmit FIFO");

    private final String text;

    ProtocolError(String text) {
        this.text = text;
    }

    @Override
    public String text() {
        return text;
    }
}
