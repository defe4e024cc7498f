package dev.aarvark.iommu.smmuv3;

import dev.aarvark.iommu.DmaFault;
import dev.aarvark.iommu.DmaFaultRecord;
import dev.aarvark.iommu.DmaFaultRecorder;
import dev.aarvark.iommu.DmaRequester;
import dev.aarvark.iommu.DmaSpace;

/**
 * Guest memory as one stream behind an {@link SmmuV3} sees it: each device address goes through the
 * SMMU (its STE, CD, IOTLB and walks) and the access then goes to {@code ram}, the board's path to RAM,
 * at the translated address.
 *
 * <p>What it keeps true: an access is all or nothing. Every page it touches is translated first; if
 * any is refused (a fault, an abort, a write to a read-only page, or a translated address outside
 * RAM) no byte moves, the refusal goes to the recorder with the SMMU's reason (the event type, such
 * as "F_TRANSLATION", or the configuration that aborts), and a {@link DmaFault} is thrown, as
 * {@link dev.aarvark.iommu.BypassDmaSpace} does. The last page translated is remembered until the
 * SMMU's caches change, so streaming through one page costs one comparison.
 */
public final class SmmuDmaSpace implements DmaSpace {
    private final SmmuV3 smmu;
    private final int streamId;
    private final DmaSpace ram;
    private final DmaFaultRecorder recorder;
    private final long[] out = new long[2];
    private final byte[] scratch = new byte[8];
    private long lastPage = -1;
    private long lastPa;
    private boolean lastWritable;
    private long lastGeneration = -1;

    /**
     * @param smmu     the SMMU the stream is behind
     * @param streamId the stream's StreamID
     * @param ram      where translated accesses go (the board's {@code BypassDmaSpace})
     * @param recorder where refusals are recorded
     */
    public SmmuDmaSpace(SmmuV3 smmu, int streamId, DmaSpace ram, DmaFaultRecorder recorder) {
        this.smmu = smmu;
        this.streamId = streamId;
        this.ram = ram;
        this.recorder = recorder;
    }

    /** The stream's StreamID. */
    public int streamId() {
        return streamId;
    }

    /** The physical address of {@code len} bytes at {@code iova} if they stay in one page, else -1. */
    private long singlePage(long iova, int len, boolean write, DmaRequester who) {
        if (len <= 0 || (iova & 0xfff) + len > 4096) {
            return -1;
        }
        long page = iova >>> 12;
        long gen = smmu.generation();
        if (page == lastPage && gen == lastGeneration && (lastWritable || !write)) {
            return lastPa | (iova & 0xfff);
        }
        long pa = translateOne(iova, len, write, who);
        if (out[0] >= 4096 - (iova & 0xfff) && out[0] != 0) {
            // The translation covers the rest of the page: remember it for the next access.
            lastPage = page;
            lastPa = pa & ~0xfffL;
            lastWritable = out[1] != 0;
            lastGeneration = smmu.generation();
        }
        return pa;
    }

    private long translateOne(long iova, int len, boolean write, DmaRequester who) {
        try {
            return smmu.translate(streamId, iova, write, out);
        } catch (SmmuAbort a) {
            recorder.record(new DmaFaultRecord(who, iova, DmaFaultRecord.UNTRANSLATED, len, write, a.cause,
                    "SMMU " + a.detail, true));
            throw new DmaFault(iova, len, write, who, "SMMU " + a.cause + " (" + a.detail + ")");
        }
    }

    /** Translates a range that crosses pages: the physical pieces as (pa, length) pairs, all checked first. */
    private long[] pieces(long iova, int len, boolean write, DmaRequester who) {
        if (len < 0) {
            throw new DmaFault(iova, len, write, who, "negative length");
        }
        long[] parts = new long[8];
        int n = 0;
        long at = iova;
        int left = len;
        while (left > 0) {
            long pa = translateOne(at, len, write, who);
            int chunk = (int) Math.min(left, out[0]);
            if (n + 2 > parts.length) {
                parts = java.util.Arrays.copyOf(parts, parts.length * 2);
            }
            if (n > 0 && parts[n - 2] + parts[n - 1] == pa) {
                parts[n - 1] += chunk;
            } else {
                parts[n++] = pa;
                parts[n++] = chunk;
            }
            at += chunk;
            left -= chunk;
        }
        return java.util.Arrays.copyOf(parts, n);
    }

    @Override
    public void read(long address, byte[] dst, int off, int len, DmaRequester who) {
        long pa = singlePage(address, len, false, who);
        if (pa >= 0) {
            ram.read(pa, dst, off, len, who);
            return;
        }
        long[] parts = pieces(address, len, false, who);
        for (int i = 0; i < parts.length; i += 2) {
            ram.read(parts[i], dst, off, (int) parts[i + 1], who);
            off += (int) parts[i + 1];
        }
    }

    @Override
    public void write(long address, byte[] src, int off, int len, DmaRequester who) {
        long pa = singlePage(address, len, true, who);
        if (pa >= 0) {
            ram.write(pa, src, off, len, who);
            return;
        }
        long[] parts = pieces(address, len, true, who);
        for (int i = 0; i < parts.length; i += 2) {
            if (!smmu.memory().isRam(parts[i], parts[i + 1])) {
                // Every piece is checked before any is written (all or nothing): RAM's own path refuses
                // and records this one.
                ram.write(parts[i], src, off, (int) parts[i + 1], who);
            }
        }
        for (int i = 0; i < parts.length; i += 2) {
            ram.write(parts[i], src, off, (int) parts[i + 1], who);
            off += (int) parts[i + 1];
        }
    }

    @Override
    public int readShort(long address, DmaRequester who) {
        read(address, scratch, 0, 2, who);
        return (scratch[0] & 0xff) | (scratch[1] & 0xff) << 8;
    }

    @Override
    public int readInt(long address, DmaRequester who) {
        long pa = singlePage(address, 4, false, who);
        if (pa >= 0) {
            return ram.readInt(pa, who);
        }
        read(address, scratch, 0, 4, who);
        return (scratch[0] & 0xff) | (scratch[1] & 0xff) << 8 | (scratch[2] & 0xff) << 16 | (scratch[3] & 0xff) << 24;
    }

    @Override
    public long readLong(long address, DmaRequester who) {
        long pa = singlePage(address, 8, false, who);
        if (pa >= 0) {
            return ram.readLong(pa, who);
        }
        read(address, scratch, 0, 8, who);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (scratch[i] & 0xff);
        }
        return v;
    }

    @Override
    public void writeShort(long address, int value, DmaRequester who) {
        scratch[0] = (byte) value;
        scratch[1] = (byte) (value >>> 8);
        write(address, scratch, 0, 2, who);
    }

    @Override
    public void writeInt(long address, int value, DmaRequester who) {
        long pa = singlePage(address, 4, true, who);
        if (pa >= 0) {
            ram.writeInt(pa, value, who);
            return;
        }
        for (int i = 0; i < 4; i++) {
            scratch[i] = (byte) (value >>> (8 * i));
        }
        write(address, scratch, 0, 4, who);
    }

    @Override
    public void writeLong(long address, long value, DmaRequester who) {
        long pa = singlePage(address, 8, true, who);
        if (pa >= 0) {
            ram.writeLong(pa, value, who);
            return;
        }
        for (int i = 0; i < 8; i++) {
            scratch[i] = (byte) (value >>> (8 * i));
        }
        write(address, scratch, 0, 8, who);
    }
}
