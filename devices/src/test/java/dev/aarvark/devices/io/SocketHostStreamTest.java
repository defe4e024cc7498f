package dev.aarvark.devices.io;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SocketHostStreamTest {
    /** Stands in for the vCPU thread: every stream call and callback runs here. */
    private final ExecutorService vcpu = Executors.newSingleThreadExecutor();
    private final HostIo io = new HostIo(vcpu);

    @TempDir
    Path dir;

    @AfterEach
    void stop() {
        io.close();
        vcpu.shutdownNow();
    }

    /** A device that takes at most {@code room} bytes until told otherwise. */
    private static final class FakeDevice implements HostStream.Listener {
        final ByteArrayOutputStream got = new ByteArrayOutputStream();
        final AtomicBoolean connected = new AtomicBoolean();
        final AtomicInteger writables = new AtomicInteger();
        volatile int room = Integer.MAX_VALUE;

        @Override
        public synchronized int received(byte[] data, int off, int len) {
            int n = Math.min(len, room);
            got.write(data, off, n);
            room -= n;
            return n;
        }

        @Override
        public void writable() {
            writables.incrementAndGet();
        }

        @Override
        public void hostConnected(boolean c) {
            connected.set(c);
        }
    }

    private <T> T onVcpu(java.util.concurrent.Callable<T> c) throws Exception {
        return vcpu.submit(c).get(10, TimeUnit.SECONDS);
    }

    private static void await(BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void unixSocketCarriesBothWaysAndReportsTheClient() throws Exception {
        Path sock = dir.resolve("port.sock");
        SocketHostStream s = SocketHostStream.unix(io, sock);
        FakeDevice dev = new FakeDevice();
        onVcpu(() -> {
            s.start(dev);
            return null;
        });
        assertEquals(false, onVcpu(s::hostConnected));
        try (SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            c.connect(UnixDomainSocketAddress.of(sock));
            await(dev.connected::get, "connect");
            c.write(ByteBuffer.wrap("to guest".getBytes()));
            await(() -> dev.got.size() == 8, "host->guest bytes");
            byte[] out = "to host".getBytes();
            assertEquals(7, onVcpu(() -> s.write(out, 0, out.length)));
            ByteBuffer in = ByteBuffer.allocate(7);
            while (in.hasRemaining()) {
                c.read(in);
            }
            assertArrayEquals(out, in.array());
        }
        await(() -> !dev.connected.get(), "disconnect");
        onVcpu(() -> {
            s.close();
            return null;
        });
    }

    @Test
    void withoutAClientGuestOutputWaitsInsteadOfBeingDropped() throws Exception {
        SocketHostStream s = SocketHostStream.tcp(io, 0);
        FakeDevice dev = new FakeDevice();
        onVcpu(() -> {
            s.start(dev);
            return null;
        });
        byte[] out = "early".getBytes();
        assertEquals(0, onVcpu(() -> s.write(out, 0, out.length)), "nothing taken while no one listens");
        try (SocketChannel c = SocketChannel.open((InetSocketAddress) s.boundAddress())) {
            await(() -> dev.writables.get() > 0, "writable after the client connects");
            assertEquals(5, onVcpu(() -> s.write(out, 0, out.length)));
        }
        onVcpu(() -> {
            s.close();
            return null;
        });
    }

    @Test
    void hostInputWaitsUntilTheDeviceHasRoom() throws Exception {
        SocketHostStream s = SocketHostStream.tcp(io, 0);
        FakeDevice dev = new FakeDevice();
        dev.room = 3;
        onVcpu(() -> {
            s.start(dev);
            return null;
        });
        try (SocketChannel c = SocketChannel.open((InetSocketAddress) s.boundAddress())) {
            c.write(ByteBuffer.wrap("abcdefgh".getBytes()));
            await(() -> dev.got.size() == 3, "the first 3 bytes");
            Thread.sleep(100);
            assertEquals(3, dev.got.size(), "the rest waits");
            dev.room = Integer.MAX_VALUE;
            onVcpu(() -> {
                s.inputSpace();
                return null;
            });
            await(() -> dev.got.size() == 8, "the rest after inputSpace");
            assertEquals("abcdefgh", dev.got.toString());
        }
        onVcpu(() -> {
            s.close();
            return null;
        });
    }

    @Test
    void aClientThatDoesNotReadStopsTheGuestThenReleasesIt() throws Exception {
        SocketHostStream s = SocketHostStream.tcp(io, 0);
        FakeDevice dev = new FakeDevice();
        onVcpu(() -> {
            s.start(dev);
            return null;
        });
        try (SocketChannel c = SocketChannel.open((InetSocketAddress) s.boundAddress())) {
            await(dev.connected::get, "connect");
            byte[] chunk = new byte[64 * 1024];
            long taken = 0;
            for (int i = 0; i < 1000; i++) {
                int n = onVcpu(() -> s.write(chunk, 0, chunk.length));
                taken += n;
                if (n == 0) {
                    break;
                }
                Thread.sleep(1);
            }
            assertTrue(taken < 64L << 20, "host-side buffering is bounded: " + taken);
            ByteBuffer sink = ByteBuffer.allocate(1 << 20);
            long read = 0;
            while (read < taken) {
                sink.clear();
                read += c.read(sink);
            }
            await(() -> dev.writables.get() > 0, "writable once the client reads");
        }
        onVcpu(() -> {
            s.close();
            return null;
        });
    }
}
