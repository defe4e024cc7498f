package dev.aarvark.emulator.board;

import dev.aarvark.emulator.board.Interrupt.Trigger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The board table of QEMU's {@code virt} machine: every device aarvark models, at QEMU 7.2's
 * address with QEMU's interrupt numbers and device tree description ({@code hw/arm/virt.c}
 * {@code base_memmap} and {@code a15irqmap}, and the tree {@code -M virt,dumpdtb=FILE} writes).
 * Guests built for {@code qemu-arm-virt} hard-code these, so they are copied, not chosen.
 *
 * <p>This is the board's only description. The machine maps each device at its line's base and
 * connects the line's interrupts; {@code boot.VirtDeviceTree} lists the same lines. A device added
 * here and given a model appears in both; {@code MachineWiringTest} checks the generated tree
 * against what the machine actually mapped and connected.
 */
public final class VirtBoard {
    private VirtBoard() {
    }

    /** Start of RAM. */
    public static final long RAM_BASE = 0x4000_0000L;
    /** RAM may extend up to the high PCIe ECAM window at 256 GiB (QEMU's limit of 255 GiB). */
    public static final long RAM_LIMIT = 0x40_0000_0000L;
    /** The most RAM the board's window holds. */
    public static final long RAM_MAX = RAM_LIMIT - RAM_BASE;

    /** GIC distributor (v2 and v3). */
    public static final long GIC_DIST = 0x0800_0000L;
    public static final long GIC_DIST_SIZE = 0x1_0000L;
    /** GICv2 CPU interface. */
    public static final long GIC_CPU = 0x0801_0000L;
    public static final long GIC_CPU_SIZE = 0x1_0000L;
    /** GICv3 redistributor region: QEMU's one region (each CPU's redistributor takes 128 KiB of it). */
    public static final long GIC_REDIST = 0x080A_0000L;
    public static final long GIC_REDIST_REGION_SIZE = 0x00F6_0000L;

    /** The 24 MHz APB clock that feeds the PrimeCells' {@code apb_pclk} and the UART's {@code uartclk}. */
    public static final int APB_CLOCK_HZ = 24_000_000;

    /** PL011 UART, SPI 1. */
    public static final BoardDevice UART = new BoardDevice("pl011", 0x0900_0000L, 0x1000L,
            List.of(Interrupt.spi(1, Trigger.LEVEL_HIGH)), List.of("arm,pl011", "arm,primecell"),
            List.of("uartclk", "apb_pclk"), false);
    /** PL031 real-time clock, SPI 2. */
    public static final BoardDevice RTC = new BoardDevice("pl031", 0x0901_0000L, 0x1000L,
            List.of(Interrupt.spi(2, Trigger.LEVEL_HIGH)), List.of("arm,pl031", "arm,primecell"),
            List.of("apb_pclk"), false);

    /**
     * The SMMUv3 (IHI 0070) at QEMU's place ({@code -M virt,iommu=smmuv3}): 128 KiB (page 0 and page
     * 1), SPIs 74-77 edge rising in {@link #SMMUV3_INTERRUPT_NAMES} order, {@code dma-coherent}. Only
     * with {@code --iommu smmuv3}; QEMU puts PCIe behind it, aarvark the virtio-mmio slots.
     */
    public static final BoardDevice SMMUV3 = new BoardDevice("smmuv3", 0x0905_0000L, 0x2_0000L,
            List.of(Interrupt.spi(74, Trigger.EDGE_RISING), Interrupt.spi(75, Trigger.EDGE_RISING),
                    Interrupt.spi(76, Trigger.EDGE_RISING), Interrupt.spi(77, Trigger.EDGE_RISING)),
            List.of("arm,smmu-v3"), List.of(), true);
    /** The SMMU's {@code interrupt-names}, in the order of its interrupts. */
    public static final List<String> SMMUV3_INTERRUPT_NAMES = List.of("eventq", "priq", "cmdq-sync", "gerror");

    /** First virtio-mmio transport; 32 of them, 0x200 apart, SPI 16 + n, edge rising. */
    public static final long VIRTIO_MMIO = 0x0A00_0000L;
    public static final long VIRTIO_MMIO_SIZE = 0x200L;
    public static final int VIRTIO_MMIO_COUNT = 32;
    /** The 32 virtio-mmio slots in address order; empty ones stay listed (and read DeviceID 0). */
    public static final List<BoardDevice> VIRTIO_MMIO_SLOTS = virtioSlots();

