package dev.aarvark.devices.virtio.testkit;

import java.util.HashMap;
import java.util.Map;

/**
 * The driver's side of one split virtqueue in test guest memory (virtio 1.2 §2.7): it writes
 * descriptors and available ring entries as a driver would (or as a hostile one would, through the
 * raw writers), and reads back the used ring.
 */
public final class DriverQueue {
    public static final int NEXT = 1;
    public static final int WRITE = 2;
    public static final int INDIRECT = 4;

    /** One buffer of a chain. */
    public record Buffer(long addr, long len, boolean writable) {
        public static Buffer out(long addr, long len) {
            return new Buffer(addr, len, false);
        }

        public static Buffer in(long addr, long len) {
            return new Buffer(addr, len, true);
        }
    }

    /** One used ring element. */
    public record Used(int id, long len) {
    }

    private final GuestMemory mem;
    public final int index;
    public final int size;
    public final long desc;
    public final long avail;
    public final long used;
    private final long pfn;
    private int nextDescriptor;
    private int availIdx;
    private int usedSeen;
    private final Map<Integer, Long> firstBufferOfHead = new HashMap<>();
    private final java.util.List<long[]> writableRanges = new java.util.ArrayList<>();

    private DriverQueue(GuestMemory mem, int index, int size, long desc, long avail, long used, long pfn) {
        this.mem = mem;
        this.index = index;
        this.size = size;
        this.desc = desc;
        this.avail = avail;
        this.used = used;
        this.pfn = pfn;
    }

    /** A modern queue with each part on its own page, as Linux's vring allocation does. */
    public static DriverQueue modern(GuestMemory mem, int index, int size) {
        long d = mem.alloc(16L * size, 4096);
        long a = mem.alloc(6 + 2L * size, 4096);
        long u = mem.alloc(6 + 8L * size, 4096);
        return new DriverQueue(mem, index, size, d, a, u, 0);
    }

    /** A legacy queue: one area from a page boundary, used ring aligned to {@code align} (§2.7.2). */
    public static DriverQueue legacy(GuestMemory mem, int index, int size, int pageSize, int align) {
        long availBytes = 6 + 2L * size;
        long usedOffset = (16L * size + availBytes + align - 1) & -(long) align;
        long base = mem.alloc(usedOffset + 6 + 8L * size, Math.max(pageSize, align));
        return new DriverQueue(mem, index, size, base, base + 16L * size, base + usedOffset, base / pageSize);
    }

    /** Every device-writable buffer ever described through this queue: {address, length}. */
    public java.util.List<long[]> writableRangesWritten() {
        return writableRanges;
    }

    /** The QueuePFN of a legacy queue. */
    public long pfn() {
        return pfn;
    }

    public void writeDescriptor(int i, long addr, long len, int flags, int next) {
        writeDescriptorAt(desc + 16L * i, addr, len, flags, next);
    }

    public void writeDescriptorAt(long at, long addr, long len, int flags, int next) {
        if ((flags & WRITE) != 0 && (flags & INDIRECT) == 0 && (len & 0xFFFF_FFFFL) != 0) {
            writableRanges.add(new long[] {addr, len & 0xFFFF_FFFFL});
        }
        mem.putU64(at, addr);
        mem.putU32(at + 8, len);
        mem.putU16(at + 12, flags);
        mem.putU16(at + 14, next);
    }

    /** Writes {@code buffers} as a chain of direct descriptors and returns its head (not yet published). */
    public int chain(Buffer... buffers) {
        int head = nextDescriptor;
        for (int i = 0; i < buffers.length; i++) {
            int d = (nextDescriptor + i) % size;
            int next = (d + 1) % size;
            Buffer b = buffers[i];
            writeDescriptor(d, b.addr(), b.len(), (b.writable() ? WRITE : 0) | (i + 1 < buffers.length ? NEXT : 0),
                    i + 1 < buffers.length ? next : 0);
        }
        nextDescriptor = (nextDescriptor + buffers.length) % size;
        if (buffers.length > 0) {
            firstBufferOfHead.put(head, buffers[0].addr());
        }
        return head;
    }

    /** A chain of one descriptor pointing at an indirect table of {@code buffers} (placed in guest memory). */
    public int indirectChain(Buffer... buffers) {
        long table = mem.alloc(16L * buffers.length, 16);
        for (int i = 0; i < buffers.length; i++) {
            Buffer b = buffers[i];
            writeDescriptorAt(table + 16L * i, b.addr(), b.len(),
                    (b.writable() ? WRITE : 0) | (i + 1 < buffers.length ? NEXT : 0), i + 1 < buffers.length ? i + 1 : 0);
        }
        int head = nextDescriptor;
        writeDescriptor(head, table, 16L * buffers.length, INDIRECT, 0);
        nextDescriptor = (nextDescriptor + 1) % size;
        firstBufferOfHead.put(head, buffers[0].addr());
        return head;
    }

    /** Puts {@code head} in the next available ring entry and publishes it (idx + 1). */
    public void publish(int head) {
        mem.putU16(avail + 4 + 2L * (availIdx % size), head);
        availIdx = (availIdx + 1) & 0xFFFF;
        mem.putU16(avail + 2, availIdx);
    }

    /** Writes and publishes a chain; returns its head. */
    public int add(Buffer... buffers) {
        int head = chain(buffers);
        publish(head);
        return head;
    }

    /** Writes a raw available ring entry without publishing it. */
    public void writeAvailEntry(int slot, int head) {
        mem.putU16(avail + 4 + 2L * slot, head);
    }

    /** Sets avail.idx to any value (a hostile driver). */
    public void setAvailIdx(int idx) {
        availIdx = idx & 0xFFFF;
        mem.putU16(avail + 2, availIdx);
    }

    public int availIdx() {
        return availIdx;
    }

    public void setAvailFlags(int flags) {
        mem.putU16(avail, flags);
    }

    /** used_event (VIRTIO_F_EVENT_IDX), after the available ring. */
    public void setUsedEvent(int v) {
        mem.putU16(avail + 4 + 2L * size, v);
    }

    /** avail_event as the device wrote it, after the used ring. */
    public int availEvent() {
        return mem.u16(used + 4 + 8L * size);
    }

    public int usedIdx() {
        return mem.u16(used + 2);
    }

    public Used usedElement(int i) {
        long e = used + 4 + 8L * (i % size);
        return new Used((int) mem.u32(e), mem.u32(e + 4));
    }

    /** Used elements the test has not looked at yet, in order. */
    public java.util.List<Used> takeUsed() {
        java.util.List<Used> out = new java.util.ArrayList<>();
        int now = usedIdx();
        while (usedSeen != now) {
            out.add(usedElement(usedSeen));
            usedSeen = (usedSeen + 1) & 0xFFFF;
        }
        return out;
    }

    /** The address of the first buffer of the chain at {@code head} (as written by {@link #chain}). */
    public long firstBuffer(int head) {
        Long a = firstBufferOfHead.get(head);
        if (a == null) {
            throw new IllegalArgumentException("no chain with head " + head);
        }
        return a;
    }
}
