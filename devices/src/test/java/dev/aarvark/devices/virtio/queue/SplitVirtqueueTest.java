package dev.aarvark.devices.virtio.queue;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.GuestError;
import dev.aarvark.devices.QueueError;
import dev.aarvark.devices.virtio.testkit.DriverQueue;
import dev.aarvark.devices.virtio.testkit.DriverQueue.Buffer;
import dev.aarvark.devices.virtio.testkit.GuestMemory;
import dev.aarvark.devices.virtio.testkit.RecordingDmaSpace;
import dev.aarvark.iommu.DmaRequester;
import dev.aarvark.iommu.DmaSpace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SplitVirtqueueTest {
    static final QueueFeatures PLAIN = new QueueFeatures(false, false, false);
    static final QueueFeatures INDIRECT = new QueueFeatures(true, false, false);
    static final QueueFeatures EVENT_IDX = new QueueFeatures(false, true, false);
    static final QueueError MALFORMED = QueueError.MALFORMED_CHAIN;
    static final QueueError STOPPED = QueueError.QUEUE_STOPPED;

    final GuestMemory mem = new GuestMemory(1 << 20);
    final String name = "vq-test";
    final GuestErrorLog guestErrors = new GuestErrorLog();
    final List<String> failures = new ArrayList<>();

    @AfterEach
    void free() {
        mem.close();
    }

    SplitVirtqueue queue(DriverQueue dq, QueueFeatures f) {
        return queue(dq, f, mem.dma());
    }

    SplitVirtqueue queue(DriverQueue dq, QueueFeatures f, DmaSpace dma) {
        try {
            return new SplitVirtqueue(dma, name, dq.index, QueueLayout.modern(dq.size, dq.size, dq.desc, dq.avail, dq.used), f,
                    (q, reason) -> failures.add(reason), guestErrors);
        } catch (QueueLayoutException e) {
            throw new AssertionError(e);
        }
    }

    long errors(GuestError kind) {
        return guestErrors.count(name, kind);
    }

    @Test
    void popsChainsInAvailableOrderWithReadableBuffersBeforeWritableOnes() {
        DriverQueue dq = DriverQueue.modern(mem, 1, 8);
        long a = mem.alloc(16, 8);
        long b = mem.alloc(32, 8);
        long c = mem.alloc(8, 8);
        int h1 = dq.add(Buffer.out(a, 16), Buffer.in(b, 32));
        int h2 = dq.add(Buffer.out(c, 8));
        SplitVirtqueue q = queue(dq, PLAIN);

        DescriptorChain first = q.pop();
        assertEquals(h1, first.head());
        assertEquals(2, first.descriptorCount());
        assertEquals(List.of(a), first.readableSegments().stream().map(BufferSegment::address).toList());
        assertEquals(List.of(b), first.writableSegments().stream().map(BufferSegment::address).toList());
        assertEquals(16, first.readableLength());
        assertEquals(32, first.writableLength());
        assertEquals(h2, q.pop().head());
        assertNull(q.pop(), "the ring is empty");
        assertEquals(2, q.inFlight());
    }

    @Test
    void readAndWriteSpanBuffersAndTouchNothingElse() {
        DriverQueue dq = DriverQueue.modern(mem, 0, 8);
        long area = mem.alloc(64, 16);
        mem.ram().fill(area, 64, (byte) 0xEE);
        mem.write(area, new byte[] {1, 2, 3});
        mem.write(area + 16, new byte[] {4, 5, 6, 7, 8});
        dq.add(Buffer.out(area, 3), Buffer.out(area + 16, 5), Buffer.in(area + 32, 4), Buffer.in(area + 48, 4));
        DescriptorChain c = queue(dq, PLAIN).pop();

        byte[] got = new byte[6];
        assertEquals(6, c.read(1, got, 0, 6));
        assertArrayEquals(new byte[] {2, 3, 4, 5, 6, 7}, got);
        assertEquals(2, c.read(6, got, 0, 6), "only 8 readable bytes");
        assertEquals(6, c.write(2, new byte[] {9, 9, 9, 9, 9, 9, 9}, 0, 7), "8 writable bytes, 6 after offset 2");

        byte[] after = mem.read(area, 64);
        for (int i = 0; i < 64; i++) {
            boolean writable = (i >= 34 && i < 36) || (i >= 48 && i < 52);
            boolean original = i < 3 || (i >= 16 && i < 21);
            if (writable) {
                assertEquals(9, after[i], "byte " + i);
            } else if (!original) {
                assertEquals((byte) 0xEE, after[i], "byte " + i + " outside the writable buffers");
            }
        }
    }

    @Test
    void completeWritesTheUsedElementBeforeTheUsedIndex() {
        RecordingDmaSpace dma = new RecordingDmaSpace(mem.dma());
        DriverQueue dq = DriverQueue.modern(mem, 2, 4);
        long buf = mem.alloc(64, 8);
        dq.add(Buffer.out(buf, 1));
        int head = dq.add(Buffer.in(buf + 8, 40));
        SplitVirtqueue q = queue(dq, PLAIN, dma);
        q.complete(q.pop(), 0);
        dma.clear();
        DescriptorChain c = q.pop();
        q.complete(c, 33);

        List<RecordingDmaSpace.Write> writes = dma.writes();
        assertEquals(3, writes.size(), writes.toString());
        assertEquals(dq.used + 4 + 8, writes.get(0).address(), "element 1 id");
        assertEquals(dq.used + 4 + 12, writes.get(1).address(), "element 1 len");
        assertEquals(dq.used + 2, writes.get(2).address(), "then the used index");
        assertEquals(new DriverQueue.Used(head, 33), dq.usedElement(1));
        assertEquals(2, dq.usedIdx());
        assertEquals(head, writes.get(2).requester().descriptorHead(), "the used-ring write names the chain");
    }

    @Test
    void anAvailableIndexRunningAheadOfTheQueueStopsItForGood() {
        DriverQueue dq = DriverQueue.modern(mem, 3, 8);
        long buf = mem.alloc(8, 8);
        dq.add(Buffer.out(buf, 8));
        dq.setAvailIdx(9);
        SplitVirtqueue q = queue(dq, PLAIN);

        assertNull(q.pop());
        assertTrue(q.stopped());
        assertEquals(1, failures.size());
        assertTrue(failures.getFirst().contains("avail idx 9 claims 9 new entries"), failures.getFirst());
        assertEquals(1, errors(STOPPED));
        for (int i = 0; i < 1000; i++) {
            assertNull(q.pop(), "a stopped queue hands out nothing");
        }
        assertFalse(q.hasAvailable());
        assertEquals(1, failures.size(), "reported once");
        assertEquals(0, dq.usedIdx(), "nothing was written");
    }

    @Test
    void anAvailableIndexExactlyAQueueAheadIsAFullRing() {
        DriverQueue dq = DriverQueue.modern(mem, 0, 4);
        long buf = mem.alloc(64, 8);
        for (int i = 0; i < 4; i++) {
            dq.add(Buffer.out(buf + 8 * i, 8));
        }
        SplitVirtqueue q = queue(dq, PLAIN);
        for (int i = 0; i < 4; i++) {
            assertNotNull(q.pop());
        }
        assertNull(q.pop());
        assertFalse(q.stopped());
    }

    @Test
    void aRingEntryNamingADescriptorOutsideTheTableStopsTheQueue() {
        DriverQueue dq = DriverQueue.modern(mem, 0, 8);
        dq.publish(8);
        SplitVirtqueue q = queue(dq, PLAIN);
        assertNull(q.pop());
        assertTrue(q.stopped());
        assertTrue(failures.getFirst().contains("names descriptor 8"), failures.getFirst());
    }

    @Test
    void aNextIndexOutsideTheTableReturnsTheChainUnusedAndServesTheNextOne() {
        DriverQueue dq = DriverQueue.modern(mem, 0, 8);
        long buf = mem.alloc(16, 8);
        dq.writeDescriptor(0, buf, 8, DriverQueue.NEXT, 200);
        dq.publish(0);
        dq.writeDescriptor(1, buf + 8, 8, 0, 0);
        dq.publish(1);
        SplitVirtqueue q = queue(dq, PLAIN);

        DescriptorChain c = q.pop();
        assertEquals(1, c.head());
        assertEquals(1, errors(MALFORMED));
        assertEquals(List.of(new DriverQueue.Used(0, 0)), dq.takeUsed(), "returned unused");
        assertFalse(q.stopped());
        assertEquals(1, q.inFlight(), "only the valid chain is in flight");
    }

    @Test
    void aLoopingChainIsNamedAsALoopAndReturnedUnused() {
        DriverQueue dq = DriverQueue.modern(mem, 0, 8);
        long buf = mem.alloc(16, 8);
        dq.writeDescriptor(0, buf, 8, DriverQueue.NEXT, 1);
        dq.writeDescriptor(1, buf + 8, 8, DriverQueue.NEXT, 0);
        dq.publish(0);
        SplitVirtqueue q = queue(dq, PLAIN);
        assertNull(q.pop());
        assertEquals(1, errors(MALFORMED));
        assertEquals(List.of(new DriverQueue.Used(0, 0)), dq.takeUsed());
    }

    @Test
    void aReadableBufferAfterAWritableOneIsMalformedEvenIfTheWritableOneIsEmpty() {
        DriverQueue dq = DriverQueue.modern(mem, 0, 8);
        long buf = mem.alloc(16, 8);
        dq.add(Buffer.in(buf, 0), Buffer.out(buf, 8));
        assertNull(queue(dq, PLAIN).pop());
        assertEquals(1, errors(MALFORMED));
    }

    @Test
    void buffersAddingUpToMoreThan32BitsAreMalformed() {
        DriverQueue dq = DriverQueue.modern(mem, 0, 8);
        dq.add(Buffer.out(GuestMemory.BASE, 0x8000_0000L), Buffer.out(GuestMemory.BASE, 0x8000_0000L));
        assertNull(queue(dq, PLAIN).pop());
        assertEquals(1, errors(MALFORMED));
    }

    @Test
    void aFourGigabyteDescriptorIsOneSegmentReadInBoundedPieces() {
        DriverQueue dq = DriverQueue.modern(mem, 0, 8);
        long buf = mem.alloc(16, 8);
        mem.write(buf, new byte[] {42});
        dq.add(Buffer.out(buf, 0xFFFF_FFFFL));
        SplitVirtqueue q = queue(dq, PLAIN);
        DescriptorChain c = q.pop();
        assertEquals(0xFFFF_FFFFL, c.readableLength());
        byte[] small = new byte[4];
        assertEquals(4, c.read(0, small, 0, 4));
        assertEquals(42, small[0]);
        assertEquals(0, c.read(mem.end() - buf, small, 0, 4), "past the end of RAM the DMA space refuses");
        assertTrue(c.faulted());
        assertEquals(1, errors(QueueError.DMA_FAULT));
        assertFalse(q.stopped(), "the queue stops when the chain goes back, not in the middle of the device's work");
        q.complete(c, 0);
        assertTrue(q.stopped(), "a refused buffer access stops the queue: the device needs a reset");
    }

    @Test
    void aChainWithARefusedBufferAccessGoesBackWithLengthZero() {
        DriverQueue dq = DriverQueue.modern(mem, 0, 8);
        long buf = mem.alloc(64, 8);
        dq.add(Buffer.in(buf, 16), Buffer.in(mem.end() - 8, 16));
        SplitVirtqueue q = queue(dq, PLAIN);
        DescriptorChain c = q.pop();
        assertEquals(16, c.write(0, new byte[32], 0, 32), "the first buffer took its 16 bytes, the second was refused");
        assertTrue(c.faulted());
        assertEquals(0, c.write(0, new byte[4], 0, 4), "nothing more moves through an aborted chain");
        q.complete(c, 16);
        assertEquals(List.of(0L), dq.takeUsed().stream().map(DriverQueue.Used::len).toList());
        assertTrue(q.stopped());
        assertEquals(1, errors(QueueError.QUEUE_STOPPED));
    }

    @Test
    void aBufferOverTheQueuesOwnRingsIsMalformed() {
        DriverQueue dq = DriverQueue.modern(mem, 0, 8);
        dq.add(Buffer.in(dq.used, 8));
        assertNull(queue(dq, PLAIN).pop());
        assertEquals(1, errors(MALFORMED));
        assertEquals(List.of(new DriverQueue.Used(0, 0)), dq.takeUsed(), "the used ring itself is intact");
    }

    @Test
    void anIndirectTableIsWalkedAndItsBuffersNameTheTablesDescriptor() {
        DriverQueue dq = DriverQueue.modern(mem, 4, 8);
        long buf = mem.alloc(64, 8);
        int head = dq.indirectChain(Buffer.out(buf, 8), Buffer.out(buf + 8, 8), Buffer.in(buf + 16, 16));
        dq.publish(head);
        DescriptorChain c = queue(dq, INDIRECT).pop();
        assertEquals(head, c.head());
        assertEquals(3, c.descriptorCount());
        assertEquals(16, c.readableLength());
        assertEquals(16, c.writableLength());
        DmaRequester who = c.writableSegments().getFirst().requester();
        assertEquals(4, who.queue());
        assertEquals(head, who.descriptorHead());
        assertEquals(head, who.descriptorIndex(), "the descriptor that refers to the table");
        assertTrue(who.what().contains("indirect entry 2"), who.what());
    }

    @Test
    void directDescriptorsFollowedByAnIndirectOneAreOneChain() {
        DriverQueue dq = DriverQueue.modern(mem, 0, 8);
        long buf = mem.alloc(64, 8);
        long table = mem.alloc(32, 16);
        dq.writeDescriptorAt(table, buf + 8, 8, DriverQueue.WRITE | DriverQueue.NEXT, 1);
        dq.writeDescriptorAt(table + 16, buf + 16, 8, DriverQueue.WRITE, 0);
        dq.writeDescriptor(0, buf, 8, DriverQueue.NEXT, 1);
        dq.writeDescriptor(1, table, 32, DriverQueue.INDIRECT, 0);
        dq.publish(0);
        DescriptorChain c = queue(dq, INDIRECT).pop();
        assertNotNull(c, "§2.7.5.3.2: the device MUST handle this layout");
        assertEquals(8, c.readableLength());
        assertEquals(16, c.writableLength());
    }

    @Test
    void theWriteFlagOfTheDescriptorReferringToATableIsIgnored() {
        DriverQueue dq = DriverQueue.modern(mem, 0, 8);
        long buf = mem.alloc(16, 8);
        long table = mem.alloc(16, 16);
        dq.writeDescriptorAt(table, buf, 8, 0, 0);
        dq.writeDescriptor(0, table, 16, DriverQueue.INDIRECT | DriverQueue.WRITE, 0);
        dq.publish(0);
        DescriptorChain c = queue(dq, INDIRECT).pop();
        assertEquals(8, c.readableLength());
        assertEquals(0, c.writableLength());
    }

    @Test
    void indirectDescriptorsBreakingTheRulesAreMalformed() {
        DriverQueue dq = DriverQueue.modern(mem, 0, 8);
        long buf = mem.alloc(64, 8);
        long nested = mem.alloc(16, 16);
        dq.writeDescriptorAt(nested, buf, 8, DriverQueue.INDIRECT, 0);
        long looping = mem.alloc(32, 16);
        dq.writeDescriptorAt(looping, buf, 8, DriverQueue.NEXT, 1);
        dq.writeDescriptorAt(looping + 16, buf, 8, DriverQueue.NEXT, 0);
        long escaping = mem.alloc(16, 16);
        dq.writeDescriptorAt(escaping, buf, 8, DriverQueue.NEXT, 1);

        dq.writeDescriptor(0, nested, 16, DriverQueue.INDIRECT, 0);                    // nested table
        dq.writeDescriptor(1, nested, 16, DriverQueue.INDIRECT | DriverQueue.NEXT, 2); // INDIRECT with NEXT
        dq.writeDescriptor(2, buf, 0, DriverQueue.INDIRECT, 0);                        // empty table
        dq.writeDescriptor(3, buf, 24, DriverQueue.INDIRECT, 0);                       // not a multiple of 16
        dq.writeDescriptor(4, buf, 16 * 9, DriverQueue.INDIRECT, 0);                   // longer than the queue
        dq.writeDescriptor(5, looping, 32, DriverQueue.INDIRECT, 0);                   // loop inside the table
        dq.writeDescriptor(6, escaping, 16, DriverQueue.INDIRECT, 0);                  // next outside the table
        dq.writeDescriptor(7, GuestMemory.BASE - 0x1000, 16, DriverQueue.INDIRECT, 0); // table outside RAM
        for (int i = 0; i < 8; i++) {
            dq.publish(i);
        }
        SplitVirtqueue q = queue(dq, INDIRECT);
        assertNull(q.pop());
        assertEquals(8, errors(MALFORMED));
        assertEquals(8, dq.takeUsed().size(), "each returned unused");
        assertFalse(q.stopped());
    }

    @Test
    void indirectDescriptorsAreMalformedWhenTheFeatureWasNotNegotiated() {
        DriverQueue dq = DriverQueue.modern(mem, 0, 8);
        long buf = mem.alloc(16, 8);
        dq.publish(dq.indirectChain(Buffer.out(buf, 8)));
        assertNull(queue(dq, PLAIN).pop());
        assertEquals(1, errors(MALFORMED));
    }

    @Test
    void withEventIdxTheDeviceWritesAvailEventAsItConsumes() {
        DriverQueue dq = DriverQueue.modern(mem, 0, 8);
        long buf = mem.alloc(64, 8);
        for (int i = 0; i < 3; i++) {
            dq.add(Buffer.out(buf + 8 * i, 8));
        }
        SplitVirtqueue q = queue(dq, EVENT_IDX);
        q.pop();
        q.pop();
        assertEquals(2, dq.availEvent(), "notify me when you publish entry 2");
        q.pop();
        assertEquals(3, dq.availEvent());
    }

    @Test
    void withEventIdxUsedEventDecidesWhetherTheDeviceNotifies() {
        DriverQueue dq = DriverQueue.modern(mem, 0, 8);
        long buf = mem.alloc(64, 8);
        for (int i = 0; i < 6; i++) {
            dq.add(Buffer.out(buf + 8 * i, 8));
        }
        SplitVirtqueue q = queue(dq, EVENT_IDX);
        assertFalse(q.takeUsedNotification(), "nothing completed");

        dq.setUsedEvent(0);
        q.complete(q.pop(), 0);
        assertTrue(q.takeUsedNotification(), "used idx 0 -> 1 passes used_event 0");
        q.complete(q.pop(), 0);
        assertFalse(q.takeUsedNotification(), "1 -> 2 does not pass used_event 0");

        dq.setUsedEvent(3);
        q.complete(q.pop(), 0);
        assertFalse(q.takeUsedNotification(), "2 -> 3 does not pass 3");
        q.complete(q.pop(), 0);
        assertTrue(q.takeUsedNotification(), "3 -> 4 passes 3");

        dq.setUsedEvent(4);
        dq.setAvailFlags(1);
        q.complete(q.pop(), 0);
        q.complete(q.pop(), 0);
        assertTrue(q.takeUsedNotification(), "4 -> 6 passes 4 in one batch; the NO_INTERRUPT flag is ignored");
    }

    @Test
    void withoutEventIdxTheNoInterruptFlagSuppressesNotifications() {
        DriverQueue dq = DriverQueue.modern(mem, 0, 8);
        long buf = mem.alloc(64, 8);
        dq.add(Buffer.out(buf, 8));
        dq.add(Buffer.out(buf + 8, 8));
        dq.setUsedEvent(100);
        SplitVirtqueue q = queue(dq, PLAIN);
        dq.setAvailFlags(1);
        q.complete(q.pop(), 0);
        assertFalse(q.takeUsedNotification());
        dq.setAvailFlags(0);
        q.complete(q.pop(), 0);
        assertTrue(q.takeUsedNotification(), "used_event is ignored without EVENT_IDX");
    }

    @Test
    void notifyOnEmptyOverridesSuppressionWhenTheRingRunsDry() {
        DriverQueue dq = DriverQueue.modern(mem, 0, 8);
        long buf = mem.alloc(64, 8);
        dq.add(Buffer.out(buf, 8));
        dq.add(Buffer.out(buf + 8, 8));
        dq.setAvailFlags(1);
        SplitVirtqueue q = queue(dq, new QueueFeatures(false, false, true));
        q.complete(q.pop(), 0);
        assertFalse(q.takeUsedNotification(), "one more chain is available");
        q.complete(q.pop(), 0);
        assertTrue(q.takeUsedNotification(), "nothing in flight and the ring is empty");
    }

    @Test
    void refusedRingAccessesStopTheQueue() throws QueueLayoutException {
        DriverQueue dq = DriverQueue.modern(mem, 0, 8);
        long buf = mem.alloc(8, 8);
        dq.add(Buffer.out(buf, 8));
        long outside = 0x1000_0000L;
        SplitVirtqueue badTable = new SplitVirtqueue(mem.dma(), name, 0,
                QueueLayout.modern(8, 8, outside, dq.avail, dq.used), PLAIN, (q, r) -> failures.add(r), guestErrors);
        assertNull(badTable.pop());
        assertTrue(badTable.stopped());
        assertTrue(failures.getLast().contains("descriptor table"), failures.getLast());

        SplitVirtqueue badUsed = new SplitVirtqueue(mem.dma(), name, 0,
                QueueLayout.modern(8, 8, dq.desc, dq.avail, outside), PLAIN, (q, r) -> failures.add(r), guestErrors);
        badUsed.complete(badUsed.pop(), 0);
        assertTrue(badUsed.stopped());
        assertTrue(failures.getLast().contains("used ring"), failures.getLast());

        SplitVirtqueue badAvail = new SplitVirtqueue(mem.dma(), name, 0,
                QueueLayout.modern(8, 8, dq.desc, outside, dq.used), PLAIN, (q, r) -> failures.add(r), guestErrors);
        assertFalse(badAvail.hasAvailable());
        assertTrue(badAvail.stopped());
        assertEquals(3, failures.size());
    }

    @Test
    void bufferAccessesNameDeviceQueueHeadAndDescriptor() {
        RecordingDmaSpace dma = new RecordingDmaSpace(mem.dma());
        DriverQueue dq = DriverQueue.modern(mem, 6, 8);
        long buf = mem.alloc(64, 8);
        dq.chain(Buffer.out(buf, 8), Buffer.out(buf, 8), Buffer.out(buf, 8));
        int head = dq.add(Buffer.out(buf, 4), Buffer.in(buf + 16, 4), Buffer.in(buf + 32, 4));
        DescriptorChain c = queue(dq, PLAIN, dma).pop();
        dma.clear();
        c.write(2, new byte[] {1, 2, 3, 4}, 0, 4);
        assertEquals(2, dma.writes().size());
        assertEquals(new DmaRequester(name, 6, head, head + 1, "buffer"), dma.writes().get(0).requester());
        assertEquals(new DmaRequester(name, 6, head, head + 2, "buffer"), dma.writes().get(1).requester());
        assertEquals(buf + 18, dma.writes().get(0).address());
        assertEquals(buf + 32, dma.writes().get(1).address());
    }

    @Test
    void misusingCompleteIsADeviceBugNotAGuestError() {
        DriverQueue dq = DriverQueue.modern(mem, 0, 8);
        long buf = mem.alloc(64, 8);
        dq.add(Buffer.in(buf, 8));
        dq.add(Buffer.in(buf + 8, 8));
        SplitVirtqueue q = queue(dq, PLAIN);
        DescriptorChain c = q.pop();
        assertThrows(IllegalArgumentException.class, () -> q.complete(c, 9));
        q.complete(c, 8);
        assertThrows(IllegalStateException.class, () -> q.complete(c, 0));
        SplitVirtqueue other = queue(DriverQueue.modern(mem, 1, 8), PLAIN);
        DescriptorChain second = q.pop();
        assertThrows(IllegalArgumentException.class, () -> other.complete(second, 0));
    }

    @Test
    void indicesWrapAt65536() {
        DriverQueue dq = DriverQueue.modern(mem, 0, 2);
        long buf = mem.alloc(8, 8);
        SplitVirtqueue q = queue(dq, PLAIN);
        for (int i = 0; i < 70_000; i++) {
            dq.add(Buffer.out(buf, 1));
            q.complete(q.pop(), 0);
        }
        assertEquals(70_000 & 0xFFFF, dq.usedIdx());
        assertTrue(failures.isEmpty());
        assertNull(q.pop());
    }

    @Test
    void needsEventFollowsTheSpecsWraparoundArithmetic() {
        assertTrue(SplitVirtqueue.needsEvent(0, 1, 0));
        assertFalse(SplitVirtqueue.needsEvent(1, 1, 0));
        assertTrue(SplitVirtqueue.needsEvent(0xFFFF, 1, 0xFFFE), "crossing the wrap");
        assertFalse(SplitVirtqueue.needsEvent(5, 3, 3), "no progress, no event");
    }

    @Test
    void peekVisitsPublishedChainsInOrderWithoutTakingOrWritingAnything() {
        DriverQueue dq = DriverQueue.modern(mem, 0, 8);
        long buf = mem.alloc(64, 8);
        int a = dq.add(Buffer.in(buf, 16));
        int b = dq.add(Buffer.in(buf + 16, 32));
        RecordingDmaSpace dma = new RecordingDmaSpace(mem.dma());
        SplitVirtqueue q = queue(dq, EVENT_IDX, dma);
        List<Integer> seen = new ArrayList<>();
        q.peek(c -> seen.add(c.head()));
        assertEquals(List.of(a, b), seen);
        assertEquals(List.of(), dma.writes(), "no avail_event, no used ring");
        assertEquals(0, q.inFlight());
        assertEquals(a, q.pop().head(), "the same chains are still there to pop");
    }

    @Test
    void peekSkipsMalformedChainsSilentlyAndStopsWhenTheVisitorSaysSo() {
        DriverQueue dq = DriverQueue.modern(mem, 0, 8);
        long buf = mem.alloc(64, 8);
        dq.writeDescriptor(0, buf, 8, DriverQueue.NEXT, 0);
        dq.publish(0);
        dq.writeDescriptor(1, buf, 8, DriverQueue.WRITE, 0);
        dq.publish(1);
        dq.writeDescriptor(2, buf, 8, DriverQueue.WRITE, 0);
        dq.publish(2);
        SplitVirtqueue q = queue(dq, PLAIN);
        List<Integer> seen = new ArrayList<>();
        q.peek(c -> {
            seen.add(c.head());
            return false;
        });
        assertEquals(List.of(1), seen, "the looping chain 0 is skipped; the walk ends after the first visit");
        assertEquals(0, errors(MALFORMED), "the pop that reaches it reports it");
        assertEquals(1, q.pop().head());
        assertEquals(1, errors(MALFORMED));
    }

    @Test
    void peekOfARingEntryOutsideTheTableEndsTheWalkAndLeavesTheFailureToPop() {
        DriverQueue dq = DriverQueue.modern(mem, 0, 8);
        dq.publish(9);
        SplitVirtqueue q = queue(dq, PLAIN);
        List<Integer> seen = new ArrayList<>();
        q.peek(c -> seen.add(c.head()));
        assertEquals(List.of(), seen);
        assertFalse(q.stopped());
        assertNull(q.pop());
        assertTrue(q.stopped());
    }

    @Test
    void outstandingCountsChainsInFlightAndPublishedOnes() {
        DriverQueue dq = DriverQueue.modern(mem, 0, 4);
        long buf = mem.alloc(64, 8);
        for (int i = 0; i < 3; i++) {
            dq.add(Buffer.in(buf, 8));
        }
        SplitVirtqueue q = queue(dq, PLAIN);
        DescriptorChain c = q.pop();
        assertEquals(3, q.outstanding());
        q.complete(c, 0);
        assertEquals(2, q.outstanding());
    }
}
