package dev.aarvark.devices.virtio.queue;

import dev.aarvark.iommu.DmaFault;
import dev.aarvark.iommu.DmaRequester;
import dev.aarvark.iommu.DmaSpace;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Walks and validates one descriptor chain of a split virtqueue (virtio 1.2 §2.7.5) from its head:
 * direct descriptors linked by NEXT, optionally ending in one descriptor that refers to an indirect
 * table (§2.7.5.3: "zero or more normal chained descriptors followed by a single descriptor with
 * VIRTQ_DESC_F_INDIRECT").
 *
 * <p>Termination is guaranteed without trusting the guest: each table index may be visited once
 * (a bitmap, so a loop is named as a loop) and the whole chain, direct and indirect descriptors
 * together, may not exceed the queue size (§2.7.5.3.1). Nothing is allocated from a guest length.
 * A refused read of the descriptor table is a ring failure and propagates as {@link DmaFault}; a
 * refused read of an indirect table makes only that chain malformed.
 *
 * <p>No string and, in steady state, no {@link DmaRequester} is made per descriptor: the
 * requester last made for each descriptor index (and each indirect-table entry) is kept and reused
 * while the chain head is the same (drivers reuse their chains), and a descriptor's name is
 * formatted only for an error message.
 */
final class DescriptorChainReader {
    /** The used element's {@code len} is 32 bits, and §2.7.5 caps a chain at 2^32 bytes. */
    private static final long MAX_CHAIN_BYTES = 0xFFFF_FFFFL;

    private final SplitVirtqueue owner;
    private final DmaSpace dma;
    private final String device;
    private final int queue;
    private final QueueLayout layout;
    private final boolean indirectAllowed;
    private final BitSet visited;
    private final BitSet visitedIndirect;
    private final byte[] raw = new byte[Descriptor.BYTES];
    /** Requesters by descriptor index (direct) or entry (indirect), reused while the head matches. */
    private final DmaRequester[] tableReads;
    private final DmaRequester[] buffers;
    private final DmaRequester[] indirectReads;
    private final DmaRequester[] indirectBuffers;

    private List<BufferSegment> readable;
    private List<BufferSegment> writable;
    private long totalBytes;
    private int descriptors;
    private boolean seenWritable;

    DescriptorChainReader(SplitVirtqueue owner, DmaSpace dma, String device, int queue, QueueLayout layout,
            boolean indirectAllowed) {
        this.owner = owner;
        this.dma = dma;
        this.device = device;
        this.queue = queue;
        this.layout = layout;
        this.indirectAllowed = indirectAllowed;
        this.visited = new BitSet(layout.size());
        this.visitedIndirect = new BitSet(layout.size());
        this.tableReads = new DmaRequester[layout.size()];
        this.buffers = new DmaRequester[layout.size()];
        this.indirectReads = new DmaRequester[layout.size()];
        this.indirectBuffers = new DmaRequester[layout.size()];
    }

    /** Direct descriptor {@code index}: the read of its table entry, or its buffer. */
    private DmaRequester direct(DmaRequester[] cache, int head, int index, String what) {
        DmaRequester r = cache[index];
        if (r == null || r.descriptorHead() != head) {
            r = new DmaRequester(device, queue, head, index, what);
            cache[index] = r;
        }
        return r;
    }

    /** Entry {@code entry} of the indirect table in descriptor {@code tableIndex}. */
    private DmaRequester indirect(DmaRequester[] cache, int head, int tableIndex, int entry, boolean buffer) {
        DmaRequester r = cache[entry];
        if (r == null || r.descriptorHead() != head || r.descriptorIndex() != tableIndex) {
            r = new DmaRequester(device, queue, head, tableIndex, buffer
                    ? "buffer (indirect entry " + entry + ")" : "indirect descriptor table entry " + entry);
            cache[entry] = r;
        }
        return r;
    }

    /** A descriptor's name in error messages; entry {@code < 0} for a direct descriptor. */
    private static String name(int index, int entry) {
        return entry < 0 ? "descriptor " + index : indirectName(index) + " table entry " + entry;
    }

    private static String indirectName(int tableIndex) {
        return "descriptor " + tableIndex + " (INDIRECT)";
    }

    /**
     * Reads the chain at {@code head} (already checked to be inside the table).
     *
     * @throws MalformedChainException if the chain breaks a rule; nothing of it may be used
     * @throws DmaFault                if the descriptor table itself cannot be read (a ring failure)
     */
    DescriptorChain read(int head) throws MalformedChainException {
        visited.clear();
        readable = new ArrayList<>(2);
        writable = new ArrayList<>(2);
        totalBytes = 0;
        descriptors = 0;
        seenWritable = false;
        int size = layout.size();
        int index = head;
        while (true) {
            if (visited.get(index)) {
                throw new MalformedChainException(String.format("descriptor %d is reached twice: the chain loops", index));
            }
            visited.set(index);
            dma.read(layout.descTable() + (long) Descriptor.BYTES * index, raw, 0, Descriptor.BYTES,
                    direct(tableReads, head, index, "descriptor table"));
            Descriptor d = Descriptor.decode(raw);
            if (d.indirect()) {
                readIndirect(head, index, d);
                break;
            }
            descriptors++;
            add(d, direct(buffers, head, index, "buffer"), index, -1);
            if (!d.hasNext()) {
                break;
            }
            if (d.next() >= size) {
                throw new MalformedChainException(String.format("descriptor %d: next %d is outside the table of %d entries",
                        index, d.next(), size));
            }
            index = d.next();
        }
        return new DescriptorChain(owner, dma, device, head, descriptors, readable, writable);
    }

    private void readIndirect(int head, int tableIndex, Descriptor table) throws MalformedChainException {
        if (!indirectAllowed) {
            throw new MalformedChainException(indirectName(tableIndex) + ": VIRTIO_F_INDIRECT_DESC was not negotiated (§2.7.5.3.1)");
        }
        if (table.hasNext()) {
            throw new MalformedChainException(indirectName(tableIndex) + ": INDIRECT and NEXT are both set (§2.7.5.3.1)");
        }
        if (table.length() == 0 || table.length() % Descriptor.BYTES != 0) {
            throw new MalformedChainException(String.format("%s: table length %d is not a non-zero multiple of 16",
                    indirectName(tableIndex), table.length()));
        }
        long entries = table.length() / Descriptor.BYTES;
        if (entries + descriptors > layout.size()) {
            throw new MalformedChainException(String.format(
                    "%s: a table of %d entries after %d direct descriptors makes the chain longer than the queue size %d",
                    indirectName(tableIndex), entries, descriptors, layout.size()));
        }
        if (Long.compareUnsigned(table.addr(), -table.length()) > 0) {
            throw new MalformedChainException(String.format("%s: table 0x%x+0x%x wraps the address space",
                    indirectName(tableIndex), table.addr(), table.length()));
        }
        visitedIndirect.clear();
        int entry = 0;
        while (true) {
            if (visitedIndirect.get(entry)) {
                throw new MalformedChainException(String.format("%s: table entry %d is reached twice: the chain loops",
                        indirectName(tableIndex), entry));
            }
            visitedIndirect.set(entry);
            try {
                dma.read(table.addr() + (long) Descriptor.BYTES * entry, raw, 0, Descriptor.BYTES,
                        indirect(indirectReads, head, tableIndex, entry, false));
            } catch (DmaFault f) {
                throw new MalformedChainException(name(tableIndex, entry) + " cannot be read: " + f.getMessage());
            }
            Descriptor d = Descriptor.decode(raw);
            if (d.indirect()) {
                throw new MalformedChainException(name(tableIndex, entry) + " sets INDIRECT: nested indirect tables are forbidden (§2.7.5.3.1)");
            }
            descriptors++;
            add(d, indirect(indirectBuffers, head, tableIndex, entry, true), tableIndex, entry);
            if (!d.hasNext()) {
                return;
            }
            if (d.next() >= entries) {
                throw new MalformedChainException(String.format("%s: next %d is outside the table of %d entries",
                        name(tableIndex, entry), d.next(), entries));
            }
            entry = d.next();
        }
    }

    private void add(Descriptor d, DmaRequester who, int index, int entry) throws MalformedChainException {
        if (d.writable()) {
            seenWritable = true;
        } else if (seenWritable) {
            throw new MalformedChainException(name(index, entry) + " is device-readable after a device-writable one (§2.7.4.2)");
        }
        if (d.length() == 0) {
            return;
        }
        if (Long.compareUnsigned(d.addr(), -d.length()) > 0) {
            throw new MalformedChainException(String.format("%s: buffer 0x%x+0x%x wraps the address space",
                    name(index, entry), d.addr(), d.length()));
        }
        totalBytes += d.length();
        if (totalBytes > MAX_CHAIN_BYTES) {
            throw new MalformedChainException(String.format(
                    "%s: the chain's buffers add up to %d bytes, more than a 32-bit used length can report (§2.7.5)",
                    name(index, entry), totalBytes));
        }
        if (layout.overlapsRings(d.addr(), d.length())) {
            throw new MalformedChainException(String.format("%s: buffer 0x%x+0x%x overlaps the queue's own rings",
                    name(index, entry), d.addr(), d.length()));
        }
        BufferSegment segment = new BufferSegment(d.addr(), d.length(), d.writable(), who);
        if (d.writable()) {
            writable.add(segment);
        } else {
            readable.add(segment);
        }
    }
}
