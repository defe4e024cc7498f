package dev.aarvark.devices.virtio.mmio;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.RegisterError;
import dev.aarvark.devices.MmioDevice;

/**
 * A virtio-mmio transport slot of the {@code virt} board with no device behind it (virtio 1.2
 * §4.2.2: "DeviceID 0x0 ... the driver MUST ignore a device with DeviceID 0x0"). QEMU's board
 * always has its 32 transports; Linux's virtio_mmio driver probes each one listed in the device
 * tree, reads MagicValue, Version and DeviceID, and skips an empty slot.
 *
 * <p>Reads: MagicValue "virt", Version 2 (modern), DeviceID 0, VendorID "QEMU" (0x554D4551, as
 * QEMU's transports report); every other register reads 0. Writes are ignored; a write to an empty
 * slot other than the Status reset is reported as a guest error.
 */
public final class EmptyVirtioMmioSlot implements MmioDevice {
    /** The "virt" magic, little-endian. */
    public static final int MAGIC = 0x7472_6976;
    /** VendorID "QEMU". */
    public static final int VENDOR_QEMU = 0x554D_4551;
    /** Size of one transport slot. */
    public static final long SLOT_SIZE = 0x200;

    private static final int REG_MAGIC = 0x000;
    private static final int REG_VERSION = 0x004;
    private static final int REG_DEVICE_ID = 0x008;
    private static final int REG_VENDOR_ID = 0x00C;
    private static final int REG_STATUS = 0x070;

    private final String name;
    private final GuestErrorLog errors;

    /** An empty slot named {@code name} (e.g. "virtio-mmio@a000000") reporting to {@code errors}. */
    public EmptyVirtioMmioSlot(String name, GuestErrorLog errors) {
        this.name = name;
        this.errors = java.util.Objects.requireNonNull(errors, "errors");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return SLOT_SIZE;
    }

    @Override
    public long read(long offset, int size) {
        return switch ((int) offset) {
            case REG_MAGIC -> MAGIC;
            case REG_VERSION -> 2;
            case REG_DEVICE_ID -> 0;
            case REG_VENDOR_ID -> VENDOR_QEMU;
            default -> 0;
        };
    }

    @Override
    public void write(long offset, int size, long value) {
        if (offset != REG_STATUS || value != 0) {
            errors.report(name, RegisterError.EMPTY_SLOT_WRITE,
                    String.format("offset 0x%03x <- 0x%x ignored", offset, value));
        }
    }
}
