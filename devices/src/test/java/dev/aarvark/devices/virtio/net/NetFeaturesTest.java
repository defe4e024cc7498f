package dev.aarvark.devices.virtio.net;

import dev.aarvark.devices.virtio.VirtioFeature;
import dev.aarvark.devices.virtio.mmio.VirtioMmioVersion;
import org.junit.jupiter.api.Test;

import static dev.aarvark.devices.virtio.testkit.MmioDriver.DEVICE_ID;
import static dev.aarvark.devices.virtio.testkit.MmioDriver.QUEUE_NUM_MAX;
import static dev.aarvark.devices.virtio.testkit.MmioDriver.QUEUE_SEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Identity, queues, the feature offer and the header size (virtio 1.2 §5.1.1–§5.1.3, §5.1.6). */
class NetFeaturesTest {
    static long bits(int... bits) {
        long m = 0;
        for (int b : bits) {
            m |= VirtioFeature.bit(b);
        }
        return m;
    }

    static final long QEMU_WITHOUT_OFFLOADS = bits(NetFeatures.MAC, NetFeatures.STATUS, NetFeatures.MTU, NetFeatures.MRG_RXBUF,
            NetFeatures.CTRL_VQ, NetFeatures.CTRL_RX, NetFeatures.CTRL_VLAN, NetFeatures.CTRL_RX_EXTRA,
            NetFeatures.CTRL_MAC_ADDR, NetFeatures.CTRL_GUEST_OFFLOADS, NetFeatures.GUEST_ANNOUNCE);
    static final long OFFLOADS = bits(NetFeatures.CSUM, NetFeatures.GUEST_CSUM, NetFeatures.HOST_TSO4, NetFeatures.HOST_TSO6,
            NetFeatures.HOST_ECN, NetFeatures.HOST_UFO, NetFeatures.GUEST_TSO4, NetFeatures.GUEST_TSO6,
            NetFeatures.GUEST_ECN, NetFeatures.GUEST_UFO);
    static final long RING = bits(VirtioFeature.VERSION_1, VirtioFeature.INDIRECT_DESC, VirtioFeature.EVENT_IDX);

    @Test
    void isDeviceOneWithReceiveTransmitAndControlQueuesOfQemusSizes() {
        try (NetHarness h = new NetHarness()) {
            assertEquals(1, h.driver.read(DEVICE_ID));
            int[] sizes = new int[3];
            for (int q = 0; q < 3; q++) {
                h.driver.write(QUEUE_SEL, q);
                sizes[q] = (int) h.driver.read(QUEUE_NUM_MAX);
            }
            assertEquals(256, sizes[VirtioNet.RECEIVEQ]);
            assertEquals(256, sizes[VirtioNet.TRANSMITQ]);
            assertEquals(64, sizes[VirtioNet.CONTROLQ]);
            h.driver.write(QUEUE_SEL, 3);
            assertEquals(0, h.driver.read(QUEUE_NUM_MAX), "no fourth queue");
        }
    }

    @Test
    void withoutAVnetHeaderBackendTheOfferIsQemusWithoutChecksumOrSegmentationOffloads() {
        try (NetHarness h = new NetHarness()) {
            assertEquals(QEMU_WITHOUT_OFFLOADS | RING, h.driver.deviceFeatures());
        }
    }

    @Test
    void aVnetHeaderBackendAddsTheChecksumAndSegmentationOffloads() {
        try (NetHarness h = new NetHarness(new FakeFrameBackend(true), NetLimits.DEFAULT, VirtioMmioVersion.MODERN)) {
            assertEquals(QEMU_WITHOUT_OFFLOADS | OFFLOADS | RING, h.driver.deviceFeatures());
        }
    }

    @Test
    void theHeaderHasTwelveBytesWithVersion1OrMergedBuffersAndTenOtherwise() {
        long v1 = VirtioFeature.bit(VirtioFeature.VERSION_1);
        long mrg = VirtioFeature.bit(NetFeatures.MRG_RXBUF);
        assertEquals(12, NetHeader.size(v1));
        assertEquals(12, NetHeader.size(mrg));
        assertEquals(12, NetHeader.size(v1 | mrg));
        assertEquals(10, NetHeader.size(VirtioFeature.bit(NetFeatures.MAC)));
    }

    @Test
    void aModernDriverWithoutMergedBuffersReadsATwelveByteHeaderWithNumBuffersOne() {
        try (NetHarness h = new NetHarness()) {
            h.probe(NetHarness.LINUX & ~VirtioFeature.bit(NetFeatures.MRG_RXBUF));
            h.postRx(1, 1526);
            byte[] f = NetHarness.toUs(100);
            h.backend.receive(f);
            NetHarness.Received r = h.takeRx().getFirst();
            assertEquals(12 + f.length, r.bytes().length);
            assertEquals(1, r.numBuffers(), "§5.1.6.4: 1 without VIRTIO_NET_F_MRG_RXBUF");
        }
    }

    @Test
    void aLegacyDriverWithoutMergedBuffersUsesTheTenByteHeaderBothWays() {
        try (NetHarness h = new NetHarness(new FakeFrameBackend(), NetLimits.DEFAULT, VirtioMmioVersion.LEGACY)) {
            h.probe(bits(NetFeatures.MAC, NetFeatures.STATUS, VirtioFeature.EVENT_IDX));
            h.postRx(1, 1524);
            byte[] in = NetHarness.toUs(60);
            h.backend.receive(in);
            NetHarness.Received r = h.takeRx().getFirst();
            assertEquals(10 + in.length, r.bytes().length);
            assertEquals(java.util.Arrays.toString(in), java.util.Arrays.toString(NetHarness.tail(r.bytes(), 10)));

            byte[] out = NetHarness.fromUs(60);
            h.transmit(new byte[10], out);
            assertEquals(java.util.Arrays.toString(out), java.util.Arrays.toString(h.backend.sent.getFirst()),
                    "10 header bytes stripped");
        }
    }

    @Test
    void aLegacyDriverWithMergedBuffersUsesTheTwelveByteHeader() {
        try (NetHarness h = new NetHarness(new FakeFrameBackend(), NetLimits.DEFAULT, VirtioMmioVersion.LEGACY)) {
            h.probe(bits(NetFeatures.MAC, NetFeatures.MRG_RXBUF));
            byte[] out = NetHarness.fromUs(60);
            h.transmit(new byte[12], out);
            assertEquals(java.util.Arrays.toString(out), java.util.Arrays.toString(h.backend.sent.getFirst()));
        }
    }

    @Test
    void theConstructorStartsTheBackendOnceAndRefusesBadArguments() {
        FakeFrameBackend b = new FakeFrameBackend();
        new VirtioNet("n", NetHarness.MAC, b, new dev.aarvark.devices.GuestErrorLog());
        assertEquals(1, b.startCalls());
        dev.aarvark.devices.GuestErrorLog log = new dev.aarvark.devices.GuestErrorLog();
        assertThrows(IllegalArgumentException.class, () -> new VirtioNet("n", NetHarness.BROADCAST, new FakeFrameBackend(), log));
        assertThrows(IllegalArgumentException.class,
                () -> new VirtioNet("n", NetHarness.MAC, new FakeFrameBackend(), 67, NetLimits.DEFAULT, log));
        assertThrows(IllegalArgumentException.class, () -> new NetLimits(1, 1, 1, 1, 1, 1000));
    }
}
