package dev.aarvark.devices.virtio.net;

/**
 * Why a virtio-net frame was not delivered (virtio 1.2 §5.1.6.3–§5.1.6.4 for receive, §5.1.6.2 for
 * transmit), for {@link NetCounters#dropped}. One reason per meaning; the guest errors among them are
 * also reported to the machine's {@code GuestErrorLog}.
 */
public enum NetDrop {
    /** From the peer, while the host receive queue was full (the backend delivered past setReceiving(false)). */
    RX_HOST_QUEUE_FULL("peer frame while the host receive queue was full"),
    /** From the peer, not wanted by the driver's receive filter (§5.1.6.5.1). */
    RX_FILTERED("peer frame refused by the receive filter"),
    /** From the peer, shorter than an Ethernet header (or its vnet header). */
    RX_RUNT("peer frame shorter than an Ethernet header"),
    /** From the peer, longer than {@code FrameBackend.MAX_FRAME}, or longer than the MTU and the guest's buffer. */
    RX_OVERSIZE("peer frame longer than the device or the guest's buffer takes"),
    /** From a vnet-header peer: a segmentation offload the driver did not enable, or invalid checksum offsets. */
    RX_OFFLOAD("peer frame with an offload the driver cannot take"),
    /** The guest's receive buffers were too small for the frame (a guest error). */
    RX_BUFFER_TOO_SMALL("receive buffers too small"),
    /** The receive queue stopped on ring corruption while the frame was being written. */
    RX_QUEUE_STOPPED("receive queue stopped during the frame"),
    /** Held for a driver that reset the device. */
    RX_RESET("held for a driver that reset the device"),
    /** Sent by the guest while the backend had no peer (the link is down). */
    TX_NO_PEER("guest frame with no peer"),
    /** Sent by the guest malformed: header short or frame empty or oversized, bad offsets, a DMA fault (a guest error). */
    TX_MALFORMED("malformed guest frame"),
    /** Held for the backend when the driver reset the device. */
    TX_RESET("guest frame held when the driver reset the device");

    private final String text;

    NetDrop(String text) {
        this.text = text;
    }

    /** A short description for summaries. */
    public String text() {
        return text;
    }
}
