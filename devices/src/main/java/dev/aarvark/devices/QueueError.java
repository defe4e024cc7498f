package dev.aarvark.devices;

/**
 * Guest errors in the contents of a virtqueue: a descriptor chain, ring or buffer the driver
 * placed that the device cannot use as it is. The chain is returned unused (or the queue stops
 * until a reset, for corruption that makes the ring untrustworthy); the device never throws.
 */
public enum QueueError implements GuestError {
    /** A descriptor chain that breaks the chain rules (loop, bad index, bad indirect table, ...). */
    MALFORMED_CHAIN("malformed descriptor chain"),
    /** The ring is corrupt; the queue stopped and the device needs a reset. */
    QUEUE_STOPPED("virtqueue stopped"),
    /** A buffer address the DMA space cannot reach. */
    DMA_FAULT("DMA fault on a buffer"),
    /** A device-writable buffer in a queue the device only reads (a transmit queue). */
    WRITABLE_IN_TRANSMIT("device-writable buffer in a transmit queue"),
    /** A device-readable buffer in a queue the device only writes (a receive queue). */
    READABLE_IN_RECEIVE("device-readable buffer in a receive queue"),
    /** A control transmit chain shorter than the control message header. */
    SHORT_CONTROL_MESSAGE("control message shorter than its header"),
    /** A control receive chain too small to hold a control message. */
    UNUSABLE_CONTROL_BUFFER("unusable control receive buffer"),
    /** A request chain (a virtio-net control command) with no device-writable byte for its status. */
    NO_STATUS_BUFFER("request without a device-writable status byte"),
    /** A transmit chain shorter than the packet header that must precede the packet (virtio-net). */
    SHORT_PACKET_HEADER("transmit buffer shorter than the packet header"),
    /** A transmitted packet with no bytes after its header, or more than the device can carry. */
    BAD_PACKET_LENGTH("packet empty or larger than the device carries"),
    /** A receive chain (or, with merged buffers, every chain the driver can post) too small for a packet. */
    RECEIVE_BUFFER_TOO_SMALL("receive buffer too small for the packet"),
    /** A packet header whose checksum start and offset point outside the packet. */
    BAD_CHECKSUM_OFFSETS("checksum offsets outside the packet");

    private final String text;

    QueueError(String text) {
        this.text = text;
    }

    @Override
    public String text() {
        return text;
    }
}
