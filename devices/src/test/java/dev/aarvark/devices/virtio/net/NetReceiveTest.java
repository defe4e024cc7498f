package dev.aarvark.devices.virtio.net;

import dev.aarvark.devices.QueueError;
import dev.aarvark.devices.io.net.FrameBackend;
import dev.aarvark.devices.virtio.VirtioFeature;
import dev.aarvark.devices.virtio.mmio.VirtioMmioVersion;
import dev.aarvark.devices.virtio.testkit.DriverQueue.Buffer;
import dev.aarvark.devices.virtio.testkit.DriverQueue.Used;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Peer to guest (virtio 1.2 §5.1.6.3, §5.1.6.4), one rule per test. */
class NetReceiveTest {
    static final long WITHOUT_MRG = NetHarness.LINUX & ~VirtioFeature.bit(NetFeatures.MRG_RXBUF);

    NetHarness h = new NetHarness();

    @AfterEach
    void free() {
        h.close();
    }

    static byte[] header(NetHarness.Received r) {
        return Arrays.copyOf(r.bytes(), 12);
    }

    static byte[] joined(List<NetHarness.Received> parts, int skip) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (NetHarness.Received r : parts) {
            b.writeBytes(r.bytes());
        }
        return NetHarness.tail(b.toByteArray(), skip);
    }

    @Test
    void aFrameGoesIntoOneChainHeaderFirstWithUsedLengthTheBytesWritten() {
        h.linux();
        int head = h.postRx(2, 1536).getFirst();
        byte[] f = NetHarness.toUs(200);
        h.backend.receive(f);
        List<NetHarness.Received> rx = h.takeRx();
        assertEquals(1, rx.size());
        assertEquals(head, rx.getFirst().head());
        assertEquals(12 + f.length, rx.getFirst().bytes().length);
        byte[] expectedHeader = new byte[12];
        expectedHeader[NetHeader.NUM_BUFFERS] = 1;
        assertArrayEquals(expectedHeader, header(rx.getFirst()), "flags 0, gso NONE, num_buffers 1");
        assertArrayEquals(f, NetHarness.tail(rx.getFirst().bytes(), 12));
        assertEquals(1, h.driver.takeInterrupt());
        assertEquals(1, h.net.counters().receivedFrames());
        assertEquals(f.length, h.net.counters().receivedBytes());
    }

    @Test
    void withMergedBuffersAFrameSpansChainsWithNumBuffersInTheFirstAndOneNotification() {
        h.linux();
        h.postRx(4, 1000);
        long decisions = h.notificationDecisions();
        byte[] f = NetHarness.toUs(2500 - 14);
        h.backend.receive(f);
        List<NetHarness.Received> rx = h.takeRx();
        assertEquals(List.of(1000, 1000, 512), rx.stream().map(r -> r.bytes().length).toList());
        assertEquals(3, rx.getFirst().numBuffers());
        assertArrayEquals(f, joined(rx, 12));
        assertEquals(decisions + 1, h.notificationDecisions(), "one notification for the pass");
        assertEquals(1, h.net.counters().receivedFrames());
    }

    @Test
    void aMergedFrameWaitsWithItsFirstChainUntilTheDriverPostsEnoughBuffers() {
        h.linux();
        h.postRx(1, 1000);
        byte[] f = NetHarness.toUs(2500 - 14);
        h.backend.receive(f);
        assertEquals(List.of(), h.takeRx(), "nothing is written before the whole frame fits");
        h.postRx(1, 1000);
        assertEquals(List.of(), h.takeRx());
        h.postRx(1, 1000);
        List<NetHarness.Received> rx = h.takeRx();
        assertEquals(3, rx.size());
        assertEquals(3, rx.getFirst().numBuffers());
        assertArrayEquals(f, joined(rx, 12));
    }

    @Test
    void mergedBuffersThatCanNeverHoldTheFrameDropItAsAGuestError() {
        h.rxQueueSize = 4;
        h.linux();
        List<Integer> heads = h.postRx(4, 100);
        h.backend.receive(NetHarness.toUs(1000));
        assertEquals(1, h.errors(QueueError.RECEIVE_BUFFER_TOO_SMALL));
        assertEquals(1, h.dropped(NetDrop.RX_BUFFER_TOO_SMALL));
        assertEquals(List.of(new Used(heads.getFirst(), 0)), h.rxq.takeUsed(), "the first chain goes back unused");
        byte[] small = NetHarness.toUs(100);
        h.backend.receive(small);
        assertEquals(2, h.takeRx().size(), "the next frame uses the remaining buffers");
    }

    @Test
    void aMergedBufferShorterThanTheHeaderIsReturnedUnusedAndTheFrameTakesTheNextOne() {
        h.linux();
        int tiny = h.postRxChain(8);
        int good = h.postRxChain(1536);
        h.driver.notify(VirtioNet.RECEIVEQ);
        byte[] f = NetHarness.toUs(100);
        h.backend.receive(f);
        assertEquals(1, h.errors(QueueError.RECEIVE_BUFFER_TOO_SMALL));
        List<NetHarness.Received> rx = h.takeRx();
        assertEquals(List.of(tiny, good), rx.stream().map(NetHarness.Received::head).toList());
        assertEquals(0, rx.get(0).bytes().length);
        assertArrayEquals(f, NetHarness.tail(rx.get(1).bytes(), 12));
    }

    @Test
    void withoutMergedBuffersAChainShorterThanHeaderAndFrameIsAGuestErrorAndTheFrameIsDroppedNotTruncated() {
        h.probe(WITHOUT_MRG);
        int shortChain = h.postRxChain(500);
        int longChain = h.postRxChain(2000);
        h.driver.notify(VirtioNet.RECEIVEQ);
        h.backend.receive(NetHarness.toUs(1000));
        assertEquals(1, h.errors(QueueError.RECEIVE_BUFFER_TOO_SMALL));
        assertEquals(1, h.dropped(NetDrop.RX_BUFFER_TOO_SMALL));
        assertEquals(List.of(new Used(shortChain, 0)), h.rxq.takeUsed(), "returned unused; nothing of the frame written");
        byte[] next = NetHarness.toUs(300);
        h.backend.receive(next);
        List<NetHarness.Received> rx = h.takeRx();
        assertEquals(longChain, rx.getFirst().head());
        assertArrayEquals(next, NetHarness.tail(rx.getFirst().bytes(), 12));
    }

    @Test
    void aFrameLongerThanTheMtuForASmallBufferIsDroppedWithoutBlamingTheGuest() {
        h.probe(WITHOUT_MRG);
        h.postRx(1, 1526);
        h.backend.receive(NetHarness.toUs(3000));
        assertEquals(0, h.errors(QueueError.RECEIVE_BUFFER_TOO_SMALL), "1526 bytes is what §5.1.6.3.1 asks of the driver");
        assertEquals(1, h.dropped(NetDrop.RX_OVERSIZE));
    }

    @Test
    void withoutBuffersFramesWaitInABoundedQueueTheBackendIsStoppedAndFramesBeyondItAreDropped() {
        h.close();
        h = NetHarness.withLimits(new NetLimits(128, 1 << 20, 128, 16, 8, 1 << 20)).linux();
        for (int i = 0; i < 20; i++) {
            h.backend.receive(NetHarness.toUs(100 + i));
        }
        assertEquals(List.of(false), h.backend.receivingCalls, "told once, when the queue filled");
        assertEquals(8, h.net.queuedReceiveFrames());
        assertEquals(12, h.dropped(NetDrop.RX_HOST_QUEUE_FULL));
        assertTrue(h.net.receivePaused());
        assertEquals(1, h.net.counters().receivePauses());

        h.postRx(3, 1536);
        assertEquals(3, h.takeRx().size());
        assertEquals(List.of(false), h.backend.receivingCalls, "5 left: above half of 8");
        h.postRx(1, 1536);
        List<NetHarness.Received> rx = h.takeRx();
        assertArrayEquals(NetHarness.toUs(103), NetHarness.tail(rx.getFirst().bytes(), 12), "in arrival order");
        assertEquals(List.of(false, true), h.backend.receivingCalls, "4 left: receiving resumes");
        assertFalse(h.net.receivePaused());
    }

    @Test
    void framesHandedOverTogetherAreWrittenInOnePassWithOneNotification() {
        h.linux();
        h.postRx(8, 1536);
        long decisions = h.notificationDecisions();
        List<byte[]> batch = List.of(NetHarness.toUs(100), NetHarness.toUs(101), NetHarness.toUs(102), NetHarness.toUs(103));
        assertEquals(4, h.backend.receiveBatch(batch), "all taken");
        List<NetHarness.Received> rx = h.takeRx();
        assertEquals(4, rx.size());
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(batch.get(i), NetHarness.tail(rx.get(i).bytes(), 12), "frame " + i + " in order");
        }
        assertEquals(decisions + 1, h.notificationDecisions(), "one notification for the batch");
        assertEquals(4, h.net.counters().receivedFrames());
    }

    @Test
    void aBatchLargerThanTheHostQueueIsNotDroppedTheBackendKeepsWhatTheGuestCannotTakeYet() {
        h.close();
        h = NetHarness.withLimits(new NetLimits(128, 1 << 20, 128, 16, 8, 1 << 20)).linux();
        h.postRx(2, 1536);
        List<byte[]> batch = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batch.add(NetHarness.toUs(100 + i));
        }
        int taken = h.backend.receiveBatch(batch);
        assertEquals(10, taken, "2 into the guest's buffers, 8 held in the host queue");
        assertEquals(0, h.dropped(NetDrop.RX_HOST_QUEUE_FULL), "nothing dropped");
        assertEquals(List.of(false), h.backend.receivingCalls, "the backend is told to stop");
        assertEquals(8, h.net.queuedReceiveFrames());
        assertEquals(2, h.takeRx().size());

        h.postRx(8, 1536);
        List<NetHarness.Received> rx = h.takeRx();
        assertEquals(8, rx.size());
        assertArrayEquals(NetHarness.toUs(102), NetHarness.tail(rx.getFirst().bytes(), 12), "in arrival order");
        assertEquals(List.of(false, true), h.backend.receivingCalls, "receiving resumes once the queue drained");
        assertEquals(8, h.backend.receiveBatch(batch.subList(taken, batch.size())),
                "after the resume the host queue takes 8 more of the 10 (the guest has no buffers left)");
        assertEquals(0, h.dropped(NetDrop.RX_HOST_QUEUE_FULL));
    }

    @Test
    void theHostQueueIsBoundedInBytesToo() {
        h.close();
        int bound = 2 * NetLimits.LARGEST_BACKEND_FRAME;
        h = NetHarness.withLimits(new NetLimits(128, 1 << 20, 128, 16, 256, bound)).linux();
        byte[] big = NetHarness.toUs(60_000);
        h.backend.receive(big);
        assertEquals(List.of(), h.backend.receivingCalls, "another largest frame still fits");
        h.backend.receive(big);
        assertEquals(List.of(false), h.backend.receivingCalls, "the next largest frame might not fit");
        h.backend.receive(big);
        assertEquals(2, h.net.queuedReceiveFrames());
        assertEquals(1, h.dropped(NetDrop.RX_HOST_QUEUE_FULL));
        assertTrue(h.net.counters().droppedTotal() == 1);
        assertTrue(2L * big.length <= bound);
    }

    @Test
    void aReadableChainInTheReceiveQueueIsReportedAndReturnedUnused() {
        h.linux();
        int bad = h.rxq.add(Buffer.out(h.mem.alloc(64, 8), 64));
        int good = h.postRxChain(1536);
        h.driver.notify(VirtioNet.RECEIVEQ);
        byte[] f = NetHarness.toUs(100);
        h.backend.receive(f);
        assertEquals(1, h.errors(QueueError.READABLE_IN_RECEIVE));
        List<Used> used = h.rxq.takeUsed();
        assertEquals(List.of(new Used(bad, 0), new Used(good, 12 + f.length)), used);
    }

    @Test
    void framesArrivingBeforeDriverOkAreDeliveredWhenBuffersArriveAndABurstBeyondTheCapIsDeferredWork() {
        h.close();
        h = NetHarness.withLimits(new NetLimits(128, 1 << 20, 4, 16, 256, 1 << 20));
        h.probe(NetHarness.LINUX, () -> {
            for (int i = 0; i < 10; i++) {
                h.backend.receive(NetHarness.toUs(100 + i));
            }
        });
        assertEquals(10, h.net.queuedReceiveFrames(), "kept for the driver that is coming up");
        h.postRx(16, 1536);
        assertEquals(4, h.takeRx().size(), "one call fills at most receiveChainsPerCall chains");
        assertTrue(h.transport.hasDeferredWork());
        h.transport.runDeferredWork();
        assertEquals(4, h.takeRx().size());
        h.transport.runDeferredWork();
        List<NetHarness.Received> last = h.takeRx();
        assertEquals(2, last.size());
        assertArrayEquals(NetHarness.toUs(109), NetHarness.tail(last.get(1).bytes(), 12));
        assertFalse(h.transport.hasDeferredWork());
    }

    @Test
    void framesShorterThanAnEthernetHeaderOrLongerThanMaxFrameAreDropped() {
        h.linux();
        h.postRx(2, 1536);
        h.backend.receive(new byte[13]);
        h.backend.receive(new byte[0]);
        h.backend.receive(new byte[FrameBackend.MAX_FRAME + 1]);
        assertEquals(2, h.dropped(NetDrop.RX_RUNT));
        assertEquals(1, h.dropped(NetDrop.RX_OVERSIZE));
        assertEquals(List.of(), h.takeRx());
        assertEquals(0, h.net.queuedReceiveFrames());
    }

    @Test
    void fromAVnetHeaderBackendAPartialChecksumIsCompletedForADriverWithoutGuestCsum() {
        h.close();
        h = new NetHarness(new FakeFrameBackend(true), NetLimits.DEFAULT, VirtioMmioVersion.MODERN);
        h.linux(); // LINUX negotiates no offloads
        h.postRx(1, 1536);
        byte[] frame = NetTransmitTest.udpFrame();
        byte[] vnet = new byte[12];
        vnet[NetHeader.FLAGS] = NetHeader.F_NEEDS_CSUM;
        vnet[NetHeader.CSUM_START] = 34;
        vnet[NetHeader.CSUM_OFFSET] = 6;
        h.backend.receive(concat(vnet, frame));
        NetHarness.Received r = h.takeRx().getFirst();
        byte[] expectedHeader = new byte[12];
        expectedHeader[NetHeader.NUM_BUFFERS] = 1;
        assertArrayEquals(expectedHeader, header(r), "flags 0 (§5.1.6.4.1: without GUEST_CSUM)");
        byte[] completed = frame.clone();
        NetChecksum.complete(completed, 0, completed.length, 34, 6);
        assertArrayEquals(completed, NetHarness.tail(r.bytes(), 12));
    }

    @Test
    void fromAVnetHeaderBackendASegmentedFrameIsDroppedUnlessTheDriverTakesThatOffload() {
        h.close();
        h = new NetHarness(new FakeFrameBackend(true), NetLimits.DEFAULT, VirtioMmioVersion.MODERN);
        h.probe(NetHarness.LINUX | VirtioFeature.bit(NetFeatures.GUEST_CSUM) | VirtioFeature.bit(NetFeatures.GUEST_TSO4));
        h.postRx(2, 1536 * 2);
        byte[] vnet = new byte[12];
        vnet[NetHeader.FLAGS] = NetHeader.F_NEEDS_CSUM;
        vnet[NetHeader.CSUM_START] = 34;
        vnet[NetHeader.CSUM_OFFSET] = 16;
        vnet[NetHeader.GSO_TYPE] = NetHeader.GSO_TCPV6;
        byte[] frame = NetHarness.toUs(2000);
        h.backend.receive(concat(vnet, frame));
        assertEquals(1, h.dropped(NetDrop.RX_OFFLOAD), "TCPv6 segmentation was not negotiated");
        vnet[NetHeader.GSO_TYPE] = NetHeader.GSO_TCPV4;
        h.backend.receive(concat(vnet, frame));
        NetHarness.Received r = h.takeRx().getFirst();
        assertArrayEquals(Arrays.copyOf(vnet, 10), Arrays.copyOf(r.bytes(), 10), "passed on as the peer sent it");
        assertArrayEquals(frame, NetHarness.tail(r.bytes(), 12));
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
