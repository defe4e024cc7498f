package dev.aarvark.devices.virtio.queue;

import dev.aarvark.devices.virtio.testkit.DriverQueue;
import dev.aarvark.devices.virtio.testkit.DriverQueue.Buffer;
import dev.aarvark.devices.virtio.testkit.DriverQueue.Used;
import dev.aarvark.devices.virtio.testkit.GuestMemory;
import dev.aarvark.devices.GuestErrorLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link QueueService}, one rule per test, against the testkit's driver side of a real split queue. */
class QueueServiceTest {
    final GuestMemory mem = new GuestMemory(1 << 20);
    final DriverQueue dq = DriverQueue.modern(mem, 0, 16);
    final SplitVirtqueue q = queue();
    final List<String> wrong = new ArrayList<>();
    final List<Integer> notified = new ArrayList<>();
    final QueueService.Events events = new QueueService.Events() {
        @Override
        public void wrongDirection(SplitVirtqueue queue, DescriptorChain chain, QueueService.Direction expected) {
            wrong.add(expected + " head " + chain.head());
        }

        @Override
        public void notifyUsed(int queue) {
            notified.add(queue);
        }
    };

    @AfterEach
    void free() {
        mem.close();
    }

    private SplitVirtqueue queue() {
        try {
            return new SplitVirtqueue(mem.dma(), "qs-test", dq.index,
                    QueueLayout.modern(dq.size, dq.size, dq.desc, dq.avail, dq.used),
                    new QueueFeatures(false, false, false), (queue, reason) -> { }, new GuestErrorLog());
        } catch (QueueLayoutException e) {
            throw new AssertionError(e);
        }
    }

    private int out(int len) {
        return dq.add(Buffer.out(mem.alloc(Math.max(len, 1), 8), len));
    }

    private int in(int len) {
        return dq.add(Buffer.in(mem.alloc(Math.max(len, 1), 8), len));
    }

    @Test
    void everyChainIsCompletedWithTheUsedLengthTheHandlerGivesAndTheDriverIsNotifiedOncePerPass() {
        int a = in(8);
        int b = in(16);
        QueueService s = new QueueService(QueueService.Direction.DEVICE_WRITES, 8, events);
        assertEquals(QueueService.PassEnd.EMPTY, s.serve(q, (c, resumed) -> c.writableLength() / 2));
        assertEquals(List.of(new Used(a, 4), new Used(b, 8)), dq.takeUsed());
        assertEquals(List.of(0), notified);
    }

    @Test
    void aPassTakesAtMostTheCapAndSaysWorkIsLeft() {
        for (int i = 0; i < 5; i++) {
            out(4);
        }
        QueueService s = new QueueService(QueueService.Direction.DEVICE_READS, 2, events);
        assertEquals(QueueService.PassEnd.CAPPED, s.serve(q, (c, resumed) -> 0));
        assertEquals(2, dq.takeUsed().size());
        assertEquals(QueueService.PassEnd.CAPPED, s.serve(q, (c, resumed) -> 0));
        assertEquals(QueueService.PassEnd.EMPTY, s.serve(q, (c, resumed) -> 0), "the last chain, then nothing left");
        assertEquals(3, dq.takeUsed().size());
    }

    @Test
    void aCapThatEndsExactlyAtTheLastChainIsNotDeferredWork() {
        out(4);
        out(4);
        QueueService s = new QueueService(QueueService.Direction.DEVICE_READS, 2, events);
        assertEquals(QueueService.PassEnd.EMPTY, s.serve(q, (c, resumed) -> 0));
    }

    @Test
    void aHeldChainStaysWithTheDeviceAndComesBackFirstMarkedResumed() {
        int a = out(4);
        int b = out(4);
        QueueService s = new QueueService(QueueService.Direction.DEVICE_READS, 8, events);
        List<String> seen = new ArrayList<>();
        assertEquals(QueueService.PassEnd.HELD, s.serve(q, (c, resumed) -> {
            seen.add(c.head() + (resumed ? " resumed" : " new"));
            return QueueService.HOLD;
        }));
        assertTrue(s.holding());
        assertEquals(List.of(), dq.takeUsed(), "a held chain is not returned");
        assertEquals(List.of(), notified, "nothing completed, nothing notified");
        assertEquals(QueueService.PassEnd.EMPTY, s.serve(q, (c, resumed) -> {
            seen.add(c.head() + (resumed ? " resumed" : " new"));
            return 0;
        }));
        assertEquals(List.of(a + " new", a + " resumed", b + " new"), seen);
        assertEquals(List.of(new Used(a, 0), new Used(b, 0)), dq.takeUsed());
        assertFalse(s.holding());
    }

    @Test
    void aResumedChainDoesNotCountAgainstTheCap() {
        out(4);
        out(4);
        QueueService s = new QueueService(QueueService.Direction.DEVICE_READS, 1, events);
        s.serve(q, (c, resumed) -> QueueService.HOLD);
        assertEquals(QueueService.PassEnd.EMPTY, s.serve(q, (c, resumed) -> 0),
                "the held chain and one new one fit a cap of one");
        assertEquals(2, dq.takeUsed().size());
    }

