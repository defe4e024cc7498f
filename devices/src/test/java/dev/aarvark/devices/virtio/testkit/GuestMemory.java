package dev.aarvark.devices.virtio.testkit;

import dev.aarvark.iommu.BypassDmaSpace;
import dev.aarvark.memory.GuestRam;

import java.lang.foreign.Arena;

/**
 * Guest RAM for a test, at the {@code virt} board's RAM base, with a bump allocator for the rings
 * and buffers the test's "driver" places in it, and little-endian accessors. The first page is never
 * handed out. Closing it frees the RAM.
 */
public final class GuestMemory implements AutoCloseable {
    public static final long BASE = 0x4000_0000L;

    private final Arena arena = Arena.ofConfined();
    private final GuestRam ram;
    private final BypassDmaSpace dma;
    private long next = BASE + 0x1000;

    public GuestMemory(long size) {
        ram = GuestRam.allocate(arena, BASE, size);
        dma = new BypassDmaSpace(ram);
    }

    public GuestRam ram() {
        return ram;
    }

    /** Device address = physical address, refusing what is outside RAM. */
    public BypassDmaSpace dma() {
        return dma;
    }

    public long end() {
        return ram.end();
    }

    /** {@code size} bytes aligned to {@code align}, zeroed. */
    public long alloc(long size, long align) {
        long at = (next + align - 1) & -align;
        if (at + size > ram.end()) {
            throw new IllegalStateException("test guest memory exhausted");
        }
        next = at + size;
        ram.fill(at, size, (byte) 0);
        return at;
    }

    public void write(long addr, byte[] data) {
        ram.write(addr, data, 0, data.length);
    }

    public byte[] read(long addr, int len) {
        byte[] b = new byte[len];
        ram.read(addr, b, 0, len);
        return b;
    }

    public int u16(long addr) {
        return ram.readShort(addr) & 0xFFFF;
    }

    public long u32(long addr) {
        return ram.readInt(addr) & 0xFFFF_FFFFL;
    }

    public void putU16(long addr, int v) {
        ram.writeShort(addr, (short) v);
    }

    public void putU32(long addr, long v) {
        ram.writeInt(addr, (int) v);
    }

    public void putU64(long addr, long v) {
        ram.writeLong(addr, v);
    }

    @Override
    public void close() {
        arena.close();
    }
}
