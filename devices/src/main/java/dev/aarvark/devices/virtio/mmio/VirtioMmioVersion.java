package dev.aarvark.devices.virtio.mmio;

/**
 * Which register interface a virtio-mmio transport presents (virtio 1.2 §4.2.2 and §4.2.4): the
 * Version register value, and which queue registers exist.
 */
public enum VirtioMmioVersion {
    /** Version 1: page-based queue addressing (GuestPageSize, QueueAlign, QueuePFN), no FEATURES_OK. */
    LEGACY(1),
    /** Version 2: 64-bit part addresses, QueueReady, VIRTIO_F_VERSION_1 required. */
    MODERN(2);

    private final int register;

    VirtioMmioVersion(int register) {
        this.register = register;
    }

    /** The value of the Version register. */
    public int register() {
        return register;
    }
}
