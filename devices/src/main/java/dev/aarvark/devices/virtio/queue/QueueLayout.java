package dev.aarvark.devices.virtio.queue;

/**
 * Where the three parts of a split virtqueue lie in device address space, for a queue of
 * {@code size} entries (virtio 1.2 §2.7): the descriptor table (16·size bytes, 16-byte aligned), the
 * available ring ("driver area": flags, idx, ring[size], used_event; 6 + 2·size bytes, 2-byte
 * aligned) and the used ring ("device area": flags, idx, ring[size] of 8-byte elements, avail_event;
 * 6 + 8·size bytes, 4-byte aligned). The event fields are part of the layout whether or not
 * VIRTIO_F_EVENT_IDX is negotiated, as in the spec's size table.
 *
 * <p>Invariants (checked by the factories): size is a power of two between 1 and the device's
 * maximum (§2.7: "Queue Size value is always a power of 2"); every part is aligned as §2.7 requires,
 * does not wrap the 64-bit address space, and no two parts overlap.
 *
 * @param size       number of entries
 * @param descTable  device address of the descriptor table
 * @param availRing  device address of the available ring
 * @param usedRing   device address of the used ring
 */
public record QueueLayout(int size, long descTable, long availRing, long usedRing) {
    /** The largest queue size the split ring allows (§2.7). */
    public static final int MAX_SIZE = 32768;
    /** The legacy QueueAlign default (QEMU's VIRTIO_PCI_VRING_ALIGN), used until the driver writes one. */
    public static final int LEGACY_DEFAULT_ALIGN = 4096;

    /** Bytes of the descriptor table. */
    public static long descTableBytes(int size) {
        return 16L * size;
    }

    /** Bytes of the available ring, including used_event. */
    public static long availRingBytes(int size) {
        return 6 + 2L * size;
    }

    /** Bytes of the used ring, including avail_event. */
    public static long usedRingBytes(int size) {
        return 6 + 8L * size;
    }

    /**
     * A modern layout from the QueueDesc, QueueDriver and QueueDevice registers (§4.2.2).
     *
     * @throws QueueLayoutException if the size or an address breaks a rule of §2.7
     */
    public static QueueLayout modern(int size, int maxSize, long desc, long avail, long used) throws QueueLayoutException {
        checkSize(size, maxSize);
        checkPart("descriptor table (QueueDesc)", desc, 16, descTableBytes(size));
        checkPart("available ring (QueueDriver)", avail, 2, availRingBytes(size));
        checkPart("used ring (QueueDevice)", used, 4, usedRingBytes(size));
        QueueLayout layout = new QueueLayout(size, desc, avail, used);
        if (overlap(desc, descTableBytes(size), avail, availRingBytes(size))
                || overlap(desc, descTableBytes(size), used, usedRingBytes(size))
                || overlap(avail, availRingBytes(size), used, usedRingBytes(size))) {
            throw new QueueLayoutException(String.format(
                    "the parts overlap: descriptor table 0x%x+0x%x, available ring 0x%x+0x%x, used ring 0x%x+0x%x",
                    desc, descTableBytes(size), avail, availRingBytes(size), used, usedRingBytes(size)));
        }
        return layout;
    }

    /**
     * The legacy layout (§2.7.2 "Legacy Interfaces: A Note on Virtqueue Layout"): one contiguous
     * area at {@code pfn · pageSize}, the available ring right after the descriptor table, and the
     * used ring at the next multiple of {@code align}.
     *
     * @throws QueueLayoutException if the size, page size or alignment is unusable
     */
    public static QueueLayout legacy(int size, int maxSize, long pfn, long pageSize, long align) throws QueueLayoutException {
        checkSize(size, maxSize);
        if (pageSize <= 0 || Long.bitCount(pageSize) != 1) {
            throw new QueueLayoutException("GuestPageSize " + pageSize + " is not a power of two (write it before QueuePFN)");
        }
        if (align <= 0 || Long.bitCount(align) != 1) {
            throw new QueueLayoutException("QueueAlign " + align + " is not a power of two");
        }
        if (pfn <= 0 || pfn > (Long.MAX_VALUE / pageSize)) {
            throw new QueueLayoutException(String.format("QueuePFN 0x%x with page size %d is not a usable address", pfn, pageSize));
        }
        long desc = pfn * pageSize;
        long avail = desc + descTableBytes(size);
        long used = (avail + availRingBytes(size) + align - 1) & -align;
        checkPart("legacy virtqueue", desc, 16, used + usedRingBytes(size) - desc);
        return new QueueLayout(size, desc, avail, used);
    }

    /** True if {@code [addr, addr+len)} overlaps any of the three parts. */
    public boolean overlapsRings(long addr, long len) {
        return overlap(addr, len, descTable, descTableBytes(size))
                || overlap(addr, len, availRing, availRingBytes(size))
                || overlap(addr, len, usedRing, usedRingBytes(size));
    }

    private static void checkSize(int size, int maxSize) throws QueueLayoutException {
        if (size <= 0 || Integer.bitCount(size) != 1 || size > maxSize || size > MAX_SIZE) {
            throw new QueueLayoutException("QueueNum " + size + " is not a power of two between 1 and QueueNumMax " + maxSize);
        }
    }

    private static void checkPart(String what, long addr, int alignment, long bytes) throws QueueLayoutException {
        if ((addr & (alignment - 1)) != 0) {
            throw new QueueLayoutException(String.format("%s at 0x%x is not %d-byte aligned", what, addr, alignment));
        }
        if (Long.compareUnsigned(addr, -bytes) > 0) {
            throw new QueueLayoutException(String.format("%s at 0x%x+0x%x wraps the address space", what, addr, bytes));
        }
    }

    /** True if two non-empty, non-wrapping ranges share a byte (unsigned addresses). */
    static boolean overlap(long a, long aLen, long b, long bLen) {
        if (aLen <= 0 || bLen <= 0) {
            return false;
        }
        return Long.compareUnsigned(a, b + bLen - 1) <= 0 && Long.compareUnsigned(b, a + aLen - 1) <= 0;
    }
}
