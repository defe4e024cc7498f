package dev.aarvark.devices.virtio.testkit;

import dev.aarvark.devices.virtio.DeviceStatus;
import dev.aarvark.devices.virtio.mmio.VirtioMmioTransport;

/**
 * Register pokes on a virtio-mmio transport in the order Linux's virtio_mmio and virtio core use
 * them (drivers/virtio/virtio_mmio.c: vm_get_features, vm_finalize_features, vm_setup_vq,
 * vm_notify, vm_interrupt), plus raw access for hostile sequences.
 */
public final class MmioDriver {
    public static final int MAGIC = 0x000;
    public static final int VERSION = 0x004;
    public static final int DEVICE_ID = 0x008;
    public static final int VENDOR_ID = 0x00C;
    public static final int DEVICE_FEATURES = 0x010;
    public static final int DEVICE_FEATURES_SEL = 0x014;
    public static final int DRIVER_FEATURES = 0x020;
    public static final int DRIVER_FEATURES_SEL = 0x024;
    public static final int GUEST_PAGE_SIZE = 0x028;
    public static final int QUEUE_SEL = 0x030;
    public static final int QUEUE_NUM_MAX = 0x034;
    public static final int QUEUE_NUM = 0x038;
    public static final int QUEUE_ALIGN = 0x03C;
    public static final int QUEUE_PFN = 0x040;
    public static final int QUEUE_READY = 0x044;
    public static final int QUEUE_NOTIFY = 0x050;
    public static final int INTERRUPT_STATUS = 0x060;
    public static final int INTERRUPT_ACK = 0x064;
    public static final int STATUS = 0x070;
    public static final int QUEUE_DESC_LOW = 0x080;
    public static final int QUEUE_DESC_HIGH = 0x084;
    public static final int QUEUE_DRIVER_LOW = 0x090;
    public static final int QUEUE_DRIVER_HIGH = 0x094;
    public static final int QUEUE_DEVICE_LOW = 0x0A0;
    public static final int QUEUE_DEVICE_HIGH = 0x0A4;
    public static final int SHM_SEL = 0x0AC;
    public static final int SHM_LEN_LOW = 0x0B0;
    public static final int SHM_LEN_HIGH = 0x0B4;
    public static final int SHM_BASE_LOW = 0x0B8;
    public static final int SHM_BASE_HIGH = 0x0BC;
    public static final int CONFIG_GENERATION = 0x0FC;
    public static final int CONFIG = 0x100;

    private final VirtioMmioTransport transport;

    public MmioDriver(VirtioMmioTransport transport) {
        this.transport = transport;
    }

    public VirtioMmioTransport transport() {
        return transport;
    }

    public long read(int offset) {
        return transport.read(offset, 4);
    }

    public void write(int offset, long value) {
        transport.write(offset, 4, value);
    }

    public int status() {
        return (int) read(STATUS);
    }

    /** Linux's virtio_add_status: read, OR, write. */
    public void addStatus(int bits) {
        write(STATUS, status() | bits);
    }

    public void reset() {
        write(STATUS, 0);
    }

    /** The 64 offered feature bits, high page first as vm_get_features reads them. */
    public long deviceFeatures() {
        write(DEVICE_FEATURES_SEL, 1);
        long high = read(DEVICE_FEATURES);
        write(DEVICE_FEATURES_SEL, 0);
        return high << 32 | read(DEVICE_FEATURES);
    }

    /** vm_finalize_features: both pages of the driver's features. */
    public void writeDriverFeatures(long features) {
        write(DRIVER_FEATURES_SEL, 0);
        write(DRIVER_FEATURES, features & 0xFFFF_FFFFL);
        write(DRIVER_FEATURES_SEL, 1);
        write(DRIVER_FEATURES, features >>> 32);
    }

    /** Reset, ACKNOWLEDGE, DRIVER, features, FEATURES_OK (modern); returns the status read back. */
    public int negotiate(long features, boolean modern) {
        reset();
        addStatus(DeviceStatus.ACKNOWLEDGE);
        addStatus(DeviceStatus.DRIVER);
        deviceFeatures();
        writeDriverFeatures(features);
        if (modern) {
            addStatus(DeviceStatus.FEATURES_OK);
        }
        return status();
    }

    /** vm_setup_vq for a modern transport. */
    public void setupModernQueue(DriverQueue q) {
        write(QUEUE_SEL, q.index);
        write(QUEUE_NUM, q.size);
        write(QUEUE_DESC_LOW, q.desc & 0xFFFF_FFFFL);
        write(QUEUE_DESC_HIGH, q.desc >>> 32);
        write(QUEUE_DRIVER_LOW, q.avail & 0xFFFF_FFFFL);
        write(QUEUE_DRIVER_HIGH, q.avail >>> 32);
        write(QUEUE_DEVICE_LOW, q.used & 0xFFFF_FFFFL);
        write(QUEUE_DEVICE_HIGH, q.used >>> 32);
        write(QUEUE_READY, 1);
    }

    /** vm_setup_vq for a legacy transport (GuestPageSize written at probe). */
    public void setupLegacyQueue(DriverQueue q, int align) {
        write(QUEUE_SEL, q.index);
        write(QUEUE_NUM, q.size);
        write(QUEUE_ALIGN, align);
        write(QUEUE_PFN, q.pfn());
    }

    public void driverOk() {
        addStatus(DeviceStatus.DRIVER_OK);
    }

    public void notify(int queue) {
        write(QUEUE_NOTIFY, queue);
    }

    /** vm_interrupt: read InterruptStatus and acknowledge it; returns what was read. */
    public int takeInterrupt() {
        int s = (int) read(INTERRUPT_STATUS);
        write(INTERRUPT_ACK, s);
        return s;
    }

    public long readConfig(int offset, int size) {
        return transport.read(CONFIG + offset, size);
    }

    public void writeConfig(int offset, int size, long value) {
        transport.write(CONFIG + offset, size, value);
    }
}
