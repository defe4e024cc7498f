package dev.aarvark.iommu;

import dev.aarvark.memory.PhysicalAccessException;
import dev.aarvark.memory.PhysicalMemory;

/**
 * No IOMMU: device address = guest physical address (what QEMU's {@code virt} board gives virtio
 * devices without an IOMMU). An access that is not wholly inside RAM is refused with a
 * {@link DmaFault} and leaves memory unchanged.
 */
public final class BypassDmaSpace implements DmaSpace {
    private final PhysicalMemory memory;
    private final byte[] scratch = new byte[8];

    public BypassDmaSpace(PhysicalMemory memory) {
        this.memory = memory;
    }

    private void check(long address, long len, boolean write, DmaRequester who) {
        if (len < 0 || !memory.isRam(address, len)) {
            throw new DmaFault(address, len, write, who, "not guest RAM");
        }
    }

    @Override
    public void read(long address, byte[] dst, int off, int len, DmaRequester who) {
        check(address, len, false, who);
        try {
            memory.read(address, dst, off, len);
        } catch (PhysicalAccessException e) {
            throw new DmaFault(address, len, false, who, e.getMessage());
        }
    }

    @Override
    public void write(long address, byte[] src, int off, int len, DmaRequester who) {
        check(address, len, true, who);
        try {
            memory.write(address, src, off, len);
        } catch (PhysicalAccessException e) {
            throw new DmaFault(address, len, true, who, e.getMessage());
        }
    }

    @Override
    public int readShort(long address, DmaRequester who) {
        read(address, scratch, 0, 2, who);
        return (scratch[0] & 0xff) | (scratch[1] & 0xff) << 8;
    }

    @Override
    public int readInt(long address, DmaRequester who) {
        check(address, 4, false, who);
        return memory.readInt(address);
    }

    @Override
    public long readLong(long address, DmaRequester who) {
        check(address, 8, false, who);
        return memory.readLong(address);
    }

    @Override
    public void writeShort(long address, int value, DmaRequester who) {
        scratch[0] = (byte) value;
        scratch[1] = (byte) (value >>> 8);
        write(address, scratch, 0, 2, who);
    }

    @Override
    public void writeInt(long address, int value, DmaRequester who) {
        check(address, 4, true, who);
        memory.writeInt(address, value);
    }

    @Override
    public void writeLong(long address, long value, DmaRequester who) {
        check(address, 8, true, who);
        memory.writeLong(address, value);
    }
}
