package dev.aarvark.devices.virtio.testkit;

import dev.aarvark.iommu.DmaRequester;
import dev.aarvark.iommu.DmaSpace;

import java.util.ArrayList;
import java.util.List;

/** A DMA space that passes accesses on and records every write that happened (refused ones are not recorded). */
public final class RecordingDmaSpace implements DmaSpace {
    /** One completed device write. */
    public record Write(long address, int length, DmaRequester requester) {
        public long end() {
            return address + length;
        }
    }

    private final DmaSpace inner;
    private final List<Write> writes = new ArrayList<>();
    private long reads;
    private final List<Boolean> readiness = new ArrayList<>();

    public RecordingDmaSpace(DmaSpace inner) {
        this.inner = inner;
    }

    public List<Write> writes() {
        return writes;
    }

    public long reads() {
        return reads;
    }

    /** Every {@link #driverReady} call, in order. */
    public List<Boolean> readiness() {
        return readiness;
    }

    @Override
    public void driverReady(boolean ready) {
        readiness.add(ready);
        inner.driverReady(ready);
    }

    public void clear() {
        writes.clear();
        reads = 0;
    }

    @Override
    public void read(long address, byte[] dst, int off, int len, DmaRequester who) {
        inner.read(address, dst, off, len, who);
        reads++;
    }

    @Override
    public void write(long address, byte[] src, int off, int len, DmaRequester who) {
        inner.write(address, src, off, len, who);
        writes.add(new Write(address, len, who));
    }

    @Override
    public int readShort(long address, DmaRequester who) {
        int v = inner.readShort(address, who);
        reads++;
        return v;
    }

    @Override
    public int readInt(long address, DmaRequester who) {
        int v = inner.readInt(address, who);
        reads++;
        return v;
    }

    @Override
    public long readLong(long address, DmaRequester who) {
        long v = inner.readLong(address, who);
        reads++;
        return v;
    }

    @Override
    public void writeShort(long address, int value, DmaRequester who) {
        inner.writeShort(address, value, who);
        writes.add(new Write(address, 2, who));
    }

    @Override
    public void writeInt(long address, int value, DmaRequester who) {
        inner.writeInt(address, value, who);
        writes.add(new Write(address, 4, who));
    }

    @Override
    public void writeLong(long address, long value, DmaRequester who) {
        inner.writeLong(address, value, who);
        writes.add(new Write(address, 8, who));
    }
}
