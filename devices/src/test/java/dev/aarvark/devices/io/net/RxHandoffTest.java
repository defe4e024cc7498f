package dev.aarvark.devices.io.net;

import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The hand-off of frames from a host reader to the vCPU thread, one rule per test. */
class RxHandoffTest {
    /** A vCPU thread the test steps by hand. */
    private final ArrayDeque<Runnable> posted = new ArrayDeque<>();
    private final Tally tally = new Tally();
    private final AtomicInteger resumes = new AtomicInteger();
    private final Device device = new Device();
    private final RxHandoff handoff = new RxHandoff(posted::add, tally, 2, resumes::incrementAndGet);

    RxHandoffTest() {
        handoff.start(device);
    }

    /** Takes at most {@code room} frames per batch (all when negative) and records each batch. */
    static class Device implements FrameBackend.Listener {
        final List<List<byte[]>> batches = new ArrayList<>();
        final List<byte[]> frames = new ArrayList<>();
        int room = -1;

        @Override
        public void received(byte[] frame) {
            throw new AssertionError("frames come in batches");
        }

        @Override
        public int receivedBatch(List<byte[]> batch) {
            batches.add(List.copyOf(batch));
            int n = room < 0 ? batch.size() : Math.min(room, batch.size());
            frames.addAll(batch.subList(0, n));
            return n;
        }

        @Override
        public void writable() {
        }

        @Override
        public void linkChanged(boolean up) {
        }
    }

    private void runPosted() {
        for (Runnable r; (r = posted.poll()) != null; ) {
            r.run();
        }
    }

    private static byte[] frame(int i) {
        return new byte[] {(byte) i, (byte) (i >> 8), 0, 0, 0, 0};
    }

    @Test
    void framesReadTogetherCostOneTaskAndReachTheDeviceInOneBatchInOrder() {
        for (int i = 0; i < 5; i++) {
            assertFalse(handoff.offer(frame(i)));
        }
        assertEquals(1, posted.size(), "one drain task for the burst");
        runPosted();
        assertEquals(1, device.batches.size());
        for (int i = 0; i < 5; i++) {
            assertArrayEquals(frame(i), device.frames.get(i), "frame " + i);
        }
        FrameCounters c = tally.snapshot();
        assertEquals(5, c.rxFrames());
        assertEquals(5 * (6 - 2), c.rxBytes(), "the 2 header bytes of each frame are not counted");
        assertEquals(0, handoff.queued());
    }

    @Test
    void aFrameOfferedAfterTheDrainStartedGetsADrainOfItsOwn() {
        handoff.offer(frame(1));
        runPosted();
        handoff.offer(frame(2));
        assertEquals(1, posted.size(), "the first drain is over: a new one is posted");
        runPosted();
        assertEquals(2, device.frames.size());
    }

    @Test
    void framesTheDeviceDoesNotTakeAreHeldAndComeFirstAfterResume() {
        device.room = 1;
        for (int i = 0; i < 3; i++) {
            handoff.offer(frame(i));
        }
        runPosted();
        assertEquals(1, device.frames.size());
        assertEquals(2, handoff.queued(), "two held");

        device.room = 0;
        handoff.offer(frame(3));
        runPosted();
        assertEquals(List.of(3), device.batches.stream().skip(1).map(List::size).toList(), "held first, then the new frame");
        assertEquals(1, device.frames.size(), "nothing taken while the device is full");

        device.room = -1;
        handoff.resume();
        assertEquals(1, posted.size(), "resume posts a drain for the held frames");
        runPosted();
        assertEquals(4, device.frames.size());
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(frame(i), device.frames.get(i), "frame " + i + " in order");
        }
        assertEquals(4, tally.snapshot().rxFrames(), "counted once each, when taken");
        assertEquals(0, handoff.queued());
    }

    @Test
    void resumeWithNothingHeldPostsNothing() {
        handoff.resume();
        assertTrue(posted.isEmpty());
    }

    @Test
    void atTheBoundTheReaderIsToldToStopAndResumesOnceTheDeviceCaughtUp() {
        for (int i = 0; i < RxHandoff.HIGH_FRAMES - 1; i++) {
            assertFalse(handoff.offer(frame(i)));
        }
        assertTrue(handoff.offer(frame(0)), "the frame that reaches the bound");
        assertTrue(handoff.throttled());
        runPosted();
        assertFalse(handoff.throttled());
        assertEquals(1, resumes.get(), "the reader is resumed once");
        assertEquals(RxHandoff.HIGH_FRAMES, device.frames.size());
    }

    @Test
    void theByteBoundStopsTheReaderToo() {
        assertTrue(handoff.offer(new byte[RxHandoff.HIGH_BYTES]));
        assertTrue(handoff.throttled());
    }

    @Test
    void heldFramesKeepTheReaderStoppedUntilTheDeviceTakesThem() {
        device.room = 0;
        for (int i = 0; i < RxHandoff.HIGH_FRAMES; i++) {
            handoff.offer(frame(i));
        }
        runPosted();
        assertTrue(handoff.throttled(), "nothing was taken");
        assertEquals(0, resumes.get());
        device.room = RxHandoff.HIGH_FRAMES - RxHandoff.LOW_FRAMES - 1;
        handoff.resume();
        runPosted();
        assertTrue(handoff.throttled(), "more than a quarter is still held");
        device.room = 1;
        handoff.resume();
        runPosted();
        assertFalse(handoff.throttled(), "down to a quarter");
        assertEquals(1, resumes.get());
    }

    @Test
    void nothingReachesTheDeviceAfterClose() {
        handoff.offer(frame(1));
        handoff.close();
        runPosted();
        assertTrue(device.batches.isEmpty());
    }

    @Test
    void aReaderThreadRacingTheVcpuThreadLosesNoFrameAndKeepsTheOrder() throws Exception {
        ExecutorService vcpu = Executors.newSingleThreadExecutor();
        List<byte[]> got = new ArrayList<>();
        Tally t = new Tally();
        CountDownLatch done = new CountDownLatch(1);
        int n = 200_000;
        RxHandoff h = new RxHandoff(vcpu, t, 0, () -> { });
        h.start(new Device() {
            @Override
            public int receivedBatch(List<byte[]> batch) {
                got.addAll(batch);
                if (got.size() == n) {
                    done.countDown();
                }
                return batch.size();
            }
        });
        for (int i = 0; i < n; i++) {
            while (h.throttled()) {
                Thread.onSpinWait();
            }
            h.offer(frame(i));
        }
        try {
            assertTrue(done.await(20, TimeUnit.SECONDS), "every frame arrived: " + got.size());
            for (int i = 0; i < n; i += 9_973) {
                assertArrayEquals(frame(i), got.get(i), "frame " + i);
            }
            assertEquals(n, t.snapshot().rxFrames());
        } finally {
            vcpu.shutdownNow();
        }
    }
}
