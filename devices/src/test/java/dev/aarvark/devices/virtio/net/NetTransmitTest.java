package dev.aarvark.devices.virtio.net;

import dev.aarvark.devices.ProtocolError;
import dev.aarvark.devices.QueueError;
import dev.aarvark.devices.io.net.FrameBackend;
import dev.aarvark.devices.virtio.VirtioFeature;
import dev.aarvark.devices.virtio.mmio.VirtioMmioVersion;
import dev.aarvark.devices.virtio.testkit.DriverQueue;
import dev.aarvark.devices.virtio.testkit.DriverQueue.Buffer;
import dev.aarvark.devices.virtio.testkit.DriverQueue.Used;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Guest to peer (virtio 1.2 §5.1.6.2), one rule per test. */
class NetTransmitTest {
    NetHarness h = new NetHarness().linux();

    @AfterEach
    void free() {
        h.close();
    }

    @Test
    void aFrameScatteredOverDescriptorsWithTheHeaderSplitIsSentWholeWithoutTheHeader() {
        byte[] f = NetHarness.fromUs(1000);
        int head = h.txChain(new byte[5], new byte[7], Arrays.copyOfRange(f, 0, 3), Arrays.copyOfRange(f, 3, 600),
                Arrays.copyOfRange(f, 600, f.length));
        h.driver.notify(VirtioNet.TRANSMITQ);
        assertEquals(1, h.backend.sent.size());
        assertArrayEquals(f, h.backend.sent.getFirst());
        assertEquals(List.of(new Used(head, 0)), h.txq.takeUsed(), "used length 0: the device wrote nothing");
        assertEquals(1, h.driver.takeInterrupt());
        assertEquals(1, h.net.counters().transmittedFrames());
        assertEquals(f.length, h.net.counters().transmittedBytes());
    }

    @Test
    void aHeaderWithNoFrameAfterItIsAGuestErrorAndNothingIsSent() {
        int head = h.txChain(new byte[12]);
        h.driver.notify(VirtioNet.TRANSMITQ);
        assertEquals(0, h.backend.sendCalls());
        assertEquals(1, h.errors(QueueError.BAD_PACKET_LENGTH));
        assertEquals(List.of(new Used(head, 0)), h.txq.takeUsed());
        assertEquals(1, h.dropped(NetDrop.TX_MALFORMED));
    }

    @Test
    void aZeroLengthChainIsShorterThanTheHeaderAndReturnedWithUsedLengthZero() {
        int head = h.txq.add(Buffer.out(h.mem.alloc(8, 8), 0));
        h.driver.notify(VirtioNet.TRANSMITQ);
        assertEquals(1, h.errors(QueueError.SHORT_PACKET_HEADER));
        assertEquals(List.of(new Used(head, 0)), h.txq.takeUsed());
        assertEquals(0, h.backend.sendCalls());
    }

    @Test
    void aChainWithOnlyPartOfTheHeaderIsAGuestErrorAndTheNextChainIsStillSent() {
        int bad = h.txChain(new byte[4], new byte[3]);
        byte[] f = NetHarness.fromUs(64);
        int good = h.txChain(new byte[12], f);
        h.driver.notify(VirtioNet.TRANSMITQ);
        assertEquals(1, h.errors(QueueError.SHORT_PACKET_HEADER));
        assertEquals(List.of(new Used(bad, 0), new Used(good, 0)), h.txq.takeUsed());
        assertEquals(1, h.backend.sent.size());
        assertArrayEquals(f, h.backend.sent.getFirst());
    }

    @Test
    void aFrameOverMaxFrameIsAGuestErrorAndDroppedWhileMaxFrameItselfIsSent() {
        byte[] largest = new byte[FrameBackend.MAX_FRAME];
        byte[] tooLarge = new byte[FrameBackend.MAX_FRAME + 1];
        largest[0] = 1;
        h.txChain(new byte[12], tooLarge);
        h.txChain(new byte[12], largest);
        h.driver.notify(VirtioNet.TRANSMITQ);
        assertEquals(1, h.errors(QueueError.BAD_PACKET_LENGTH));
        assertEquals(1, h.backend.sent.size());
        assertEquals(65_549, h.backend.sent.getFirst().length);
        assertEquals(2, h.txq.takeUsed().size());
    }

    @Test
    void aReadableDescriptorAfterAWritableOneMakesTheChainMalformedAndReturnedUnused() {
        long a = h.mem.alloc(64, 8);
        int head = h.txq.add(Buffer.out(a, 12), Buffer.in(a + 16, 8), Buffer.out(a + 32, 20));
        h.driver.notify(VirtioNet.TRANSMITQ);
        assertEquals(1, h.errors(QueueError.MALFORMED_CHAIN));
        assertEquals(List.of(new Used(head, 0)), h.txq.takeUsed());
        assertEquals(0, h.backend.sendCalls());
    }

