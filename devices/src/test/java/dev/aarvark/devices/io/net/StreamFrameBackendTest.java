package dev.aarvark.devices.io.net;

import dev.aarvark.devices.io.net.FrameBackend.SendResult;
import dev.aarvark.devices.io.net.VcpuHarness.Device;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import static dev.aarvark.devices.io.net.VcpuHarness.await;
import static dev.aarvark.devices.io.net.VcpuHarness.frame;
import static dev.aarvark.devices.io.net.VcpuHarness.readFramed;
import static dev.aarvark.devices.io.net.VcpuHarness.writeFramed;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(60)
class StreamFrameBackendTest {
    private final VcpuHarness vcpu = new VcpuHarness();
    private final List<FrameBackend> opened = new ArrayList<>();

    @TempDir
    Path dir;

    @AfterEach
    void stop() throws Exception {
        for (FrameBackend b : opened) {
            vcpu.run(b::close);
        }
        vcpu.close();
    }

    private StreamFrameBackend started(StreamFrameBackend b, Device d) throws Exception {
        vcpu.run(() -> b.start(d));
        opened.add(b);
        return b;
    }

    private static SocketChannel unixClient(Path sock) throws Exception {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        c.connect(UnixDomainSocketAddress.of(sock));
        return c;
    }

    /** Sends both ways between two backends and checks what arrives. */
    private void exchange(StreamFrameBackend a, Device da, StreamFrameBackend b, Device db) throws Exception {
        byte[][] toA = {frame(1, 60), frame(2, 1), frame(3, FrameBackend.MAX_FRAME)};
        byte[][] toB = {frame(4, 1514), frame(5, 9000)};
        for (byte[] f : toA) {
            assertEquals(SendResult.SENT, vcpu.call(() -> b.send(f, 0, f.length)));
        }
        for (byte[] f : toB) {
            assertEquals(SendResult.SENT, vcpu.call(() -> a.send(f, 0, f.length)));
        }
        await(() -> da.frames.size() == toA.length && db.frames.size() == toB.length, "the frames both ways");
        for (int i = 0; i < toA.length; i++) {
            assertArrayEquals(toA[i], da.frames.get(i));
        }
        for (int i = 0; i < toB.length; i++) {
            assertArrayEquals(toB[i], db.frames.get(i));
        }
        FrameCounters cb = vcpu.call(b::counters);
        assertEquals(toA.length, cb.txFrames());
        assertEquals(60 + 1 + FrameBackend.MAX_FRAME, cb.txBytes());
        assertEquals(toB.length, cb.rxFrames());
        assertEquals(1514 + 9000, cb.rxBytes());
        assertTrue(da.offThread.isEmpty() && db.offThread.isEmpty(), "callbacks off the vCPU thread: " + da.offThread + db.offThread);
    }

    @Test
    void connectAndListenEndsCarryFramesBothWaysOverAUnixSocket() throws Exception {
        Path sock = dir.resolve("net.sock");
        Device dl = new Device(), dc = new Device();
        StreamFrameBackend listen = started(StreamFrameBackend.listenUnix(vcpu.io, sock), dl);
        assertEquals("stream:listen=unix:" + sock, listen.describe());
        assertFalse(vcpu.call(listen::linkUp), "no peer yet");
        StreamFrameBackend connect = started(StreamFrameBackend.connectUnix(vcpu.io, sock), dc);
        assertEquals("stream:connect=unix:" + sock, connect.describe());
        assertTrue(vcpu.call(connect::linkUp), "up as start returns");
        await(() -> dl.lastLink(), "the listen end's link");
        exchange(listen, dl, connect, dc);
        vcpu.run(connect::close);
        await(() -> !dl.lastLink(), "the listen end's link going down");
        assertEquals(List.of(true, false), dl.links);
        assertEquals(List.of(true), dc.links, "no callback after close");
    }

    @Test
    void connectAndListenEndsCarryFramesBothWaysOverTcpLoopback() throws Exception {
        Device dl = new Device(), dc = new Device();
        StreamFrameBackend listen = started(StreamFrameBackend.listenTcp(vcpu.io, 0), dl);
        InetSocketAddress bound = (InetSocketAddress) listen.boundAddress();
        assertTrue(bound.getAddress().isLoopbackAddress(), "listens on loopback only: " + bound);
        StreamFrameBackend connect = started(StreamFrameBackend.connectTcp(vcpu.io, InetAddress.getLoopbackAddress(), bound.getPort()), dc);
        assertEquals("stream:connect=tcp:127.0.0.1:" + bound.getPort(), connect.describe());
        await(() -> dl.lastLink(), "the listen end's link");
        exchange(listen, dl, connect, dc);
    }

