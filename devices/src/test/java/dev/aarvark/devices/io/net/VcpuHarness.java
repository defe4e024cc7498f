package dev.aarvark.devices.io.net;

import dev.aarvark.devices.io.HostIo;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * A stand-in for the vCPU thread (one thread the test controls, where every backend call and
 * callback runs) and the machine's {@link HostIo}, plus helpers the backend tests share.
 */
final class VcpuHarness implements AutoCloseable {
    private final ThreadPoolExecutor vcpu = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
            r -> new Thread(r, "test-vcpu"));
    final HostIo io = new HostIo(vcpu);

    interface Action {
        void run() throws Exception;
    }

    /** Runs {@code c} on the vCPU thread and returns its result (rethrowing what it threw). */
    <T> T call(Callable<T> c) throws Exception {
        try {
            return vcpu.submit(c).get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw e;
        }
    }

    void run(Action a) throws Exception {
        call(() -> {
            a.run();
            return null;
        });
    }

    /** Tasks posted to the vCPU thread and not started yet. */
    int queued() {
        return vcpu.getQueue().size();
    }

    /** Waits until the event loop has run everything submitted to it so far. */
    void syncEventLoop() throws Exception {
        io.group().next().submit(() -> { }).get(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        io.close();
        vcpu.shutdownNow();
    }

    static void await(BooleanSupplier cond, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(5);
        }
    }

    /** A frame of {@code size} bytes whose content depends on {@code seed}. */
    static byte[] frame(int seed, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (seed * 31 + i * 7);
        }
        return b;
    }

    /** Writes one frame in QEMU's stream framing (4-byte big-endian length first). */
    static void writeFramed(WritableByteChannel ch, byte[] frame) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 + frame.length);
        b.putInt(frame.length).put(frame).flip();
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    /** Reads one frame in QEMU's stream framing. */
    static byte[] readFramed(ReadableByteChannel ch) throws IOException {
        ByteBuffer len = readFully(ch, 4);
        return readFully(ch, len.getInt()).array();
    }

    static ByteBuffer readFully(ReadableByteChannel ch, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (ch.read(b) < 0) {
                throw new EOFException("the peer closed after " + b.position() + " of " + n + " bytes");
            }
        }
        return b.flip();
    }

    /** A device: records what the backend tells it, and whether it was told on the vCPU thread. */
    static final class Device implements FrameBackend.Listener {
        final List<byte[]> frames = new CopyOnWriteArrayList<>();
        final List<Boolean> links = new CopyOnWriteArrayList<>();
        final AtomicInteger writables = new AtomicInteger();
        final List<String> offThread = new CopyOnWriteArrayList<>();

        private void check(String what) {
            if (!Thread.currentThread().getName().equals("test-vcpu")) {
                offThread.add(what + " on " + Thread.currentThread().getName());
            }
        }

        @Override
        public void received(byte[] frame) {
            check("received");
            frames.add(frame);
        }

        @Override
        public void writable() {
            check("writable");
            writables.incrementAndGet();
        }

        @Override
        public void linkChanged(boolean up) {
            check("linkChanged");
            links.add(up);
        }

        boolean lastLink() {
            return !links.isEmpty() && links.getLast();
        }
    }
}