    @Test
    void theHandlerSaysWhenItHasNoMoreWork() {
        out(4);
        out(4);
        QueueService s = new QueueService(QueueService.Direction.DEVICE_READS, 8, events);
        int[] budget = {1};
        QueueService.Handler oneChain = new QueueService.Handler() {
            @Override
            public boolean wantsMore() {
                return budget[0] > 0;
            }

            @Override
            public long handle(DescriptorChain c, boolean resumed) {
                budget[0]--;
                return 0;
            }
        };
        assertEquals(QueueService.PassEnd.HANDLER_DONE, s.serve(q, oneChain));
        assertEquals(1, dq.takeUsed().size());
        assertTrue(q.hasAvailable(), "the second chain was never taken");
    }

    @Test
    void aReadableChainInAQueueTheDeviceWritesIsReportedAndReturnedUnusedWithoutReachingTheHandler() {
        int bad = out(8);
        int good = in(8);
        QueueService s = new QueueService(QueueService.Direction.DEVICE_WRITES, 8, events);
        List<Integer> handled = new ArrayList<>();
        s.serve(q, (c, resumed) -> {
            handled.add(c.head());
            return 8;
        });
        assertEquals(List.of(good), handled);
        assertEquals(List.of("DEVICE_WRITES head " + bad), wrong);
        assertEquals(List.of(new Used(bad, 0), new Used(good, 8)), dq.takeUsed());
    }

    @Test
    void writableBytesInAQueueTheDeviceReadsAreReportedAndTheChainIsStillHandled() {
        int mixed = dq.add(Buffer.out(mem.alloc(8, 8), 8), Buffer.in(mem.alloc(8, 8), 8));
        QueueService s = new QueueService(QueueService.Direction.DEVICE_READS, 8, events);
        List<Integer> handled = new ArrayList<>();
        s.serve(q, (c, resumed) -> {
            handled.add(c.head());
            return 0;
        });
        assertEquals(List.of(mixed), handled);
        assertEquals(List.of("DEVICE_READS head " + mixed), wrong);
    }

    @Test
    void abandonReturnsTheHeldChainUnusedAndNotifies() {
        int a = out(4);
        QueueService s = new QueueService(QueueService.Direction.DEVICE_READS, 8, events);
        s.serve(q, (c, resumed) -> QueueService.HOLD);
        s.abandon(q);
        assertEquals(List.of(new Used(a, 0)), dq.takeUsed());
        assertEquals(List.of(0), notified);
        assertFalse(s.holding());
    }

    @Test
    void aResetForgetsTheHeldChain() {
        out(4);
        QueueService s = new QueueService(QueueService.Direction.DEVICE_READS, 8, events);
        s.serve(q, (c, resumed) -> QueueService.HOLD);
        s.reset();
        assertFalse(s.holding());
        assertEquals(List.of(), dq.takeUsed());
    }

    @Test
    void aPassMustBeAllowedAChain() {
        assertThrows(IllegalArgumentException.class, () -> new QueueService(QueueService.Direction.DEVICE_READS, 0, events));
    }

    @Test
    void aRequestReplyQueueHandsChainsWithBothDirectionsToTheHandlerWithoutAReport() {
        int request = dq.add(Buffer.out(mem.alloc(8, 8), 8), Buffer.in(mem.alloc(1, 8), 1));
        QueueService s = new QueueService(QueueService.Direction.REQUEST_REPLY, 8, events);
        assertEquals(QueueService.PassEnd.EMPTY, s.serve(q, (c, resumed) -> 1));
        assertEquals(List.of(), wrong);
        assertEquals(List.of(new Used(request, 1)), dq.takeUsed());
    }

    @Test
    void writableRoomCountsTheChainsAPassWouldHandOverUntilEnoughWithoutTakingThem() {
        in(100);
        out(500);
        in(100);
        in(100);
        QueueService s = new QueueService(QueueService.Direction.DEVICE_WRITES, 8, events);
        assertEquals(new QueueService.WritableRoom(200, 2, true, true), s.writableRoom(q, 150),
                "the readable chain is skipped: the pass would return it unused");
        assertEquals(new QueueService.WritableRoom(300, 3, false, true), s.writableRoom(q, 1000));
        assertEquals(4, dq.availIdx());
        assertTrue(q.hasAvailable());
        assertEquals(0, q.inFlight(), "nothing was taken");
    }

    @Test
    void writableRoomSaysWhenTheDriverCannotPostMore() {
        for (int i = 0; i < dq.size; i++) {
            in(10);
        }
        QueueService s = new QueueService(QueueService.Direction.DEVICE_WRITES, 8, events);
        assertEquals(new QueueService.WritableRoom(160, 16, false, false), s.writableRoom(q, 1000));
    }
}
