package dev.aarvark.devices.virtio.net;

/**
 * Completes a partial checksum as VIRTIO_NET_HDR_F_NEEDS_CSUM asks (virtio 1.2 §5.1.6.2 item 2): the
 * Internet checksum (RFC 1071, one's-complement sum of 16-bit big-endian words) over the packet from
 * {@code csum_start} to its end, stored at {@code csum_start + csum_offset}. The driver has already
 * put the pseudo-header sum in that field, so the sum covers it too. A result of 0 is stored as
 * 0xFFFF, as Linux's {@code skb_checksum_help} does (both mean zero in one's complement; UDP reserves 0
 * for "no checksum").
 */
final class NetChecksum {
    private NetChecksum() {}

    /** True if the offsets lie inside a packet of {@code len} bytes (the 2-byte field included). */
    static boolean valid(int len, int csumStart, int csumOffset) {
        return csumStart < len && (long) csumStart + csumOffset + 2 <= len;
    }

    /**
     * Completes the checksum of {@code packet[off, off+len)}; the offsets are relative to {@code off}.
     *
     * @return false (and nothing changed) if the offsets are not {@link #valid}
     */
    static boolean complete(byte[] packet, int off, int len, int csumStart, int csumOffset) {
        if (!valid(len, csumStart, csumOffset)) {
            return false;
        }
        long sum = 0;
        int i = off + csumStart;
        int end = off + len;
        for (; i + 1 < end; i += 2) {
            sum += (packet[i] & 0xFF) << 8 | (packet[i + 1] & 0xFF);
        }
        if (i < end) {
            sum += (packet[i] & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        int result = (int) ~sum & 0xFFFF;
        if (result == 0) {
            result = 0xFFFF;
        }
        int at = off + csumStart + csumOffset;
        packet[at] = (byte) (result >>> 8);
        packet[at + 1] = (byte) result;
        return true;
    }
}
