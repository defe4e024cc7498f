package dev.aarvark.devices.virtio.console;

import dev.aarvark.devices.QueueError;
import dev.aarvark.devices.io.HostStream;
import dev.aarvark.devices.virtio.mmio.VirtioMmioVersion;
import dev.aarvark.devices.virtio.testkit.DriverQueue;
import dev.aarvark.devices.virtio.testkit.DriverQueue.Buffer;
import dev.aarvark.devices.virtio.testkit.FakeHostStream;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Guest-to-host data: order, backpressure, per-call caps and hostile transmit chains. */
class ConsoleTransmitTest {
    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void guestOutputReachesTheHostInOrderAcrossChainsAndBuffers() {
        try (ConsoleHarness h = ConsoleHarness.twoPorts()) {
            h.linuxMultiportBringUp(false);
            h.transmit(0, "hello ");
            DriverQueue tx = h.queue(1);
            long a = h.mem.alloc(16, 8);
            long b = h.mem.alloc(16, 8);
            h.mem.write(a, "wor".getBytes());
            h.mem.write(b, "ld\n".getBytes());
            tx.add(Buffer.out(a, 3), Buffer.out(b, 3));
            h.driver.notify(1);
            h.transmit(1, "other port");
            assertEquals("hello world\n", h.host(0).output());
            assertEquals("other port", h.host(1).output());
            assertEquals(List.of(new DriverQueue.Used(0, 0), new DriverQueue.Used(1, 0)), tx.takeUsed(),
                    "transmit buffers come back with used length 0");
            assertEquals(22, h.console.counters().bytesToHost());
            assertEquals(3, h.console.counters().chainsToHost());
        }
    }

    @Test
    void aSlowHostHoldsTheChainAndLosesNothing() {
        try (ConsoleHarness h = ConsoleHarness.twoPorts()) {
            h.linuxMultiportBringUp(false);
            FakeHostStream host = h.host(0);
            DriverQueue tx = h.queue(1);
            byte[] first = random(100, 1);
            byte[] second = random(50, 2);
            host.limitWrites(10);
            h.transmit(0, first);
            h.transmit(0, second);
            assertEquals(10, host.outputBytes().length);
            assertEquals(0, tx.usedIdx(), "the chain is held, not returned");

            host.drain(30);
            assertEquals(40, host.outputBytes().length);
            assertEquals(0, tx.usedIdx());
            h.driver.notify(1);
            assertEquals(40, host.outputBytes().length, "a notification while the host is full does not push more");

            h.driver.takeInterrupt();
            host.drain(Long.MAX_VALUE);
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            expected.writeBytes(first);
            expected.writeBytes(second);
            assertArrayEquals(expected.toByteArray(), host.outputBytes(), "in order, nothing lost or repeated");
            assertEquals(2, tx.usedIdx());
            assertEquals(1, h.driver.takeInterrupt());
            assertFalse(h.transport.hasDeferredWork());
        }
    }

    @Test
    void theBytesPerCallCapDefersTheRestAndTheRunLoopContinuesIt() {
        try (ConsoleHarness h = ConsoleHarness.twoPorts()) {
            h.linuxMultiportBringUp(false);
            byte[] data = random(120 * 1024, 3);
            DriverQueue tx = h.queue(1);
            for (int i = 0; i < 3; i++) {
                long buf = h.mem.alloc(40 * 1024, 8);
                h.mem.write(buf, java.util.Arrays.copyOfRange(data, i * 40 * 1024, (i + 1) * 40 * 1024));
                tx.add(Buffer.out(buf, 40 * 1024));
            }
            h.driver.notify(1);
            assertEquals(64 * 1024, h.host(0).outputBytes().length);
            assertEquals(1, tx.usedIdx(), "the first chain is done, the second is held part-way");
            assertTrue(h.transport.hasDeferredWork());

            h.transport.runDeferredWork();
            assertEquals(120 * 1024, h.host(0).outputBytes().length);
            assertArrayEquals(data, h.host(0).outputBytes());
            assertEquals(3, tx.usedIdx());
            assertFalse(h.transport.hasDeferredWork());
        }
    }

    @Test
    void aFourGigabyteDescriptorIsCopiedInBoundedChunksAndEndsAtTheEndOfRam() {
        MaxWriteStream host = new MaxWriteStream();
        try (ConsoleHarness h = new ConsoleHarness(List.of(new ConsolePortSpec(null, true, host)), 1, ConsoleLimits.DEFAULT,
                VirtioMmioVersion.MODERN)) {
            h.probe(false, false);
            long start = h.mem.end() - 300 * 1024;
            h.queue(1).add(Buffer.out(start, 0xFFFF_FFFFL));
            h.driver.notify(1);
            assertEquals(64 * 1024, host.total, "one call moves at most 64 KiB");
            int calls = 0;
            while (h.transport.hasDeferredWork()) {
                h.transport.runDeferredWork();
                assertTrue(++calls < 10, "bounded progress");
            }
            assertEquals(300 * 1024, host.total, "everything up to the end of RAM");
            assertTrue(host.largestWrite <= ConsoleLimits.DEFAULT.copyChunkBytes(), "largest write " + host.largestWrite);
            assertEquals(1, h.queue(1).usedIdx(), "the chain is returned once the rest cannot be read");
            assertEquals(1, h.errors(QueueError.DMA_FAULT));
        }
    }

