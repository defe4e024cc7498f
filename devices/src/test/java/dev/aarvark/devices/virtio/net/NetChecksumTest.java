package dev.aarvark.devices.virtio.net;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Internet checksum completion of VIRTIO_NET_HDR_F_NEEDS_CSUM (virtio 1.2 §5.1.6.2, RFC 1071). */
class NetChecksumTest {
    /** The folded one's-complement sum of {@code b[from, to)}. */
    static int fold(byte[] b, int from, int to) {
        long sum = 0;
        int i = from;
        for (; i + 1 < to; i += 2) {
            sum += (b[i] & 0xFF) << 8 | (b[i + 1] & 0xFF);
        }
        if (i < to) {
            sum += (b[i] & 0xFF) << 8;
        }
        while ((sum >>> 16) != 0) {
            sum = (sum & 0xFFFF) + (sum >>> 16);
        }
        return (int) (~sum & 0xFFFF);
    }

    @Test
    void theRfc1071ExampleSumsAsPublished() {
        // RFC 1071 §3: the words 0001 f203 f4f5 f6f7 sum to ddf2; the checksum is its complement 220d.
        byte[] p = {0, 0, 0x00, 0x01, (byte) 0xf2, 0x03, (byte) 0xf4, (byte) 0xf5, (byte) 0xf6, (byte) 0xf7};
        assertTrue(NetChecksum.complete(p, 0, p.length, 0, 0));
        assertEquals(0x22, p[0] & 0xFF);
        assertEquals(0x0d, p[1] & 0xFF);
    }

    @Test
    void anOddLengthIsPaddedWithAZeroByteAndTheResultSumsToZero() {
        byte[] p = {1, 2, 3, 4, 0, 0, 7};
        NetChecksum.complete(p, 0, p.length, 0, 4);
        assertEquals(0, fold(p, 0, p.length));
    }

    @Test
    void theOffsetsAreRelativeToThePacketStartInsideTheArray() {
        byte[] p = new byte[20];
        for (int i = 0; i < 20; i++) {
            p[i] = (byte) (i * 13);
        }
        p[8 + 4 + 2] = 0;
        p[8 + 4 + 3] = 0;
        byte[] before = p.clone();
        assertTrue(NetChecksum.complete(p, 8, 12, 4, 2));
        assertEquals(0, fold(p, 12, 20));
        assertEquals(java.util.Arrays.toString(java.util.Arrays.copyOf(before, 14)),
                java.util.Arrays.toString(java.util.Arrays.copyOf(p, 14)), "only the checksum field changed");
        assertEquals(java.util.Arrays.toString(java.util.Arrays.copyOfRange(before, 16, 20)),
                java.util.Arrays.toString(java.util.Arrays.copyOfRange(p, 16, 20)));
    }

    @Test
    void offsetsOutsideThePacketAreRefusedAndChangeNothing() {
        byte[] p = new byte[10];
        assertFalse(NetChecksum.complete(p, 0, 10, 10, 0));
        assertFalse(NetChecksum.complete(p, 0, 10, 4, 5));
        assertTrue(NetChecksum.valid(10, 4, 4));
        assertEquals(0, p[9]);
    }

    @Test
    void aZeroResultIsStoredAsAllOnes() {
        byte[] p = {(byte) 0xff, (byte) 0xff, 0, 0};
        NetChecksum.complete(p, 0, 4, 0, 2);
        assertEquals(0xff, p[2] & 0xFF);
        assertEquals(0xff, p[3] & 0xFF);
    }
}
