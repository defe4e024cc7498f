package dev.aarvark.devices.virtio.queue;

/**
 * One {@code struct virtq_desc} as the driver wrote it (virtio 1.2 §2.7.5): a buffer address and
 * length, flags, and the index of the next descriptor. Values are unsigned: {@code length} is
 * 0..2^32-1, {@code flags} and {@code next} are 0..65535.
 *
 * @param addr   device address of the buffer (or of an indirect table)
 * @param length buffer length in bytes
 * @param flags  {@link #F_NEXT}, {@link #F_WRITE}, {@link #F_INDIRECT}
 * @param next   the next descriptor's index when {@link #F_NEXT} is set
 */
public record Descriptor(long addr, long length, int flags, int next) {
    /** Size of a descriptor in a table. */
    public static final int BYTES = 16;
    /** The buffer continues in descriptor {@code next}. */
    public static final int F_NEXT = 1;
    /** The buffer is device-writable (otherwise device-readable). */
    public static final int F_WRITE = 2;
    /** The buffer is an indirect descriptor table. */
    public static final int F_INDIRECT = 4;

    /** Decodes 16 little-endian bytes at {@code raw[0..16)}. */
    static Descriptor decode(byte[] raw) {
        long addr = 0;
        for (int i = 7; i >= 0; i--) {
            addr = addr << 8 | (raw[i] & 0xFF);
        }
        long len = (raw[8] & 0xFFL) | (raw[9] & 0xFFL) << 8 | (raw[10] & 0xFFL) << 16 | (raw[11] & 0xFFL) << 24;
        int flags = (raw[12] & 0xFF) | (raw[13] & 0xFF) << 8;
        int next = (raw[14] & 0xFF) | (raw[15] & 0xFF) << 8;
        return new Descriptor(addr, len, flags, next);
    }

    public boolean hasNext() {
        return (flags & F_NEXT) != 0;
    }

    public boolean writable() {
        return (flags & F_WRITE) != 0;
    }

    public boolean indirect() {
        return (flags & F_INDIRECT) != 0;
    }
}
