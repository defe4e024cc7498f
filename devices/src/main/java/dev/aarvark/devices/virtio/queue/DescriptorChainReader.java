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
                    new DmaRequester(device, queue, head, index, "descriptor table"));
            Descriptor d = Descriptor.decode(raw);
            if (d.indirect()) {
                readIndirect(head, index, d);
                break;
            }
            descriptors++;
            add(d, new DmaRequester(device, queue, head, index, "buffer"), "descriptor " + index);
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
        String where = "descriptor " + tableIndex + " (INDIRECT)";
        if (!indirectAllowed) {
            throw new MalformedChainException(where + ": VIRTIO_F_INDIRECT_DESC was not negotiated (§2.7.5.3.1)");
        }
        if (table.hasNext()) {
            throw new MalformedChainException(where + ": INDIRECT and NEXT are both set (§2.7.5.3.1)");
        }
        if (table.length() == 0 || table.length() % Descriptor.BYTES != 0) {
            throw new MalformedChainException(String.format("%s: table length %d is not a non-zero multiple of 16",
                    where, table.length()));
        }
        long entries = table.length() / Descriptor.BYTES;
        if (entries + descriptors > layout.size()) {
            throw new MalformedChainException(String.format(
                    "%s: a table of %d entries after %d direct descriptors makes the chain longer than the queue size %d",
                    where, entries, descriptors, layout.size()));
        }
        if (Long.compareUnsigned(table.addr(), -table.length()) > 0) {
            throw new MalformedChainException(String.format("%s: table 0x%x+0x%x wraps the address space",
                    where, table.addr(), table.length()));
        }
        visitedIndirect.clear();
        int entry = 0;
        while (true) {
            if (visitedIndirect.get(entry)) {
                throw new MalformedChainException(String.format("%s: table entry %d is reached twice: the chain loops",
                        where, entry));
            }
            visitedIndirect.set(entry);
            try {
                dma.read(table.addr() + (long) Descriptor.BYTES * entry, raw, 0, Descriptor.BYTES,
                        new DmaRequester(device, queue, head, tableIndex, "indirect descriptor table entry " + entry));
            } catch (DmaFault f) {
                throw new MalformedChainException(where + ": table entry " + entry + " cannot be read: " + f.getMessage());
            }
            Descriptor d = Descriptor.decode(raw);
            String entryName = where + " table entry " + entry;
            if (d.indirect()) {
                throw new MalformedChainException(entryName + " sets INDIRECT: nested indirect tables are forbidden (§2.7.5.3.1)");
            }
            descriptors++;
            add(d, new DmaRequester(device, queue, head, tableIndex, "buffer (indirect entry " + entry + ")"), entryName);
            if (!d.hasNext()) {
                return;
            }
            if (d.next() >= entries) {
                throw new MalformedChainException(String.format("%s: next %d is outside the table of %d entries",
                        entryName, d.next(), entries));
            }
            entry = d.next();
        }
    }

    private void add(Descriptor d, DmaRequester who, String name) throws MalformedChainException {
        if (d.writable()) {
            seenWritable = true;
        } else if (seenWritable) {
            throw new MalformedChainException(name + " is device-readable after a device-writable one (§2.7.4.2)");
        }
        if (d.length() == 0) {
            return;
        }
        if (Long.compareUnsigned(d.addr(), -d.length()) > 0) {
            throw new MalformedChainException(String.format("%s: buffer 0x%x+0x%x wraps the address space",
                    name, d.addr(), d.length()));
        }
        totalBytes += d.length();
        if (totalBytes > MAX_CHAIN_BYTES) {
            throw new MalformedChainException(String.format(
                    "%s: the chain's buffers add up to %d bytes, more than a 32-bit used length can report (§2.7.5)",
                    name, totalBytes));
        }
        if (layout.overlapsRings(d.addr(), d.length())) {
            throw new MalformedChainException(String.format("%s: buffer 0x%x+0x%x overlaps the queue's own rings",
                    name, d.addr(), d.length()));
        }
        BufferSegment segment = new BufferSegment(d.addr(), d.length(), d.writable(), who);
        if (d.writable()) {
            writable.add(segment);
        } else {
            readable.add(segment);
        }
    }
}
