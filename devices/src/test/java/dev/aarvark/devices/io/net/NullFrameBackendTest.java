package dev.aarvark.devices.io.net;

import dev.aarvark.devices.io.net.FrameBackend.SendResult;
import dev.aarvark.devices.io.net.VcpuHarness.Device;
import org.junit.jupiter.api.Test;

import static dev.aarvark.devices.io.net.VcpuHarness.frame;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NullFrameBackendTest {
    @Test
    void withoutAPeerTheLinkIsDownAndEveryFrameIsDroppedAndCounted() {
        NullFrameBackend b = new NullFrameBackend();
        Device d = new Device();
        b.start(d);
        assertFalse(b.linkUp());
        byte[] f = frame(1, 100);
        assertEquals(SendResult.DROPPED_NO_PEER, b.send(f, 0, f.length));
        assertEquals(SendResult.DROPPED_NO_PEER, b.send(f, 10, 20));
        b.setReceiving(false);
        b.setReceiving(true);
        b.close();
        b.close();
        FrameCounters c = b.counters();
        assertEquals(2, c.txNoPeer());
        assertEquals(0, c.txFrames());
        assertEquals("none", b.describe());
        assertTrue(d.links.isEmpty() && d.frames.isEmpty() && d.writables.get() == 0, "the device is told nothing");
    }
}
