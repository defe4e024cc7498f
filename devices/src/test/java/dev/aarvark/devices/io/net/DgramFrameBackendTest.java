package dev.aarvark.devices.io.net;

import dev.aarvark.devices.io.net.FrameBackend.SendResult;
import dev.aarvark.devices.io.net.VcpuHarness.Device;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static dev.aarvark.devices.io.net.VcpuHarness.await;
import static dev.aarvark.devices.io.net.VcpuHarness.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class DgramFrameBackendTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private final VcpuHarness vcpu = new VcpuHarness();
    private final List<FrameBackend> opened = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        for (FrameBackend b : opened) {
            vcpu.run(b::close);
        }
        vcpu.close();
    }

    private DgramFrameBackend started(DgramFrameBackend b, Device d) throws Exception {
        vcpu.run(() -> b.start(d));
        opened.add(b);
        return b;
    }

    /** A loopback UDP port free a moment ago. */
    private static int freePort() throws Exception {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            return s.getLocalPort();
        }
    }

    @Test
    void twoBackendsExchangeFramesOnLoopback() throws Exception {
        InetSocketAddress a = new InetSocketAddress(LOOPBACK, freePort());
        InetSocketAddress b = new InetSocketAddress(LOOPBACK, freePort());
        Device da = new Device(), db = new Device();
        DgramFrameBackend ba = started(DgramFrameBackend.inet(vcpu.io, a, b), da);
        DgramFrameBackend bb = started(DgramFrameBackend.inet(vcpu.io, b, a), db);
        assertEquals("dgram:local=127.0.0.1:" + a.getPort() + ",remote=127.0.0.1:" + b.getPort(), ba.describe());
        assertTrue(vcpu.call(ba::linkUp), "up once bound");
        assertEquals(List.of(true), da.links);
        byte[][] toB = {frame(1, 60), frame(2, 1514), frame(3, 9000)};
        byte[] toA = frame(4, 42);
        for (byte[] f : toB) {
            assertEquals(SendResult.SENT, vcpu.call(() -> ba.send(f, 0, f.length)));
        }
        assertEquals(SendResult.SENT, vcpu.call(() -> bb.send(toA, 0, toA.length)));
        await(() -> db.frames.size() == 3 && da.frames.size() == 1, "the frames both ways");
        for (int i = 0; i < toB.length; i++) {
            assertArrayEquals(toB[i], db.frames.get(i)); // loopback keeps the order
        }
        assertArrayEquals(toA, da.frames.get(0));
        FrameCounters ca = vcpu.call(ba::counters);
        assertEquals(3, ca.txFrames());
        assertEquals(60 + 1514 + 9000, ca.txBytes());
        assertEquals(1, ca.rxFrames());
        assertTrue(da.offThread.isEmpty() && db.offThread.isEmpty(), "callbacks off the vCPU thread: " + da.offThread + db.offThread);
    }

    @Test
    void eachFrameIsOneDatagramAndOtherSourcesAreIgnoredAndCounted() throws Exception {
        try (DatagramSocket remote = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0));
             DatagramSocket stranger = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            remote.setSoTimeout(10_000);
            Device d = new Device();
            DgramFrameBackend b = started(DgramFrameBackend.inet(vcpu.io, new InetSocketAddress(LOOPBACK, 0),
                    (InetSocketAddress) remote.getLocalSocketAddress()), d);
            InetSocketAddress local = b.boundAddress();
            byte[] out = frame(1, 700);
            assertEquals(SendResult.SENT, vcpu.call(() -> b.send(out, 0, out.length)));
            DatagramPacket p = new DatagramPacket(new byte[2000], 2000);
            remote.receive(p);
            assertArrayEquals(out, Arrays.copyOf(p.getData(), p.getLength()), "the frame alone, no framing bytes");
            assertEquals(local, p.getSocketAddress());

            byte[] junk = frame(2, 100);
            stranger.send(new DatagramPacket(junk, junk.length, local));
            await(() -> b.counters().rxForeign() == 1, "the stranger's datagram counted");
            remote.send(new DatagramPacket(new byte[0], 0, local));
            await(() -> b.counters().rxEmpty() == 1, "the empty datagram counted");
            byte[] in = frame(3, 1400);
            remote.send(new DatagramPacket(in, in.length, local));
            await(() -> d.frames.size() == 1, "the remote's frame");
            assertArrayEquals(in, d.frames.get(0));
            Thread.sleep(50);
            assertEquals(1, d.frames.size(), "only the remote's frame was delivered");
        }
    }

    @Test
    void setReceivingFalseLeavesDatagramsWithTheKernelUntilResumed() throws Exception {
        try (DatagramSocket remote = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            Device d = new Device();
            DgramFrameBackend b = started(DgramFrameBackend.inet(vcpu.io, new InetSocketAddress(LOOPBACK, 0),
                    (InetSocketAddress) remote.getLocalSocketAddress()), d);
            vcpu.run(() -> b.setReceiving(false));
            vcpu.syncEventLoop();
            for (int i = 0; i < 5; i++) {
                remote.send(new DatagramPacket(frame(i, 100), 100, b.boundAddress()));
            }
            Thread.sleep(300);
            assertEquals(0, d.frames.size(), "nothing delivered while not receiving");
            vcpu.run(() -> b.setReceiving(true));
            await(() -> d.frames.size() == 5, "the datagrams after resuming");
        }
    }

    @Test
    void bindingAPortInUseFailsWithAOneLineMessage() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            int port = taken.getLocalPort();
            DgramFrameBackend b = DgramFrameBackend.inet(vcpu.io, new InetSocketAddress(LOOPBACK, port), new InetSocketAddress(LOOPBACK, 9));
            NetBackendException e = assertThrows(NetBackendException.class, () -> vcpu.run(() -> b.start(new Device())));
            assertEquals("dgram:local=127.0.0.1:" + port + ",remote=127.0.0.1:9: address already in use", e.getMessage());
        }
    }

    @Test
    void addressesOfDifferentIpVersionsAreRefused() throws Exception {
        InetSocketAddress v4 = new InetSocketAddress(LOOPBACK, 5000);
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 5001);
        NetBackendException e = assertThrows(NetBackendException.class, () -> DgramFrameBackend.inet(vcpu.io, v4, v6));
        assertEquals("dgram:local=127.0.0.1:5000,remote=[0:0:0:0:0:0:0:1]:5001: the local and remote addresses are of different IP versions",
                e.getMessage());
    }
}
