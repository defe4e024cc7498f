package dev.aarvark.devices.virtio.net;

import dev.aarvark.devices.virtio.VirtioFeature;

/**
 * The header in front of every packet (virtio 1.2 §5.1.6, {@code struct virtio_net_hdr}): u8 flags,
 * u8 gso_type, le16 hdr_len, le16 gso_size, le16 csum_start, le16 csum_offset, and le16 num_buffers
 * when VIRTIO_F_VERSION_1 or VIRTIO_NET_F_MRG_RXBUF was negotiated (§5.1.6: "The legacy driver only
 * presented num_buffers in the struct virtio_net_hdr when VIRTIO_NET_F_MRG_RXBUF was negotiated;
 * without that feature the structure was 2 bytes shorter"). No hash fields: VIRTIO_NET_F_HASH_REPORT
 * is not offered. The legacy interface uses the guest's endianness (§5.1.6.1), little-endian on
 * AArch64 as the modern one.
 *
 * <p>Static helpers over a byte array, so the data paths parse and build headers without
 * allocating; offsets are the field offsets above.
 */
final class NetHeader {
    /** The header with num_buffers ({@code struct virtio_net_hdr_v1}); also the size a vnet-header backend uses. */
    static final int BYTES = 12;
    /** The legacy header without num_buffers. */
    static final int LEGACY_BYTES = 10;

    static final int FLAGS = 0;
    static final int GSO_TYPE = 1;
    static final int HDR_LEN = 2;
    static final int GSO_SIZE = 4;
    static final int CSUM_START = 6;
    static final int CSUM_OFFSET = 8;
    static final int NUM_BUFFERS = 10;

    /** flags: the checksum from csum_start on is not complete (§5.1.6.2). */
    static final int F_NEEDS_CSUM = 1;
    /** flags: the device checked the checksum (receive only, with GUEST_CSUM). */
    static final int F_DATA_VALID = 2;

    static final int GSO_NONE = 0;
    static final int GSO_TCPV4 = 1;
    static final int GSO_UDP = 3;
    static final int GSO_TCPV6 = 4;
    /** gso_type bit: TCP with ECN (needs HOST_ECN / GUEST_ECN). */
    static final int GSO_ECN = 0x80;

    private NetHeader() {}

    /** The header size for {@code negotiated} features: 12 bytes with VERSION_1 or MRG_RXBUF, else 10. */
    static int size(long negotiated) {
        return VirtioFeature.has(negotiated, VirtioFeature.VERSION_1) || VirtioFeature.has(negotiated, NetFeatures.MRG_RXBUF)
                ? BYTES : LEGACY_BYTES;
    }

    static int u16(byte[] h, int field) {
        return (h[field] & 0xFF) | (h[field + 1] & 0xFF) << 8;
    }

    static void putU16(byte[] h, int field, int v) {
        h[field] = (byte) v;
        h[field + 1] = (byte) (v >>> 8);
    }

    static int flags(byte[] h) {
        return h[FLAGS] & 0xFF;
    }

    /** gso_type without the ECN bit. */
    static int gsoProtocol(byte[] h) {
        return h[GSO_TYPE] & 0xFF & ~GSO_ECN;
    }

    static boolean gsoEcn(byte[] h) {
        return (h[GSO_TYPE] & GSO_ECN) != 0;
    }
}