    @Test
    void writableBytesAfterTheFrameAreReportedAndIgnoredAndTheFrameIsSent() {
        byte[] f = NetHarness.fromUs(40);
        long hdr = h.mem.alloc(12, 8);
        long data = h.mem.alloc(f.length, 8);
        h.mem.write(data, f);
        int head = h.txq.add(Buffer.out(hdr, 12), Buffer.out(data, f.length), Buffer.in(h.mem.alloc(8, 8), 8));
        h.driver.notify(VirtioNet.TRANSMITQ);
        assertEquals(1, h.errors(QueueError.WRITABLE_IN_TRANSMIT));
        assertArrayEquals(f, h.backend.sent.getFirst());
        assertEquals(List.of(new Used(head, 0)), h.txq.takeUsed());
    }

    @Test
    void aDescriptorLoopIsMalformedAndTheDeviceCarriesOn() {
        long a = h.mem.alloc(64, 8);
        h.txq.writeDescriptor(0, a, 12, DriverQueue.NEXT, 1);
        h.txq.writeDescriptor(1, a + 16, 20, DriverQueue.NEXT, 0);
        h.txq.publish(0);
        h.driver.notify(VirtioNet.TRANSMITQ);
        assertEquals(1, h.errors(QueueError.MALFORMED_CHAIN));
        assertEquals(List.of(new Used(0, 0)), h.txq.takeUsed());
        assertEquals(0, h.backend.sendCalls());
        assertFalse(h.net.hasDeferredWork());
    }