    @Test
    void aFloodOfEmptyTransmitChainsIsHandledAFewChainsPerCall() {
        ConsoleLimits small = new ConsoleLimits(64 * 1024, 16, 16, 8, 4096, 16);
        try (ConsoleHarness h = new ConsoleHarness(List.of(ConsolePortSpec.console(new FakeHostStream())), 1, small,
                VirtioMmioVersion.MODERN)) {
            h.probe(false, false);
            DriverQueue tx = h.queue(1);
            long buf = h.mem.alloc(8, 8);
            for (int i = 0; i < 128; i++) {
                tx.add(Buffer.out(buf, 0));
            }
            h.driver.notify(1);
            assertEquals(16, tx.usedIdx());
            int calls = 1;
            while (h.transport.hasDeferredWork()) {
                h.transport.runDeferredWork();
                calls++;
            }
            assertEquals(128, tx.usedIdx());
            assertEquals(8, calls);
            assertEquals(0, h.host(0).writeCalls(), "no bytes, no host writes");
        }
    }

    @Test
    void deviceWritableBuffersInATransmitQueueAreReportedAndIgnored() {
        try (ConsoleHarness h = ConsoleHarness.twoPorts()) {
            h.linuxMultiportBringUp(false);
            long a = h.mem.alloc(16, 8);
            h.mem.write(a, "ok".getBytes());
            h.queue(1).add(Buffer.out(a, 2), Buffer.in(a + 8, 8));
            h.driver.notify(1);
            assertEquals("ok", h.host(0).output());
            assertEquals(1, h.errors(QueueError.WRITABLE_IN_TRANSMIT));
            assertEquals(0, h.queue(1).takeUsed().getFirst().len());
        }
    }

    @Test
    void outputForADisconnectedHostIsHandedToTheStreamNotDiscarded() {
        FakeHostStream host = new FakeHostStream(false);
        try (ConsoleHarness h = new ConsoleHarness(List.of(ConsolePortSpec.console(new FakeHostStream()),
                ConsolePortSpec.named("p", host)), 2, ConsoleLimits.DEFAULT, VirtioMmioVersion.MODERN)) {
            h.linuxMultiportBringUp(false);
            h.transmit(1, "kept");
            assertEquals("kept", host.output(), "QEMU would discard this; the stream decides what to keep");
        }
    }

    @Test
    void aStreamSignallingWritableFromInsideWriteNeitherRecursesNorLosesData() {
        ReentrantStream host = new ReentrantStream();
        try (ConsoleHarness h = new ConsoleHarness(List.of(new ConsolePortSpec(null, true, host)), 1, ConsoleLimits.DEFAULT,
                VirtioMmioVersion.MODERN)) {
            h.probe(false, false);
            byte[] data = random(10_000, 4);
            h.transmit(0, data);
            assertTrue(host.maxDepth <= 1, "write() re-entered " + host.maxDepth);
            int calls = 0;
            while (h.transport.hasDeferredWork()) {
                h.transport.runDeferredWork();
                assertTrue(++calls < 100);
            }
            assertArrayEquals(data, host.out.toByteArray());
            assertEquals(1, h.queue(1).usedIdx());
        }
    }

    /** Takes everything, remembering the largest single write. */
    static final class MaxWriteStream implements HostStream {
        long total;
        int largestWrite;

        @Override
        public void start(Listener l) {
        }

        @Override
        public int write(byte[] data, int off, int len) {
            total += len;
            largestWrite = Math.max(largestWrite, len);
            return len;
        }

        @Override
        public void inputSpace() {
        }

        @Override
        public boolean hostConnected() {
            return true;
        }

        @Override
        public String describe() {
            return "max-write";
        }

        @Override
        public void close() {
        }
    }

    /** Takes at most 1000 bytes per write and says "writable" from inside write(), as an eager stream might. */
    static final class ReentrantStream implements HostStream {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        Listener listener;
        int depth;
        int maxDepth;

        @Override
        public void start(Listener l) {
            listener = l;
        }

        @Override
        public int write(byte[] data, int off, int len) {
            depth++;
            maxDepth = Math.max(maxDepth, depth);
            int n = Math.min(len, 1000);
            out.write(data, off, n);
            listener.writable();
            depth--;
            return n;
        }

        @Override
        public void inputSpace() {
        }

        @Override
        public boolean hostConnected() {
            return true;
        }

        @Override
        public String describe() {
            return "reentrant";
        }

        @Override
        public void close() {
        }
    }
}
