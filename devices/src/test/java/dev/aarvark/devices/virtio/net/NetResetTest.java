package dev.aarvark.devices.virtio.net;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Device reset (virtio 1.2 §2.4): nothing of the old driver survives, the host side keeps working. */
class NetResetTest {
    NetHarness h = NetHarness.withLimits(new NetLimits(128, 1 << 20, 128, 16, 4, 1 << 20)).linux();

    @AfterEach
    void free() {
        h.close();
    }

    @Test
    void aResetDropsTheFramesHeldForTheOldDriverCountedAndResumesReceiving() {
        for (int i = 0; i < 4; i++) {
            h.backend.receive(NetHarness.toUs(100));
        }
        assertEquals(List.of(false), h.backend.receivingCalls);
        h.driver.reset();
        assertEquals(4, h.dropped(NetDrop.RX_RESET));
        assertEquals(0, h.net.queuedReceiveFrames());
        assertEquals(List.of(false, true), h.backend.receivingCalls);
        assertFalse(h.net.receivePaused());
    }

    @Test
    void aResetForgetsTheTransmitChainHeldForAFullBackendAndItsFrame() {
        h.backend.limitRoom(0);
        h.transmit(NetHarness.fromUs(100));
        assertTrue(h.net.transmitWaitingForBackend());
        h.driver.reset();
        assertEquals(1, h.dropped(NetDrop.TX_RESET));
        h.linux();
        h.backend.drain(Long.MAX_VALUE);
        assertEquals(List.of(), h.backend.sent, "the old driver's frame is gone");
        byte[] f = NetHarness.fromUs(60);
        h.transmit(f);
        assertArrayEquals(f, h.backend.sent.getFirst());
    }

    @Test
    void aResetForgetsAMergedFrameWaitingForBuffersAndTheNewDriverReceivesNormally() {
        h.postRx(1, 1000);
        h.backend.receive(NetHarness.toUs(3000));
        assertEquals(List.of(), h.takeRx());
        h.driver.reset();
        assertEquals(1, h.dropped(NetDrop.RX_RESET));
        h.linux();
        h.postRx(1, 1536);
        byte[] f = NetHarness.toUs(100);
        h.backend.receive(f);
        List<NetHarness.Received> rx = h.takeRx();
        assertEquals(1, rx.size());
        assertArrayEquals(f, NetHarness.tail(rx.getFirst().bytes(), 12));
    }

    @Test
    void aResetRestoresQemusFilterDefaultsAndTheMachinesMac() {
        assertEquals(ControlQueue.OK, h.control(ControlQueue.CLASS_RX, RxFilter.PROMISC, new byte[] {0}));
        assertEquals(ControlQueue.OK, h.control(ControlQueue.CLASS_MAC, ControlQueue.MAC_ADDR_SET,
                MacAddress.parse("02:00:00:00:00:01").bytes()));
        h.driver.reset();
        assertTrue(h.net.filter().mode(RxFilter.PROMISC));
        assertEquals(NetHarness.MAC, h.net.mac());
        h.linux();
        h.postRx(1, 1536);
        h.backend.receive(NetHarness.frame(NetHarness.OTHER, NetHarness.PEER, 60));
        assertEquals(1, h.takeRx().size());
    }

    @Test
    void framesArrivingWithoutADriverWaitBoundedUntilTheNextOne() {
        h.driver.reset();
        for (int i = 0; i < 6; i++) {
            h.backend.receive(NetHarness.toUs(100 + i));
        }
        assertEquals(4, h.net.queuedReceiveFrames());
        assertEquals(2, h.dropped(NetDrop.RX_HOST_QUEUE_FULL));
        assertFalse(h.net.hasDeferredWork(), "no driver, no work");
    }

    @Test
    void countersSurviveAResetAndSummariseTheRun() {
        h.postRx(1, 1536);
        h.backend.receive(NetHarness.toUs(100));
        h.transmit(NetHarness.fromUs(50));
        h.driver.reset();
        NetCounters c = h.net.counters();
        assertEquals(1, c.receivedFrames());
        assertEquals(1, c.transmittedFrames());
        assertEquals("rx 1 frames 114 B, tx 1 frames 64 B, dropped 0, rx pauses 0, tx backend full 0, control 0 (0 errors)",
                c.summary());
    }

    @Test
    void theRunSummaryLineNamesTheNicItsAddressAndBackendWithItsCounters() {
        h.postRx(1, 1536);
        h.backend.receive(NetHarness.toUs(100));
        String line = h.net.summary();
        assertTrue(line.startsWith("virtio-net@a003e00 52:54:00:12:34:56 " + h.backend.describe() + ": rx 1 frames 114 B,"), line);
        assertTrue(line.endsWith("; backend: no losses"), line);
    }

    @Test
    void backendLossesListOnlyWhatHappened() {
        var c = new dev.aarvark.devices.io.net.FrameCounters(5, 500, 2, 0, 1, 3, 300, 0, 0, 4, 0);
        assertEquals("backend full 2, send failed 1, foreign datagrams 4", c.losses());
        assertEquals("", new dev.aarvark.devices.io.net.FrameCounters(1, 1, 0, 0, 0, 1, 1, 0, 0, 0, 0).losses());
    }
}
