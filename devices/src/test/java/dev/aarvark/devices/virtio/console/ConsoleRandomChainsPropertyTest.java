package dev.aarvark.devices.virtio.console;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.QueueError;
import dev.aarvark.devices.virtio.mmio.VirtioMmioVersion;
import dev.aarvark.devices.virtio.queue.QueueLayout;
import dev.aarvark.devices.virtio.testkit.DriverQueue;
import dev.aarvark.devices.virtio.testkit.FakeHostStream;
import dev.aarvark.devices.virtio.testkit.RecordingDmaSpace;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A console under a random mix of hostile descriptor chains on every queue (data and control),
 * notifications of real and bogus queues, corrupted available indices, host input, host
 * backpressure, connection changes, emergency writes, resets and deferred work, with random small
 * caps. For every seed: nothing is thrown, every call returns, deferred work drains in a bounded
 * number of calls, and every device write lands in a used ring or in a buffer the driver described
 * as device-writable. Fixed seeds, so a failure reproduces.
 */
class ConsoleRandomChainsPropertyTest {
    private long bytesToHost;
    private long bytesToGuest;
    private long malformed;
    private long stopped;

    @Test
    void hostileChainsNeverEscapeTheirBuffersNorStallTheConsole() {
        for (long seed = 1; seed <= 150; seed++) {
            runOne(seed);
        }
        assertTrue(bytesToHost > 0, "guest output moved: " + bytesToHost);
        assertTrue(bytesToGuest > 0, "host input moved: " + bytesToGuest);
        assertTrue(malformed > 50, "malformed chains: " + malformed);
        assertTrue(stopped > 5, "stopped queues: " + stopped);
    }

    private void runOne(long seed) {
        Random rnd = new Random(seed);
        ConsoleLimits limits = new ConsoleLimits(1 + rnd.nextInt(5000), 1 + rnd.nextInt(20), 1 + rnd.nextInt(20),
                1 + rnd.nextInt(8), 1 + rnd.nextInt(600), 1 + rnd.nextInt(32));
        int maxPorts = 2 + rnd.nextInt(2);
        List<ConsolePortSpec> ports = List.of(ConsolePortSpec.console(new FakeHostStream(rnd.nextBoolean())),
                ConsolePortSpec.named("p1", new FakeHostStream(rnd.nextBoolean())));
        try (ConsoleHarness h = new ConsoleHarness(ports, maxPorts, limits, VirtioMmioVersion.MODERN)) {
            String where = "seed " + seed;
            List<DriverQueue> everyQueue = new ArrayList<>();
            bringUp(h, rnd, everyQueue);
            long area = h.mem.alloc(128 * 1024, 16);
            h.dma.clear();
            for (int round = 0; round < 80; round++) {
                int action = rnd.nextInt(12);
                switch (action) {
                    case 0, 1, 2, 3 -> hostileChains(h, rnd, area);
                    case 4 -> h.driver.notify(rnd.nextInt(h.queues.size() + 2));
                    case 5 -> {
                        FakeHostStream host = h.host(rnd.nextInt(2));
                        byte[] data = new byte[rnd.nextInt(3000)];
                        rnd.nextBytes(data);
                        host.type(data);
                    }
                    case 6 -> {
                        FakeHostStream host = h.host(rnd.nextInt(2));
                        if (rnd.nextBoolean()) {
                            host.limitWrites(rnd.nextInt(100));
                        } else {
                            host.drain(rnd.nextInt(20_000));
                        }
                    }
                    case 7 -> h.host(rnd.nextInt(2)).connect(rnd.nextBoolean());
                    case 8 -> h.driver.writeConfig(ConsoleConfigSpace.EMERG_WR, 4, rnd.nextInt(256));
                    case 9 -> {
                        int q = rnd.nextInt(h.queues.size());
                        h.queue(q).setAvailIdx(rnd.nextInt(65536));
                        h.driver.notify(q);
                    }
                    case 10 -> {
                        if (rnd.nextInt(4) == 0) {
                            h.driver.reset();
                            bringUp(h, rnd, everyQueue);
                        }
                    }
                    default -> { }
                }
                // Liveness: every deferred-work call moves something or leaves nothing deferred. (A call may
                // legitimately stream megabytes a few hundred bytes at a time, so the loop stops after a while.)
                for (int calls = 0; calls < 3000 && h.transport.hasDeferredWork(); calls++) {
                    long before = progress(h);
                    h.transport.runDeferredWork();
                    if (progress(h) == before && h.transport.hasDeferredWork()) {
                        fail(where + ": a deferred-work call made no progress and left work deferred");
                    }
                }
                for (DriverQueue q : h.queues.values()) {
                    q.takeUsed();
                }
                checkWrites(where, h.dma, everyQueue);
                h.dma.clear();
            }
            bytesToHost += h.console.counters().bytesToHost();
            bytesToGuest += h.console.counters().bytesToGuest();
            malformed += h.guestErrors.count(h.name, QueueError.MALFORMED_CHAIN);
            stopped += h.guestErrors.count(h.name, QueueError.QUEUE_STOPPED);
        }
    }