    /** The PMU's overflow interrupt, PPI 7. */
    public static final Interrupt PMU = Interrupt.ppi(7, Trigger.LEVEL_HIGH);
    /** Generic timer: secure EL1 physical timer, PPI 13 (INTID 29). */
    public static final Interrupt TIMER_SECURE_PHYS = Interrupt.ppi(13, Trigger.LEVEL_HIGH);
    /** Generic timer: non-secure EL1 physical timer, PPI 14 (INTID 30). */
    public static final Interrupt TIMER_PHYS = Interrupt.ppi(14, Trigger.LEVEL_HIGH);
    /** Generic timer: EL1 virtual timer, PPI 11 (INTID 27). */
    public static final Interrupt TIMER_VIRT = Interrupt.ppi(11, Trigger.LEVEL_HIGH);
    /** Generic timer: EL2 physical timer, PPI 10 (INTID 26); listed, never raised (no EL2). */
    public static final Interrupt TIMER_HYP = Interrupt.ppi(10, Trigger.LEVEL_HIGH);
    /** The timer's interrupts in the order of its {@code interrupts} property ({@code arm,armv8-timer}). */
    public static final List<Interrupt> TIMER = List.of(TIMER_SECURE_PHYS, TIMER_PHYS, TIMER_VIRT, TIMER_HYP);

    private static List<BoardDevice> virtioSlots() {
        List<BoardDevice> slots = new ArrayList<>();
        for (int n = 0; n < VIRTIO_MMIO_COUNT; n++) {
            slots.add(new BoardDevice("virtio_mmio", VIRTIO_MMIO + n * VIRTIO_MMIO_SIZE, VIRTIO_MMIO_SIZE,
                    List.of(Interrupt.spi(16 + n, Trigger.EDGE_RISING)), List.of("virtio,mmio"), List.of(), true));
        }
        return List.copyOf(slots);
    }

    /**
     * The slot of the {@code index}-th virtio device (0 = the first one on the command line): QEMU
     * fills the highest slot first, so the first device sits at 0x0a00_3e00 and Linux, which probes
     * in address order, finds it last.
     */
    public static BoardDevice virtioSlotFor(int index) {
        if (index < 0 || index >= VIRTIO_MMIO_COUNT) {
            throw new IllegalArgumentException("virtio device " + index + ": the board has " + VIRTIO_MMIO_COUNT + " slots");
        }
        return VIRTIO_MMIO_SLOTS.get(VIRTIO_MMIO_COUNT - 1 - index);
    }

    /**
     * The SMMU stream ID of the virtio-mmio slot at {@code base}: its slot number, 0 for 0x0a00_0000
     * up to 31 for 0x0a00_3e00 (so the first device on the command line is stream 31).
     */
    public static int virtioStreamId(long base) {
        long n = (base - VIRTIO_MMIO) / VIRTIO_MMIO_SIZE;
        if (base < VIRTIO_MMIO || n >= VIRTIO_MMIO_COUNT || (base - VIRTIO_MMIO) % VIRTIO_MMIO_SIZE != 0) {
            throw new IllegalArgumentException("0x" + Long.toHexString(base) + " is not a virtio-mmio slot");
        }
        return (int) n;
    }

    /**
     * The plain memory-mapped devices in the order the device tree lists them (QEMU's): the 32
     * virtio-mmio slots, the PL031 when present, the PL011.
     */
    public static List<BoardDevice> treeOrder(boolean pl031Present) {
        List<BoardDevice> out = new ArrayList<>(VIRTIO_MMIO_SLOTS);
        if (pl031Present) {
            out.add(RTC);
        }
        out.add(UART);
        return List.copyOf(out);
    }

    /** Why {@code bytes} of RAM do not fit the board, or empty when they do. */
    public static Optional<String> ramSizeProblem(long bytes) {
        if (bytes < (16L << 20) || bytes % 4096 != 0 || bytes > RAM_MAX) {
            return Optional.of("must be a multiple of 4 KiB between 16 MiB and " + (RAM_MAX >> 30)
                    + " GiB (the virt board's RAM window)");
        }
        return Optional.empty();
    }
}
