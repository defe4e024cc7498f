package dev.aarvark.iommu;

/**
 * A device memory access that was refused: the address translates to nothing, lies outside RAM, or
 * the access is not permitted. The access did not happen (no partial transfer). Devices treat it as
 * a guest error on that request (for virtio: the device marks itself as needing a reset or drops
 * the request, as the device's model says); the DMA space also keeps a fault record.
 */
public class DmaFault extends RuntimeException {
    private final long address;
    private final long length;
    private final boolean write;
    private final DmaRequester requester;

    public DmaFault(long address, long length, boolean write, DmaRequester requester, String reason) {
        super(String.format("DMA %s of %d bytes at 0x%x by %s: %s", write ? "write" : "read", length, address,
                requester, reason));
        this.address = address;
        this.length = length;
        this.write = write;
        this.requester = requester;
    }

    /** The device address of the access. */
    public long address() {
        return address;
    }

    public long length() {
        return length;
    }

    public boolean write() {
        return write;
    }

    public DmaRequester requester() {
        return requester;
    }
}
