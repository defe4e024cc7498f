package dev.aarvark.iommu;

/**
 * Who is making a device memory access: the device, the queue, and the descriptor (the chain's
 * head and the index of the descriptor within the chain). Every DMA carries one, so a fault record
 * or a write watch can say "virtio-net RX queue, descriptor 3".
 *
 * @param device          the device's name, e.g. "virtio-console@a003e00"
 * @param queue           queue index, or {@link #NONE} for an access not tied to a queue
 * @param descriptorHead  head of the descriptor chain, or {@link #NONE}
 * @param descriptorIndex the descriptor's index in the table, or {@link #NONE}
 * @param what            what the access is for, e.g. "avail ring", "used ring", "buffer"
 */
public record DmaRequester(String device, int queue, int descriptorHead, int descriptorIndex, String what) {
    /** Field value for "not applicable". */
    public static final int NONE = -1;

    /** A device-level access (no queue). */
    public static DmaRequester device(String device, String what) {
        return new DmaRequester(device, NONE, NONE, NONE, what);
    }

    /** An access to a queue's rings. */
    public static DmaRequester queue(String device, int queue, String what) {
        return new DmaRequester(device, queue, NONE, NONE, what);
    }

    /** An access to a descriptor's buffer. */
    public static DmaRequester descriptor(String device, int queue, int head, int index) {
        return new DmaRequester(device, queue, head, index, "buffer");
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(device);
        if (queue != NONE) {
            sb.append(" queue ").append(queue);
        }
        if (descriptorIndex != NONE) {
            sb.append(" descriptor ").append(descriptorIndex);
            if (descriptorHead != descriptorIndex) {
                sb.append(" (chain head ").append(descriptorHead).append(')');
            }
        }
        if (what != null) {
            sb.append(' ').append(what);
        }
        return sb.toString();
    }
}
