package dev.aarvark.memory;

/**
 * A guest physical access that no memory backs: outside every RAM bank, or inside a device region
 * that cannot be accessed as memory (for example a DMA aimed at MMIO). Carries the address and
 * length so the caller can name them in a guest error or a fault record.
 */
public class PhysicalAccessException extends RuntimeException {
    private final long address;
    private final long length;

    public PhysicalAccessException(long address, long length, String reason) {
        super("physical access [0x" + Long.toHexString(address) + ", +0x" + Long.toHexString(length) + ") " + reason);
        this.address = address;
        this.length = length;
    }

    /** Guest physical address of the first byte of the access. */
    public long address() {
        return address;
    }

    /** Length of the access in bytes. */
    public long length() {
        return length;
    }
}
