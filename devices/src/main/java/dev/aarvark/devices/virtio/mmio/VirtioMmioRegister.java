package dev.aarvark.devices.virtio.mmio;

/**
 * The control registers of a virtio-mmio transport below the configuration space (virtio 1.2
 * §4.2.2 table "MMIO Device Register Layout", §4.2.4 "Legacy interface"), each with its offset, its
 * spec name, its direction, and which interface has it. Every register is 32 bits wide. QueueReset
 * (0x0c0) is absent: VIRTIO_F_RING_RESET is not offered.
 */
enum VirtioMmioRegister {
    MAGIC_VALUE(0x000, "MagicValue", Access.R, Interface.BOTH),
    VERSION(0x004, "Version", Access.R, Interface.BOTH),
    DEVICE_ID(0x008, "DeviceID", Access.R, Interface.BOTH),
    VENDOR_ID(0x00C, "VendorID", Access.R, Interface.BOTH),
    DEVICE_FEATURES(0x010, "DeviceFeatures", Access.R, Interface.BOTH),
    DEVICE_FEATURES_SEL(0x014, "DeviceFeaturesSel", Access.W, Interface.BOTH),
    DRIVER_FEATURES(0x020, "DriverFeatures", Access.W, Interface.BOTH),
    DRIVER_FEATURES_SEL(0x024, "DriverFeaturesSel", Access.W, Interface.BOTH),
    GUEST_PAGE_SIZE(0x028, "GuestPageSize", Access.W, Interface.LEGACY),
    QUEUE_SEL(0x030, "QueueSel", Access.W, Interface.BOTH),
    QUEUE_NUM_MAX(0x034, "QueueNumMax", Access.R, Interface.BOTH),
    QUEUE_NUM(0x038, "QueueNum", Access.W, Interface.BOTH),
    QUEUE_ALIGN(0x03C, "QueueAlign", Access.W, Interface.LEGACY),
    QUEUE_PFN(0x040, "QueuePFN", Access.RW, Interface.LEGACY),
    QUEUE_READY(0x044, "QueueReady", Access.RW, Interface.MODERN),
    QUEUE_NOTIFY(0x050, "QueueNotify", Access.W, Interface.BOTH),
    INTERRUPT_STATUS(0x060, "InterruptStatus", Access.R, Interface.BOTH),
    INTERRUPT_ACK(0x064, "InterruptACK", Access.W, Interface.BOTH),
    STATUS(0x070, "Status", Access.RW, Interface.BOTH),
    QUEUE_DESC_LOW(0x080, "QueueDescLow", Access.W, Interface.MODERN),
    QUEUE_DESC_HIGH(0x084, "QueueDescHigh", Access.W, Interface.MODERN),
    QUEUE_DRIVER_LOW(0x090, "QueueDriverLow", Access.W, Interface.MODERN),
    QUEUE_DRIVER_HIGH(0x094, "QueueDriverHigh", Access.W, Interface.MODERN),
    QUEUE_DEVICE_LOW(0x0A0, "QueueDeviceLow", Access.W, Interface.MODERN),
    QUEUE_DEVICE_HIGH(0x0A4, "QueueDeviceHigh", Access.W, Interface.MODERN),
    SHM_SEL(0x0AC, "SHMSel", Access.W, Interface.MODERN),
    SHM_LEN_LOW(0x0B0, "SHMLenLow", Access.R, Interface.MODERN),
    SHM_LEN_HIGH(0x0B4, "SHMLenHigh", Access.R, Interface.MODERN),
    SHM_BASE_LOW(0x0B8, "SHMBaseLow", Access.R, Interface.MODERN),
    SHM_BASE_HIGH(0x0BC, "SHMBaseHigh", Access.R, Interface.MODERN),
    CONFIG_GENERATION(0x0FC, "ConfigGeneration", Access.R, Interface.MODERN);

    /** Direction as the spec's table gives it. */
    enum Access { R, W, RW }

    /** Which register interface has the register. */
    enum Interface { BOTH, MODERN, LEGACY }

    private static final VirtioMmioRegister[] BY_WORD = new VirtioMmioRegister[0x100 / 4];

    static {
        for (VirtioMmioRegister r : values()) {
            BY_WORD[r.offset / 4] = r;
        }
    }

    final int offset;
    final String specName;
    final Access access;
    final Interface iface;

    VirtioMmioRegister(int offset, String specName, Access access, Interface iface) {
        this.offset = offset;
        this.specName = specName;
        this.access = access;
        this.iface = iface;
    }

    /** The register at a 4-byte aligned offset below 0x100, or {@code null}. */
    static VirtioMmioRegister at(int offset) {
        return offset >= 0 && offset < 0x100 && (offset & 3) == 0 ? BY_WORD[offset / 4] : null;
    }

    boolean readable() {
        return access != Access.W;
    }

    boolean writable() {
        return access != Access.R;
    }

    boolean existsOn(VirtioMmioVersion version) {
        return iface == Interface.BOTH || (iface == Interface.MODERN) == (version == VirtioMmioVersion.MODERN);
    }
}