    @Test
    void theListenEndAcceptsTheNextPeerAfterTheFirstLeaves() throws Exception {
        Path sock = dir.resolve("net.sock");
        Device d = new Device();
        StreamFrameBackend b = started(StreamFrameBackend.listenUnix(vcpu.io, sock), d);
        try (SocketChannel first = unixClient(sock)) {
            await(() -> d.lastLink(), "link up for the first peer");
            writeFramed(first, frame(1, 100));
            await(() -> d.frames.size() == 1, "the first peer's frame");
        }
        await(() -> !d.lastLink(), "link down when it leaves");
        byte[] f = frame(2, 64);
        assertEquals(SendResult.DROPPED_NO_PEER, vcpu.call(() -> b.send(f, 0, f.length)));
        try (SocketChannel second = unixClient(sock)) {
            await(() -> d.lastLink(), "link up for the second peer");
            assertEquals(SendResult.SENT, vcpu.call(() -> b.send(f, 0, f.length)));
            assertArrayEquals(f, readFramed(second));
            writeFramed(second, frame(3, 200));
            await(() -> d.frames.size() == 2, "the second peer's frame");
            assertArrayEquals(frame(3, 200), d.frames.get(1));
        }
        await(() -> !d.lastLink(), "link down again");
        assertEquals(List.of(true, false, true, false), d.links);
        FrameCounters c = vcpu.call(b::counters);
        assertEquals(1, c.txNoPeer());
        assertEquals(1, c.txFrames());
        assertEquals(2, c.rxFrames());
    }

    @Test
    void aSecondConcurrentPeerIsRefusedAndTheFirstKeepsWorking() throws Exception {
        Path sock = dir.resolve("net.sock");
        Device d = new Device();
        StreamFrameBackend b = started(StreamFrameBackend.listenUnix(vcpu.io, sock), d);
        try (SocketChannel first = unixClient(sock)) {
            await(() -> d.lastLink(), "link up");
            try (SocketChannel second = unixClient(sock)) {
                assertEquals(-1, second.read(ByteBuffer.allocate(16)), "the second peer is closed at once");
            }
            await(() -> b.counters().peersRefused() == 1, "the refusal counted");
            byte[] f = frame(1, 300);
            assertEquals(SendResult.SENT, vcpu.call(() -> b.send(f, 0, f.length)));
            assertArrayEquals(f, readFramed(first));
            writeFramed(first, frame(2, 40));
            await(() -> d.frames.size() == 1, "the first peer's frame");
        }
        await(() -> !d.lastLink(), "link down");
        assertEquals(List.of(true, false), d.links, "the refused peer never changed the link");
    }

    @Test
    void aPeerAnnouncingAnOversizeFrameIsDisconnected() throws Exception {
        Path sock = dir.resolve("net.sock");
        Device d = new Device();
        StreamFrameBackend b = started(StreamFrameBackend.listenUnix(vcpu.io, sock), d);
        try (SocketChannel c = unixClient(sock)) {
            await(() -> d.lastLink(), "link up");
            writeFramed(c, new byte[0]);
            writeFramed(c, frame(1, 10));
            c.write(ByteBuffer.allocate(8).putInt(FrameBackend.MAX_FRAME + 1).putInt(0).flip());
            assertEquals(-1, c.read(ByteBuffer.allocate(16)), "disconnected");
        }
        await(() -> !d.lastLink(), "link down");
        assertEquals(1, d.frames.size(), "the frame before the bad length still arrived");
        FrameCounters c = vcpu.call(b::counters);
        assertEquals(1, c.rxOversize());
        assertEquals(1, c.rxEmpty());
    }