    private static long progress(ConsoleHarness h) {
        ConsoleCounters c = h.console.counters();
        long p = c.bytesToHost() + c.bytesToGuest() + c.controlMessagesFromDriver() + c.controlMessagesToDriver();
        for (DriverQueue q : h.queues.values()) {
            p += q.usedIdx();
        }
        return p;
    }

    private static void bringUp(ConsoleHarness h, Random rnd, List<DriverQueue> everyQueue) {
        h.linuxMultiportBringUp(rnd.nextBoolean());
        everyQueue.addAll(h.queues.values());
        h.repostControlBuffers = false;
    }

    /** One to four chains of random descriptors (direct or indirect) in a random queue, then a notification. */
    private static void hostileChains(ConsoleHarness h, Random rnd, long area) {
        int qi = rnd.nextInt(h.queues.size());
        DriverQueue q = h.queue(qi);
        int chains = 1 + rnd.nextInt(4);
        for (int c = 0; c < chains; c++) {
            int head = rnd.nextInt(q.size);
            int length = 1 + rnd.nextInt(4);
            int index = head;
            for (int i = 0; i < length; i++) {
                boolean last = i + 1 == length;
                int next = rnd.nextInt(10) == 0 ? rnd.nextInt(q.size + 3) : (index + 1) % q.size;
                if (rnd.nextInt(8) == 0) {
                    int entries = 1 + rnd.nextInt(6);
                    long table = h.mem.alloc(16L * entries, 16);
                    for (int e = 0; e < entries; e++) {
                        q.writeDescriptorAt(table + 16L * e, address(h, rnd, q, area), length(rnd), flags(rnd), rnd.nextInt(entries + 1));
                    }
                    q.writeDescriptor(index, table, rnd.nextInt(10) == 0 ? rnd.nextInt(200) : 16L * entries,
                            DriverQueue.INDIRECT | (rnd.nextInt(6) == 0 ? DriverQueue.NEXT : 0), next);
                } else {
                    int f = flags(rnd) & ~DriverQueue.NEXT | (last ? 0 : DriverQueue.NEXT);
                    q.writeDescriptor(index, address(h, rnd, q, area), length(rnd), f, next);
                }
                index = next % q.size;
            }
            q.publish(rnd.nextInt(20) == 0 ? q.size + rnd.nextInt(5) : head);
        }
        h.driver.notify(qi);
    }

    private static long address(ConsoleHarness h, Random rnd, DriverQueue q, long area) {
        return switch (rnd.nextInt(10)) {
            case 0 -> 0x1000;
            case 1 -> h.mem.end() - rnd.nextInt(100);
            case 2 -> q.used + rnd.nextInt(32);
            case 3 -> -1L - rnd.nextInt(64);
            default -> area + rnd.nextInt(120 * 1024);
        };
    }

    private static long length(Random rnd) {
        return switch (rnd.nextInt(8)) {
            case 0 -> 0;
            case 1 -> 0xFFFF_FFFFL;
            case 2 -> 0x8000_0000L + rnd.nextInt(100);
            default -> 1 + rnd.nextInt(4096);
        };
    }

    private static int flags(Random rnd) {
        return rnd.nextInt(5) == 0 ? rnd.nextInt(8) : (rnd.nextBoolean() ? DriverQueue.WRITE : 0);
    }

    private static void checkWrites(String where, RecordingDmaSpace dma, List<DriverQueue> queues) {
        for (RecordingDmaSpace.Write w : dma.writes()) {
            boolean ok = false;
            for (DriverQueue q : queues) {
                if (w.address() >= q.used && w.end() <= q.used + QueueLayout.usedRingBytes(q.size)) {
                    ok = true;
                    break;
                }
                for (long[] r : q.writableRangesWritten()) {
                    if (w.address() >= r[0] && w.end() <= r[0] + r[1]) {
                        ok = true;
                        break;
                    }
                }
                if (ok) {
                    break;
                }
            }
            assertTrue(ok, where + ": the device wrote outside the used rings and writable buffers: " + w);
        }
    }
}
