package dev.aarvark.iommu;

/**
 * One device memory access that a {@link DmaSpace} refused or flagged: who made it, where, how big,
 * which way, and why. A refused access did not happen; a flagged one (a permissive policy) did.
 *
 * @param requester  device, queue and descriptor of the access
 * @param address    the device address (IOVA) of the access
 * @param translated the physical address it translated to, or {@link #UNTRANSLATED} when there was
 *                   no translation (bypass, a host policy, or a translation that failed)
 * @param length     bytes in the access
 * @param write      true for a device write to memory, false for a read
 * @param cause      a short, stable name of the reason, the same for every repeat of the same
 *                   mistake: "not guest RAM", "outside the DMA windows", "before DRIVER_OK", or an SMMU
 *                   event type such as "F_TRANSLATION"
 * @param detail     the particulars (the windows, the descriptor, the walk level), free text
 * @param refused    true if the access was aborted, false if it was let through and only recorded
 */
public record DmaFaultRecord(DmaRequester requester, long address, long translated, long length, boolean write,
                             String cause, String detail, boolean refused) {
    /** The {@link #translated} value of an access that was not translated. */
    public static final long UNTRANSLATED = -1;

    /** The device's name as its requests carry it. */
    public String device() {
        return requester.device();
    }

    /**
     * One line for a person: "virtio-net@a003e00 queue 0 descriptor 2 buffer: DMA write of 1526 bytes at
     * 0x40310000 refused: outside the DMA windows (virtio-net0 may use [0x40300000, 0x40310000) rw)".
     */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        sb.append(requester).append(": DMA ").append(write ? "write" : "read").append(" of ").append(length)
                .append(length == 1 ? " byte" : " bytes").append(" at 0x").append(Long.toHexString(address));
        if (translated != UNTRANSLATED) {
            sb.append(" (PA 0x").append(Long.toHexString(translated)).append(')');
        }
        sb.append(refused ? " refused: " : " allowed but flagged: ").append(cause);
        if (detail != null && !detail.isEmpty()) {
            sb.append(" (").append(detail).append(')');
        }
        return sb.toString();
    }
}