    @Test
    void connectingToAClosedPortFailsWithAOneLineMessage() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        StreamFrameBackend b = StreamFrameBackend.connectTcp(vcpu.io, InetAddress.getLoopbackAddress(), port);
        NetBackendException e = assertThrows(NetBackendException.class, () -> vcpu.run(() -> b.start(new Device())));
        assertEquals("stream:connect=tcp:127.0.0.1:" + port + ": connection refused", e.getMessage());
        assertEquals("stream:connect=tcp:127.0.0.1:" + port, e.backend());
        assertEquals("connection refused", e.reason());
    }

    @Test
    void connectingToAMissingUnixSocketFailsNamingIt() throws Exception {
        Path sock = dir.resolve("nobody.sock");
        StreamFrameBackend b = StreamFrameBackend.connectUnix(vcpu.io, sock);
        NetBackendException e = assertThrows(NetBackendException.class, () -> vcpu.run(() -> b.start(new Device())));
        assertEquals("stream:connect=unix:" + sock + ": no such file or directory", e.getMessage());
    }

    @Test
    void listeningOnAPortInUseFails() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            StreamFrameBackend b = StreamFrameBackend.listenTcp(vcpu.io, s.getLocalPort());
            NetBackendException e = assertThrows(NetBackendException.class, () -> vcpu.run(() -> b.start(new Device())));
            assertEquals("stream:listen=tcp:127.0.0.1:" + s.getLocalPort() + ": address already in use", e.getMessage());
        }
    }

    @Test
    void aListenEndReplacesAStaleSocketButNotARegularFile() throws Exception {
        Path sock = dir.resolve("stale.sock");
        try (ServerSocketChannel stale = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stale.bind(UnixDomainSocketAddress.of(sock));
        }
        assertTrue(Files.exists(sock), "a socket file left behind");
        Device d = new Device();
        StreamFrameBackend b = started(StreamFrameBackend.listenUnix(vcpu.io, sock), d);
        try (SocketChannel c = unixClient(sock)) {
            await(() -> d.lastLink(), "a peer on the replaced socket");
        }
        Path file = dir.resolve("notes.txt");
        Files.writeString(file, "keep me");
        StreamFrameBackend onFile = StreamFrameBackend.listenUnix(vcpu.io, file);
        NetBackendException e = assertThrows(NetBackendException.class, () -> vcpu.run(() -> onFile.start(new Device())));
        assertEquals("stream:listen=unix:" + file + ": " + file + " exists and is not a socket", e.getMessage());
        assertEquals("keep me", Files.readString(file));
    }

    @Test
    void aPeerThatDoesNotReadMakesSendReturnFullThenWritableFollowsWhenItReads() throws Exception {
        Path sock = dir.resolve("net.sock");
        Device d = new Device();
        StreamFrameBackend b = started(StreamFrameBackend.listenUnix(vcpu.io, sock), d);
        try (SocketChannel peer = unixClient(sock)) {
            await(() -> d.lastLink(), "link up");
            byte[] f = frame(7, 60_000);
            int sent = 0;
            int writables = 0;
            // Send until FULL lasts: the event loop may still move some into the kernel's socket
            // buffer after the first FULL (then writable() comes and sending goes on).
            for (int round = 0; round < 100; round++) {
                SendResult r;
                do {
                    r = vcpu.call(() -> b.send(f, 0, f.length));
                    if (r == SendResult.SENT) {
                        sent++;
                        Thread.sleep(1); // let the event loop move what it can into the socket
                    }
                } while (r == SendResult.SENT && sent < 5_000);
                assertEquals(SendResult.FULL, r, "the send buffer filled up");
                Thread.sleep(200);
                if (d.writables.get() == writables) {
                    break;
                }
                writables = d.writables.get();
            }
            assertTrue((long) sent * f.length < 64L << 20, "host-side buffering is bounded: " + sent + " frames");
            assertTrue(vcpu.call(b::counters).txFull() >= 1);
            int before = writables;
            for (int i = 0; i < sent; i++) {
                assertArrayEquals(f, readFramed(peer), "frame " + i);
            }
            await(() -> d.writables.get() > before, "writable once the peer has read");
            assertEquals(SendResult.SENT, vcpu.call(() -> b.send(f, 0, f.length)));
            assertArrayEquals(f, readFramed(peer));
        }
    }

    @Test
    void setReceivingFalseStopsDeliveryUntilResumed() throws Exception {
        Path sock = dir.resolve("net.sock");
        Device d = new Device();
        StreamFrameBackend b = started(StreamFrameBackend.listenUnix(vcpu.io, sock), d);
        try (SocketChannel peer = unixClient(sock)) {
            await(() -> d.lastLink(), "link up");
            writeFramed(peer, frame(0, 100));
            await(() -> d.frames.size() == 1, "a frame while receiving");
            vcpu.run(() -> b.setReceiving(false));
            vcpu.syncEventLoop(); // the event loop has applied it
            for (int i = 1; i <= 20; i++) {
                writeFramed(peer, frame(i, 1000));
            }
            Thread.sleep(300);
            assertEquals(1, d.frames.size(), "nothing delivered while not receiving");
            vcpu.run(() -> b.setReceiving(true));
            await(() -> d.frames.size() == 21, "the frames after resuming");
            for (int i = 1; i <= 20; i++) {
                assertArrayEquals(frame(i, 1000), d.frames.get(i), "frame " + i + " in order");
            }
        }
    }

    @Test
    void aVcpuThreadThatFallsBehindStopsReadingInsteadOfQueueingFramesWithoutBound() throws Exception {
        Path sock = dir.resolve("net.sock");
        Device d = new Device();
        StreamFrameBackend b = started(StreamFrameBackend.listenUnix(vcpu.io, sock), d);
        int n = 20_000;
        ByteBuffer wire = ByteBuffer.allocate(n * 1004);
        for (int i = 0; i < n; i++) {
            wire.putInt(1000).put(frame(i, 1000));
        }
        wire.flip();
        try (SocketChannel peer = unixClient(sock)) {
            await(() -> d.lastLink(), "link up");
            CountDownLatch busy = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            vcpu.io.vcpu().execute(() -> {
                busy.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            busy.await();
            peer.configureBlocking(false);
            long idleSince = System.nanoTime();
            while (wire.hasRemaining() && System.nanoTime() - idleSince < 300_000_000L) {
                if (peer.write(wire) > 0) {
                    idleSince = System.nanoTime();
                } else {
                    Thread.sleep(1);
                }
            }
            assertTrue(wire.hasRemaining(), "the backend stopped reading: the peer could not write all " + wire.capacity() + " bytes");
            int queued = b.framesWaiting();
            assertTrue(queued > 0 && queued <= RxHandoff.HIGH_FRAMES,
                    "frames waiting for the vCPU thread are bounded: " + queued);
            release.countDown();
            peer.configureBlocking(true);
            while (wire.hasRemaining()) {
                peer.write(wire);
            }
            await(() -> d.frames.size() == n, "every frame once the vCPU thread catches up");
            for (int i = 0; i < n; i += 997) {
                assertArrayEquals(frame(i, 1000), d.frames.get(i), "frame " + i + " in order");
            }
        }
    }

    @Test
    void aConnectEndReconnectsAfterItsPeerLeaves() throws Exception {
        Path sock = dir.resolve("peer.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(sock));
            Device d = new Device();
            StreamFrameBackend b = started(StreamFrameBackend.connectUnix(vcpu.io, sock), d);
            try (SocketChannel first = server.accept()) {
                writeFramed(first, frame(1, 50));
                await(() -> d.frames.size() == 1, "a frame from the first connection");
            }
            await(() -> !d.lastLink(), "link down when the peer leaves");
            byte[] f = frame(2, 70);
            assertEquals(SendResult.DROPPED_NO_PEER, vcpu.call(() -> b.send(f, 0, f.length)));
            try (SocketChannel second = server.accept()) { // the backend's next attempt
                await(() -> d.lastLink(), "link up again");
                assertEquals(SendResult.SENT, vcpu.call(() -> b.send(f, 0, f.length)));
                assertArrayEquals(f, readFramed(second));
            }
            await(() -> !d.lastLink(), "down again");
            assertEquals(List.of(true, false, true, false), d.links);
        }
    }

    @Test
    void closeIsIdempotentReleasesTheSocketAndRemovesItsFile() throws Exception {
        Path sock = dir.resolve("net.sock");
        Device d = new Device();
        StreamFrameBackend b = started(StreamFrameBackend.listenUnix(vcpu.io, sock), d);
        SocketChannel peer = unixClient(sock);
        await(() -> d.lastLink(), "link up");
        vcpu.run(b::close);
        vcpu.run(b::close);
        assertFalse(Files.exists(sock), "the socket file is removed");
        assertEquals(-1, peer.read(ByteBuffer.allocate(4)), "the peer was disconnected");
        peer.close();
        byte[] f = frame(1, 10);
        assertEquals(SendResult.DROPPED_NO_PEER, vcpu.call(() -> b.send(f, 0, f.length)));
        Thread.sleep(100);
        assertEquals(List.of(true), d.links, "no callback after close");
    }
}
