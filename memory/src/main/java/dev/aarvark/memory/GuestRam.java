package dev.aarvark.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * One contiguous bank of guest RAM: a 4 KiB-aligned off-heap {@link MemorySegment} at a guest
 * physical base address. The same bytes are handed to Unicorn with {@code uc_mem_map_ptr}, so the
 * CPU and Java (device DMA, loaders, the debugger) share them with no copies.
 *
 * <p>Every write through the accessors is recorded in {@link #hostWrites()} (the guest CPU's own
 * stores are not), so instruction-cache maintenance can drop what host code overwrote.
 *
 * <p>Invariants: base and size are multiples of 4 KiB; every accessor checks that the whole access
 * lies inside the bank and throws {@link PhysicalAccessException} otherwise (never a partial
 * access); multi-byte values are little-endian, as the guest sees them.
 */
public final class GuestRam implements PhysicalMemory {
    /** The translation granule Unicorn maps in, and the alignment of every bank. */
    public static final long PAGE = 4096;

    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private final long base;
    private final long size;
    private final MemorySegment segment;
    private final HostWrittenPages hostWrites;

    private GuestRam(long base, long size, MemorySegment segment) {
        this.base = base;
        this.size = size;
        this.segment = segment;
        this.hostWrites = new HostWrittenPages(base, size);
    }

    /**
     * Allocates a zeroed bank of {@code size} bytes at guest physical {@code base}, owned by
     * {@code arena} (closing the arena frees it; the bank must not be used by Unicorn afterwards).
     * Host pages are committed lazily (see {@link AnonymousMemory}).
     */
    public static GuestRam allocate(Arena arena, long base, long size) {
        if (size <= 0 || size % PAGE != 0) {
            throw new IllegalArgumentException("RAM size 0x" + Long.toHexString(size) + " is not a positive multiple of 4 KiB");
        }
        if (base % PAGE != 0 || base < 0 || base + size < base) {
            throw new IllegalArgumentException("RAM base 0x" + Long.toHexString(base) + " is not 4 KiB aligned or overflows");
        }
        return new GuestRam(base, size, AnonymousMemory.map(arena, size));
    }

    /** Guest physical address of the first byte. */
    public long base() {
        return base;
    }

    /** Size in bytes. */
    public long size() {
        return size;
    }

    /** Guest physical address one past the last byte. */
    public long end() {
        return base + size;
    }

    /**
     * The backing memory (for {@code uc_mem_map_ptr}). Writes through it are not recorded in
     * {@link #hostWrites()}: host code writes through this class's accessors.
     */
    public MemorySegment segment() {
        return segment;
    }

    /** True if {@code [pa, pa+len)} lies wholly inside this bank. */
    public boolean contains(long pa, long len) {
        return len >= 0 && pa >= base && pa - base <= size - len;
    }

    /** The pages written through this bank's accessors (not by the guest CPU) since last taken. */
    public HostWrittenPages hostWrites() {
        return hostWrites;
    }

    @Override
    public boolean isRam(long pa, long len) {
        return contains(pa, len);
    }

    @Override
    public byte readByte(long pa) {
        return segment.get(ValueLayout.JAVA_BYTE, offset(pa, 1));
    }

    public short readShort(long pa) {
        return segment.get(SHORT, offset(pa, 2));
    }

    @Override
    public int readInt(long pa) {
        return segment.get(INT, offset(pa, 4));
    }

    @Override
    public long readLong(long pa) {
        return segment.get(LONG, offset(pa, 8));
    }

    @Override
    public void writeByte(long pa, byte v) {
        segment.set(ValueLayout.JAVA_BYTE, offset(pa, 1), v);
        hostWrites.mark(pa, 1);
    }

    public void writeShort(long pa, short v) {
        segment.set(SHORT, offset(pa, 2), v);
        hostWrites.mark(pa, 2);
    }

    @Override
    public void writeInt(long pa, int v) {
        segment.set(INT, offset(pa, 4), v);
        hostWrites.mark(pa, 4);
    }

    @Override
    public void writeLong(long pa, long v) {
        segment.set(LONG, offset(pa, 8), v);
        hostWrites.mark(pa, 8);
    }

    @Override
    public void read(long pa, byte[] dst, int dstOff, int len) {
        MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, offset(pa, len), dst, dstOff, len);
    }

    @Override
    public void write(long pa, byte[] src, int srcOff, int len) {
        MemorySegment.copy(src, srcOff, segment, ValueLayout.JAVA_BYTE, offset(pa, len), len);
        hostWrites.mark(pa, len);
    }

    /** Fills {@code [pa, pa+len)} with {@code value}. */
    public void fill(long pa, long len, byte value) {
        segment.asSlice(offset(pa, len), len).fill(value);
        hostWrites.mark(pa, len);
    }

    private long offset(long pa, long len) {
        if (!contains(pa, len)) {
            throw new PhysicalAccessException(pa, len, "outside RAM [0x" + Long.toHexString(base) + ", 0x"
                    + Long.toHexString(end()) + ")");
        }
        return pa - base;
    }
}