    @Test
    void aNotifyStormIsServedWithinTheCapsAndDeferredWorkSendsEverythingInOrder() {
        h.close();
        h = NetHarness.withLimits(new NetLimits(4, 1 << 20, 4, 2, 256, 1 << 20)).linux();
        List<byte[]> frames = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            byte[] f = NetHarness.fromUs(46 + i);
            frames.add(f);
            byte[] packet = new byte[12 + f.length];
            System.arraycopy(f, 0, packet, 12, f.length);
            h.txChain(packet); // header and frame in one descriptor (§5.1.6.2 allows any layout)
        }
        h.driver.notify(VirtioNet.TRANSMITQ);
        assertEquals(4, h.backend.sent.size(), "one call takes at most transmitChainsPerCall chains");
        for (int i = 0; i < 20; i++) {
            h.driver.notify(VirtioNet.TRANSMITQ);
        }
        assertEquals(84, h.backend.sent.size(), "every notification is capped the same way");
        assertTrue(h.transport.hasDeferredWork());
        int calls = 0;
        while (h.transport.hasDeferredWork()) {
            int before = h.backend.sent.size();
            h.transport.runDeferredWork();
            assertTrue(h.backend.sent.size() - before <= 4, "deferred work is capped too");
            calls++;
        }
        assertEquals(29, calls);
        assertEquals(200, h.backend.sent.size());
        for (int i = 0; i < 200; i++) {
            assertArrayEquals(frames.get(i), h.backend.sent.get(i), "frame " + i);
        }
    }

    @Test
    void aCallStopsAfterTheFrameThatReachesTheByteCap() {
        h.close();
        h = NetHarness.withLimits(new NetLimits(128, 3000, 128, 16, 256, 1 << 20)).linux();
        for (int i = 0; i < 5; i++) {
            h.txChain(new byte[12], NetHarness.fromUs(986)); // 1000-byte frames
        }
        h.driver.notify(VirtioNet.TRANSMITQ);
        assertEquals(3, h.backend.sent.size());
        assertTrue(h.net.hasDeferredWork());
        h.net.runDeferredWork();
        assertEquals(5, h.backend.sent.size());
        assertFalse(h.net.hasDeferredWork());
    }

    @Test
    void aFullBackendHoldsTheChainAndWritableSendsItFirstInOrderWithNothingLost() {
        h.backend.limitRoom(1);
        List<byte[]> frames = new ArrayList<>();
        List<Integer> heads = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            byte[] f = NetHarness.fromUs(50 + i);
            frames.add(f);
            heads.add(h.txChain(new byte[12], f));
        }
        h.driver.notify(VirtioNet.TRANSMITQ);
        assertEquals(1, h.backend.sent.size());
        assertEquals(List.of(new Used(heads.get(0), 0)), h.txq.takeUsed(), "the refused chain stays with the device");
        assertTrue(h.net.transmitWaitingForBackend());
        assertFalse(h.net.hasDeferredWork(), "nothing to do until writable()");

        h.driver.notify(VirtioNet.TRANSMITQ);
        assertEquals(1, h.backend.sent.size(), "a notification does not bypass the full backend");
        long calls = h.backend.sendCalls();

        h.backend.drain(Long.MAX_VALUE);
        assertEquals(4, h.backend.sent.size());
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(frames.get(i), h.backend.sent.get(i));
        }
        assertEquals(calls + 3, h.backend.sendCalls(), "the held frame was offered again once, then the rest");
        assertEquals(List.of(new Used(heads.get(1), 0), new Used(heads.get(2), 0), new Used(heads.get(3), 0)), h.txq.takeUsed());
        assertEquals(1, h.net.counters().transmitBackendFull());
        assertFalse(h.net.transmitWaitingForBackend());
    }

    @Test
    void framesWithoutAPeerAreCountedAndCompleted() {
        h.backend.link(false);
        int head = h.transmit(NetHarness.fromUs(50));
        assertEquals(List.of(new Used(head, 0)), h.txq.takeUsed());
        assertEquals(1, h.dropped(NetDrop.TX_NO_PEER));
        assertEquals(0, h.net.counters().transmittedFrames());
    }

    @Test
    void aPartialChecksumWithoutVirtioNetFCsumIsReportedAndCompletedByTheDevice() {
        byte[] f = udpFrame();
        byte[] hdr = new byte[12];
        hdr[NetHeader.FLAGS] = NetHeader.F_NEEDS_CSUM;
        hdr[NetHeader.CSUM_START] = 34;
        hdr[NetHeader.CSUM_OFFSET] = 6;
        h.transmit(hdr, f);
        assertEquals(1, h.errors(ProtocolError.UNNEGOTIATED_OFFLOAD));
        byte[] sent = h.backend.sent.getFirst();
        byte[] expected = f.clone();
        NetChecksum.complete(expected, 0, expected.length, 34, 6);
        assertArrayEquals(expected, sent);
        assertEquals(0x1234, NetChecksumTest.fold(sent, 34, sent.length),
                "the segment verifies once the receiver adds the pseudo-header sum the driver left in the field");
    }

    @Test
    void checksumOffsetsOutsideTheFrameAreAGuestErrorAndTheFrameIsDropped() {
        byte[] f = NetHarness.fromUs(20);
        byte[] hdr = new byte[12];
        hdr[NetHeader.FLAGS] = NetHeader.F_NEEDS_CSUM;
        hdr[NetHeader.CSUM_START] = 30;
        hdr[NetHeader.CSUM_OFFSET] = 4;
        h.transmit(hdr, f);
        assertEquals(1, h.errors(QueueError.BAD_CHECKSUM_OFFSETS));
        assertEquals(0, h.backend.sendCalls());
        assertEquals(1, h.dropped(NetDrop.TX_MALFORMED));
    }

    @Test
    void aSegmentationRequestThatWasNotNegotiatedIsReportedAndTheFrameSentAsItIs() {
        byte[] hdr = new byte[12];
        hdr[NetHeader.GSO_TYPE] = NetHeader.GSO_TCPV4;
        byte[] f = NetHarness.fromUs(100);
        h.transmit(hdr, f);
        assertEquals(1, h.errors(ProtocolError.UNNEGOTIATED_OFFLOAD));
        assertArrayEquals(f, h.backend.sent.getFirst());
    }

    @Test
    void aVnetHeaderBackendGetsTheDriversHeaderAsTwelveBytesBeforeTheFrame() {
        h.close();
        h = new NetHarness(new FakeFrameBackend(true), NetLimits.DEFAULT, VirtioMmioVersion.LEGACY);
        h.probe(VirtioFeature.bit(NetFeatures.MAC) | VirtioFeature.bit(NetFeatures.CSUM) | VirtioFeature.bit(NetFeatures.HOST_TSO4));
        byte[] f = udpFrame();
        byte[] hdr = {NetHeader.F_NEEDS_CSUM, NetHeader.GSO_TCPV4, 54, 0, (byte) 0xa8, 5, 34, 0, 6, 0};
        h.transmit(hdr, f);
        byte[] sent = h.backend.sent.getFirst();
        assertEquals(12 + f.length, sent.length);
        assertArrayEquals(hdr, Arrays.copyOfRange(sent, 0, 10), "the 10-byte legacy header, passed on");
        assertArrayEquals(new byte[2], Arrays.copyOfRange(sent, 10, 12), "num_buffers 0");
        assertArrayEquals(f, NetHarness.tail(sent, 12), "the checksum is the host kernel's to complete");
        assertEquals(0, h.errors(ProtocolError.UNNEGOTIATED_OFFLOAD));
    }

    @Test
    void everyGuestMemoryAccessNamesDeviceQueueChainHeadAndDescriptor() {
        h.postRx(1, 2048);
        int rxHead = 0;
        h.dma.clear();
        h.backend.receive(NetHarness.toUs(100));
        var bufferWrites = h.dma.writes().stream().filter(w -> "buffer".equals(w.requester().what())).toList();
        assertFalse(bufferWrites.isEmpty());
        for (var w : bufferWrites) {
            assertEquals(h.name, w.requester().device());
            assertEquals(VirtioNet.RECEIVEQ, w.requester().queue());
            assertEquals(rxHead, w.requester().descriptorHead());
            assertEquals(rxHead, w.requester().descriptorIndex());
        }
        assertEquals("virtio-net@a003e00 queue 0 descriptor 0 buffer", bufferWrites.getFirst().requester().toString());
    }

    /** Ethernet + IPv4 (20 bytes) + UDP (8) + 20 bytes of data; UDP checksum field holds a pseudo-header sum. */
    static byte[] udpFrame() {
        byte[] f = NetHarness.frame(NetHarness.PEER, NetHarness.MAC, 48);
        f[14] = 0x45;
        f[14 + 9] = 17;
        f[34 + 4] = 0;
        f[34 + 5] = 28;
        f[34 + 6] = 0x12;
        f[34 + 7] = 0x34;
        return f;
    }
}
