package dev.aarvark.devices.io.net;

/**
 * What the guest's driver can take in the frames it receives, as a backend that carries the
 * virtio-net header needs to know it: checksums left partial ({@code VIRTIO_NET_HDR_F_NEEDS_CSUM})
 * and segments not yet cut (TCPv4, TCPv6, with ECN, UDP), virtio 1.2 §5.1.6.4.1 and the
 * VIRTIO_NET_F_GUEST_* features (§5.1.3). Segmentation offloads need {@code csum}: a record
 * without it takes none.
 *
 * @param csum partial checksums (VIRTIO_NET_F_GUEST_CSUM)
 * @param tso4 TCPv4 segmentation (VIRTIO_NET_F_GUEST_TSO4)
 * @param tso6 TCPv6 segmentation (VIRTIO_NET_F_GUEST_TSO6)
 * @param ecn  segments with ECN (VIRTIO_NET_F_GUEST_ECN)
 * @param ufo  UDP fragmentation (VIRTIO_NET_F_GUEST_UFO)
 */
public record ReceiveOffloads(boolean csum, boolean tso4, boolean tso6, boolean ecn, boolean ufo) {
    /** Whole frames with complete checksums only. */
    public static final ReceiveOffloads NONE = new ReceiveOffloads(false, false, false, false, false);

    /** Only what holds together: without {@code csum}, nothing. */
    public ReceiveOffloads {
        if (!csum) {
            tso4 = tso6 = ecn = ufo = false;
        }
    }
}
