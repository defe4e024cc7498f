package dev.aarvark.devices.virtio.queue;

import dev.aarvark.devices.QueueError;
import dev.aarvark.iommu.DmaFault;
import dev.aarvark.iommu.DmaSpace;

import java.util.List;
import java.util.Objects;

/**
 * A validated descriptor chain the device took from the available ring (virtio 1.2 §2.7.5): the
 * device-readable buffers followed by the device-writable buffers (§2.7.4), with helpers that move
 * bytes through the device's {@link DmaSpace}, each access tagged with the buffer's requester
 * (device, queue, chain head, descriptor index).
 *
 * <p>Offsets are positions in the readable (or writable) bytes taken as one stream, so a device that
 * must stop part-way (host backpressure) remembers an offset and continues later. A chain never
 * touches memory outside its own buffers. A refused access ({@link DmaFault}) is reported as a guest
 * error on this chain, marks it {@link #faulted()}, and ends that transfer and every later one on the
 * chain (which then goes back with length 0 and stops its queue); it is never thrown out. A chain is completed exactly once, through {@link SplitVirtqueue#complete}.
 */
public final class DescriptorChain {
    private final SplitVirtqueue owner;
    private final DmaSpace dma;
    private final String device;
    private final int head;
    private final int descriptors;
    private final BufferSegment[] readable;
    private final BufferSegment[] writable;
    private final long readableLength;
    private final long writableLength;
    private boolean faulted;
    private boolean completed;

    DescriptorChain(SplitVirtqueue owner, DmaSpace dma, String device, int head, int descriptors,
            List<BufferSegment> readable, List<BufferSegment> writable) {
        this.owner = owner;
        this.dma = dma;
        this.device = device;
        this.head = head;
        this.descriptors = descriptors;
        this.readable = readable.toArray(BufferSegment[]::new);
        this.writable = writable.toArray(BufferSegment[]::new);
        this.readableLength = total(this.readable);
        this.writableLength = total(this.writable);
    }

    private static long total(BufferSegment[] segments) {
        long sum = 0;
        for (BufferSegment s : segments) {
            sum += s.length();
        }
        return sum;
    }

    /** The chain's head index in the descriptor table (the used element's {@code id}). */
    public int head() {
        return head;
    }

    /** The queue the chain came from. */
    public int queue() {
        return owner.index();
    }

    /** How many descriptors the chain has (direct and indirect, including empty ones). */
    public int descriptorCount() {
        return descriptors;
    }

    /** Total device-readable bytes. */
    public long readableLength() {
        return readableLength;
    }

    /** Total device-writable bytes. */
    public long writableLength() {
        return writableLength;
    }

    /** The non-empty device-readable buffers, in chain order. */
    public List<BufferSegment> readableSegments() {
        return List.of(readable);
    }

    /** The non-empty device-writable buffers, in chain order. */
    public List<BufferSegment> writableSegments() {
        return List.of(writable);
    }

    /** True once an access to one of the chain's buffers was refused by the DMA space. */
    public boolean faulted() {
        return faulted;
    }

    boolean completed() {
        return completed;
    }

    void markCompleted() {
        completed = true;
    }

    SplitVirtqueue owner() {
        return owner;
    }

    /**
     * Copies readable bytes {@code [offset, offset+len)} into {@code dst[off..]}; returns how many
     * were copied: {@code len}, fewer at the end of the readable bytes, or fewer if a buffer's access
     * was refused (then {@link #faulted()} is true).
     */
    public int read(long offset, byte[] dst, int off, int len) {
        return transfer(readable, offset, dst, off, len, false);
    }

    /**
     * Copies {@code src[off..off+len)} into the writable bytes at {@code offset}; returns how many
     * were written, with the same rules as {@link #read}. Nothing outside the writable buffers is
     * touched.
     */
    public int write(long offset, byte[] src, int off, int len) {
        return transfer(writable, offset, src, off, len, true);
    }

    private int transfer(BufferSegment[] segments, long offset, byte[] data, int off, int len, boolean toGuest) {
        Objects.checkFromIndexSize(off, len, data.length);
        if (offset < 0) {
            throw new IllegalArgumentException("negative offset " + offset);
        }
        if (faulted) {
            return 0; // the device was aborted on this chain: nothing more moves through it
        }
        int done = 0;
        long skip = offset;
        for (BufferSegment s : segments) {
            if (done == len) {
                break;
            }
            if (skip >= s.length()) {
                skip -= s.length();
                continue;
            }
            int n = (int) Math.min(len - done, s.length() - skip);
            try {
                if (toGuest) {
                    dma.write(s.address() + skip, data, off + done, n, s.requester());
                } else {
                    dma.read(s.address() + skip, data, off + done, n, s.requester());
                }
            } catch (DmaFault f) {
                faulted = true;
                owner.errors().report(device, QueueError.DMA_FAULT, f.getMessage());
                return done;
            }
            done += n;
            skip = 0;
        }
        return done;
    }

    @Override
    public String toString() {
        return String.format("chain head %d of %s queue %d (%d descriptors, %d readable, %d writable bytes)",
                head, device, owner.index(), descriptors, readableLength, writableLength);
    }
}
