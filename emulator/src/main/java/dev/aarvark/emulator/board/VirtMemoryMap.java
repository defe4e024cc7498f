package dev.aarvark.emulator.board;

/**
 * QEMU's {@code virt} board memory map, as QEMU 7.2 lays it out (hw/arm/virt.c {@code base_memmap},
 * and the device tree {@code qemu-system-aarch64 -M virt,dumpdtb=FILE} writes). Guests built for {@code qemu-arm-virt}
 * hard-code these addresses, so they are copied, not chosen.
 */
public final class VirtMemoryMap {
    private VirtMemoryMap() {}

    /** GIC distributor (v2 and v3). */
    public static final long GIC_DIST = 0x0800_0000L;
    public static final long GIC_DIST_SIZE = 0x1_0000L;
    /** GICv2 CPU interface. */
    public static final long GIC_CPU = 0x0801_0000L;
    public static final long GIC_CPU_SIZE = 0x1_0000L;
    /** GICv3 redistributor region (two 64 KiB frames per CPU). */
    public static final long GIC_REDIST = 0x080A_0000L;
    public static final long GIC_REDIST_SIZE_PER_CPU = 0x2_0000L;
    /** PL011 UART, SPI 1. */
    public static final long UART = 0x0900_0000L;
    public static final long UART_SIZE = 0x1000L;
    public static final int UART_SPI = 1;
    /** PL031 RTC, SPI 2. */
    public static final long RTC = 0x0901_0000L;
    public static final long RTC_SIZE = 0x1000L;
    public static final int RTC_SPI = 2;
    /** First virtio-mmio transport; 32 of them, 0x200 apart, SPI 16 + n. */
    public static final long VIRTIO_MMIO = 0x0A00_0000L;
    public static final long VIRTIO_MMIO_SIZE = 0x200L;
    public static final int VIRTIO_MMIO_COUNT = 32;
    public static final int VIRTIO_MMIO_FIRST_SPI = 16;
    /** Start of RAM. */
    public static final long RAM = 0x4000_0000L;
    /** RAM may extend up to the high PCIe ECAM window at 256 GiB (QEMU's limit of 255 GiB). */
    public static final long RAM_LIMIT = 0x40_0000_0000L;
}
