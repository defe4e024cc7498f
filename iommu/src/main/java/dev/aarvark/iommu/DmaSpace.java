package dev.aarvark.iommu;

/**
 * Guest memory as a device sees it: the one path every device memory access (DMA) takes. A device
 * holds a DmaSpace and never touches guest RAM any other way. Implementations translate the device
 * address (identity for {@link BypassDmaSpace}; through page tables for an IOMMU), may refuse an
 * access with a {@link DmaFault}, and see who is asking ({@link DmaRequester}), so writes can be
 * attributed and faults recorded.
 *
 * <p>Invariants: an access is all or nothing (a refused access changes no guest memory); values
 * are little-endian. Called on the vCPU thread.
 */
public interface DmaSpace {
    void read(long address, byte[] dst, int off, int len, DmaRequester who);

    void write(long address, byte[] src, int off, int len, DmaRequester who);

    int readShort(long address, DmaRequester who);

    int readInt(long address, DmaRequester who);

    long readLong(long address, DmaRequester who);

    void writeShort(long address, int value, DmaRequester who);

    void writeInt(long address, int value, DmaRequester who);

    void writeLong(long address, long value, DmaRequester who);

    /**
     * The device's driver has made it ready for use ({@code true}: virtio's DRIVER_OK, §3.1.1) or has
     * reset it ({@code false}). A space that refuses DMA until a driver is ready (a strict host
     * policy) takes note; the others ignore it. A device starts not ready.
     */
    default void driverReady(boolean ready) {
    }
}
