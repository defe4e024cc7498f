package dev.aarvark.iommu;

import dev.aarvark.memory.PhysicalAccessException;
import dev.aarvark.memory.PhysicalMemory;

/**
 * No IOMMU: device address = guest physical address (what QEMU's {@code virt} board gives virtio
 * devices without an IOMMU). An access that is not wholly inside RAM is refused with a
 * {@link DmaFault}, leaves memory unchanged, and is recorded (cause "not guest RAM") with the
 * machine's {@link DmaFaultRecorder}. Nothing else is checked, so this costs one bounds check.
 */
public final class BypassDmaSpace implements DmaSpace {
    private final PhysicalMemory memory;
    private final DmaFaultRecorder recorder;
    private final byte[] scratch = new byte[8];

    /** Guest RAM as devices see it without an IOMMU, with refusals recorded nowhere. */
    public BypassDmaSpace(PhysicalMemory memory) {
        this(memory, DmaFaultRecorder.NONE);
    }

    /** Guest RAM as devices see it without an IOMMU; each refused access goes to {@code recorder}. */
    public BypassDmaSpace(PhysicalMemory memory, DmaFaultRecorder recorder) {
        this.memory = memory;
        this.recorder = recorder;
    }

    /** The cause of a refusal of an access that is not wholly inside RAM. */
    public static final String NOT_RAM = "not guest RAM";

    private void check(long address, long len, boolean write, DmaRequester who) {
        if (len < 0 || !memory.isRam(address, len)) {
            refuse(address, len, write, who, null);
        }
    }

    private void refuse(long address, long len, boolean write, DmaRequester who, String detail) {
        recorder.record(new DmaFaultRecord(who, address, DmaFaultRecord.UNTRANSLATED, len, write, NOT_RAM, detail, true));
        throw new DmaFault(address, len, write, who, detail == null ? NOT_RAM : NOT_RAM + ": " + detail);
    }

    @Override
    public void read(long address, byte[] dst, int off, int len, DmaRequester who) {
        check(address, len, false, who);
        try {
            memory.read(address, dst, off, len);
        } catch (PhysicalAccessException e) {
            refuse(address, len, false, who, e.getMessage());
        }
    }

    @Override
    public void write(long address, byte[] src, int off, int len, DmaRequester who) {
        check(address, len, true, who);
        try {
            memory.write(address, src, off, len);
        } catch (PhysicalAccessException e) {
            refuse(address, len, true, who, e.getMessage());
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
