package dev.aarvark.devices.virtio.queue;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.QueueError;
import dev.aarvark.devices.virtio.testkit.DriverQueue;
import dev.aarvark.devices.virtio.testkit.GuestMemory;
import dev.aarvark.devices.virtio.testkit.RecordingDmaSpace;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Random descriptor tables, indirect tables and available rings, many of them hostile, fed to a
 * split virtqueue. For every seed: nothing is thrown, {@code pop} ends after at most one pass over
 * the ring, every chain handed out is made of descriptors the driver wrote (readable ones first, no
 * ring overlap, at most the queue size), every consumed entry is returned exactly once (used or
 * malformed), and the device writes nothing but the used ring and the writable buffers of the
 * chains it was given. Fixed seeds, so a failure reproduces.
 */
class RandomChainsPropertyTest {
    private static final long RAM_SIZE = 256 * 1024;

    /** A descriptor as the test wrote it. */
    private record Written(long addr, long len, boolean writable) {
    }

    private long chainsSeen;
    private long malformedSeen;
    private long stoppedSeen;
    private long bufferWrites;

    @Test
    void randomChainsNeverBreakTheQueuesPromises() {
        for (long seed = 1; seed <= 400; seed++) {
            runOne(seed);
        }
        // The seeds cover every outcome, so the properties above were tested, not vacuous.
        assertTrue(chainsSeen > 200, "valid chains: " + chainsSeen);
        assertTrue(malformedSeen > 200, "malformed chains: " + malformedSeen);
        assertTrue(stoppedSeen > 20, "stopped queues: " + stoppedSeen);
        assertTrue(bufferWrites > 50, "buffer writes: " + bufferWrites);
    }

    private void runOne(long seed) {
        Random rnd = new Random(seed);
        try (GuestMemory mem = new GuestMemory(RAM_SIZE)) {
            String name = "vq-random";
            GuestErrorLog guestErrors = new GuestErrorLog();
            int size = 1 << rnd.nextInt(6);
            QueueFeatures features = new QueueFeatures(rnd.nextBoolean(), rnd.nextBoolean(), rnd.nextBoolean());
            DriverQueue dq = DriverQueue.modern(mem, rnd.nextInt(4), size);
            long area = mem.alloc(64 * 1024, 16);
            Set<Written> written = new HashSet<>();

            for (int i = 0; i < size; i++) {
                if (rnd.nextInt(6) == 0) {
                    int entries = 1 + rnd.nextInt(size + 2);
                    long table = mem.alloc(16L * entries, 16);
                    for (int e = 0; e < entries; e++) {
                        Written w = randomDescriptor(rnd, mem, dq, area, table + 16L * e, entries);
                        written.add(w);
                    }
                    long len = rnd.nextInt(8) == 0 ? 16L * entries + rnd.nextInt(20) : 16L * entries;
                    int flags = DriverQueue.INDIRECT | (rnd.nextInt(5) == 0 ? rnd.nextInt(8) : 0);
                    dq.writeDescriptor(i, table, len, flags, rnd.nextInt(size + 1));
                } else {
                    written.add(randomDescriptor(rnd, mem, dq, area, dq.desc + 16L * i, size));
                }
            }
            int published = rnd.nextInt(size + 1);
            for (int s = 0; s < size; s++) {
                dq.writeAvailEntry(s, rnd.nextInt(10) == 0 ? size + rnd.nextInt(100) : rnd.nextInt(size));
            }
            dq.setAvailIdx(rnd.nextInt(12) == 0 ? rnd.nextInt(65536) : published);
            dq.setUsedEvent(rnd.nextInt(65536));

            RecordingDmaSpace dma = new RecordingDmaSpace(mem.dma());
            List<String> failures = new ArrayList<>();
            SplitVirtqueue q;
            try {
                q = new SplitVirtqueue(dma, name, dq.index, QueueLayout.modern(size, size, dq.desc, dq.avail, dq.used),
                        features, (queue, reason) -> failures.add(reason), guestErrors);
            } catch (QueueLayoutException e) {
                throw new AssertionError(e);
            }

            List<DescriptorChain> chains = new ArrayList<>();
            List<long[]> allowed = new ArrayList<>();
            allowed.add(new long[] {dq.used, QueueLayout.usedRingBytes(size)});
            int pops = 0;
            DescriptorChain c;
            while ((c = q.pop()) != null) {
                if (++pops > size) {
                    fail("seed " + seed + ": more chains than ring entries");
                }
                chains.add(c);
                checkChain(seed, c, size, dq, written);
                for (BufferSegment s : c.writableSegments()) {
                    allowed.add(new long[] {s.address(), s.length()});
                }
                byte[] junk = new byte[(int) Math.min(c.writableLength(), 300)];
                rnd.nextBytes(junk);
                int n = c.write(rnd.nextInt(3), junk, 0, junk.length);
                q.complete(c, rnd.nextBoolean() ? 0 : Math.min(n, c.writableLength()));
                q.takeUsedNotification();
            }
            q.hasAvailable();

            long malformed = guestErrors.count(name, QueueError.MALFORMED_CHAIN);
            chainsSeen += chains.size();
            malformedSeen += malformed;
            stoppedSeen += q.stopped() ? 1 : 0;
            bufferWrites += dma.writes().stream().filter(w -> "buffer".equals(w.requester().what())).count();
            if (q.stopped()) {
                assertEquals(1, failures.size(), "seed " + seed + ": a stopped queue reports once");
            } else {
                assertTrue(failures.isEmpty(), "seed " + seed);
                assertEquals((chains.size() + malformed) & 0xFFFF, dq.usedIdx(),
                        "seed " + seed + ": every consumed entry is returned exactly once");
            }
            for (RecordingDmaSpace.Write w : dma.writes()) {
                boolean inside = allowed.stream().anyMatch(r -> w.address() >= r[0] && w.end() <= r[0] + r[1]);
                assertTrue(inside, "seed " + seed + ": device wrote outside its buffers and used ring: " + w);
            }
        }
    }

    private static Written randomDescriptor(Random rnd, GuestMemory mem, DriverQueue dq, long area, long at, int tableSize) {
        long addr = switch (rnd.nextInt(8)) {
            case 0 -> rnd.nextLong();
            case 1 -> dq.used + rnd.nextInt(16);
            case 2 -> mem.end() - rnd.nextInt(64);
            case 3 -> 0xFFFF_FFFF_FFFF_FFF0L;
            default -> area + rnd.nextInt(60 * 1024);
        };
        long len = switch (rnd.nextInt(8)) {
            case 0 -> 0;
            case 1 -> 0xFFFF_FFFFL;
            case 2 -> rnd.nextInt() & 0xFFFF_FFFFL;
            default -> 1 + rnd.nextInt(2048);
        };
        int flags = rnd.nextInt(4) == 0 ? rnd.nextInt(8) : rnd.nextInt(4);
        int next = rnd.nextInt(tableSize + 2);
        dq.writeDescriptorAt(at, addr, len, flags, next);
        return new Written(addr, len, (flags & DriverQueue.WRITE) != 0);
    }

    private static void checkChain(long seed, DescriptorChain c, int size, DriverQueue dq, Set<Written> written) {
        assertTrue(c.descriptorCount() <= size, "seed " + seed + ": chain longer than the queue");
        assertTrue(c.readableLength() + c.writableLength() <= 0xFFFF_FFFFL, "seed " + seed);
        QueueLayout rings;
        try {
            rings = QueueLayout.modern(size, size, dq.desc, dq.avail, dq.used);
        } catch (QueueLayoutException e) {
            throw new AssertionError(e);
        }
        for (BufferSegment s : c.readableSegments()) {
            assertFalse(s.writable());
            assertTrue(written.contains(new Written(s.address(), s.length(), false)), "seed " + seed + ": " + s);
            assertFalse(rings.overlapsRings(s.address(), s.length()), "seed " + seed + ": " + s);
        }
        for (BufferSegment s : c.writableSegments()) {
            assertTrue(s.writable());
            assertTrue(written.contains(new Written(s.address(), s.length(), true)), "seed " + seed + ": " + s);
            assertFalse(rings.overlapsRings(s.address(), s.length()), "seed " + seed + ": " + s);
        }
    }
}
