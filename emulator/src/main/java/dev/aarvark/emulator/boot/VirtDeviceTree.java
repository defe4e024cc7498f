package dev.aarvark.emulator.boot;

import dev.aarvark.emulator.board.BoardDevice;
import dev.aarvark.emulator.board.GicVersion;
import dev.aarvark.emulator.board.Interrupt;
import dev.aarvark.emulator.board.VirtBoard;

import java.util.List;
import java.util.Optional;

/**
 * Generates the device tree of QEMU's {@code virt} board ({@code hw/arm/virt.c} plus the edits of
 * {@code hw/arm/boot.c}), as QEMU 7.2 builds it for {@code -M virt -cpu cortex-a57}, limited to the
 * devices aarvark models. Every device node, address and interrupt comes from the board table
 * ({@link VirtBoard}), the same lines the machine maps and wires its devices from.
 *
 * <p>Node names, property order and phandle values are QEMU's, so {@code dtc -I dtb -O dts} of
 * this tree diffs cleanly against a QEMU {@code dumpdtb}: root ({@code compatible = model =
 * "linux,dummy-virt"}, 2 address and 2 size cells, {@code interrupt-parent} = the GIC), {@code /psci},
 * {@code /memory@<base>}, the 32 {@code virtio_mmio@a000000 + 0x200·n} transports (SPI 16 + n,
 * edge-rising, {@code dma-coherent}; all 32 are always listed, and an empty slot reads DeviceID 0
 * so Linux skips it), {@code /pl031@9010000} (SPI 2, optional), {@code /pl011@9000000} (SPI 1),
 * {@code /intc@8000000}, {@code /cpus} (with {@code cpu-map}; {@code enable-method = "psci"} only
 * when there is more than one CPU, as QEMU does), {@code /timer} (PPIs 13, 14, 11, 10, level-high;
 * under GICv2 the flags also carry the CPU mask, {@code 0x104} for one CPU), {@code /apb-pclk}
 * (24 MHz fixed clock, phandle 0x8000) and {@code /chosen} ({@code linux,initrd-end},
 * {@code linux,initrd-start}, {@code bootargs}, {@code stdout-path}, {@code rng-seed},
 * {@code kaslr-seed}). Phandles: clock 0x8000, CPUs from 0x8001 (highest CPU first), GIC next.
 * QEMU 7.2 has no {@code /aliases} node and no root {@code dma-coherent}; neither does this tree.
 *
 * <p>Left out because aarvark does not model them: {@code flash@0} (pflash), {@code fw-cfg@9020000},
 * {@code pl061@9030000} and {@code gpio-keys}, {@code pcie@10000000}, {@code platform-bus@c000000},
 * the GICv3 ITS ({@code its@8080000}) and the GICv2 MSI frame
 * ({@code v2m@8020000}), and the GIC maintenance interrupt and virtualization registers (no EL2).
 */
public final class VirtDeviceTree {
    private static final String GENERATED = "(generated virt tree)";

    private VirtDeviceTree() {
    }

    /** The tree for {@code config}. */
    public static Fdt build(VirtDeviceTreeConfig config) {
        PhandleAllocator phandles = new PhandleAllocator(PhandleAllocator.QEMU_FIRST);
        int clock = phandles.allocate();
        int[] cpuPhandles = new int[config.cpuCount()];
        for (int cpu = config.cpuCount() - 1; cpu >= 0; cpu--) {
            cpuPhandles[cpu] = phandles.allocate();
        }
        int gic = phandles.allocate();
        int smmu = config.smmuPresent() ? phandles.allocate() : 0;

        Fdt fdt = new Fdt();
        fdt.root()
                .u32("interrupt-parent", gic)
                .string("model", "linux,dummy-virt")
                .u32("#size-cells", 2)
                .u32("#address-cells", 2)
                .string("compatible", "linux,dummy-virt");
        boolean smmuListed = false;
        for (BoardDevice device : VirtBoard.treeOrder(config.pl031Present())) {
            if (smmu != 0 && !smmuListed && !device.nodeName().equals("virtio_mmio")) {
                addSmmu(fdt.root(), smmu, config); // after the virtio-mmio slots, as QEMU lists it
                smmuListed = true;
            }
            addDevice(fdt.root(), device, clock, config, smmu);
        }
        addPmu(fdt.root(), config);
        addGic(fdt.root(), config.gicVersion(), gic);
        addCpus(fdt.root(), config, cpuPhandles);
        addTimer(fdt.root(), config);
        fdt.root().addChild("apb-pclk")
                .u32("phandle", clock)
                .string("clock-output-names", "clk24mhz")
                .u32("clock-frequency", VirtBoard.APB_CLOCK_HZ)
                .u32("#clock-cells", 0)
                .string("compatible", "fixed-clock");
        fdt.root().addChild("chosen")
                .string("stdout-path", config.stdoutPath())
                .bytes("rng-seed", config.rngSeed())
                .u64("kaslr-seed", config.kaslrSeed());
        QemuDtbFixups.apply(fdt, GENERATED, config.ramBase(), config.ramSize(), config.bootargs(), config.initrd());
        return fdt;
    }

    /** A {@link DtbFactory} that builds this tree with the loader's initrd range filled in. */
    public static DtbFactory factory(VirtDeviceTreeConfig config) {
        return new DtbFactory() {
            @Override
            public String source() {
                return GENERATED;
            }

            @Override
            public byte[] create(Optional<PhysicalRange> initrd) {
                return build(config.withInitrd(initrd)).toDtb();
            }
        };
    }

    /**
     * A device of the board table, with its properties in QEMU's order: {@code dma-coherent},
     * {@code clock-names} and {@code clocks} (all fed by the APB clock), {@code interrupts},
     * {@code reg}, {@code compatible}.
     */
    private static void addDevice(FdtNode root, BoardDevice device, int clock, VirtDeviceTreeConfig config, int smmu) {
        FdtNode node = root.addChild(device.unitName());
        if (smmu != 0 && device.nodeName().equals("virtio_mmio")) {
            // The slot's stream: Linux's of_iommu puts the device behind the SMMU with this ID.
            node.cells("iommus", smmu, VirtBoard.virtioStreamId(device.base()));
        }
        if (device.dmaCoherent()) {
            node.empty("dma-coherent");
        }
        if (!device.clockNames().isEmpty()) {
            int[] clocks = new int[device.clockNames().size()];
            java.util.Arrays.fill(clocks, clock);
            node.strings("clock-names", device.clockNames().toArray(String[]::new)).cells("clocks", clocks);
        }
        node.cells("interrupts", interruptCells(device.interrupts(), config))
                .cells("reg", reg(device.base(), device.size()))
                .strings("compatible", device.compatible().toArray(String[]::new));
    }

    /**
     * The SMMUv3 node as QEMU writes it for {@code iommu=smmuv3} ({@code virt-smmuv3.dts}): phandle,
     * {@code #iommu-cells = <1>} (the stream ID), {@code dma-coherent}, interrupt names and SPIs,
     * {@code reg}, {@code compatible}.
     */
    private static void addSmmu(FdtNode root, int phandle, VirtDeviceTreeConfig config) {
        BoardDevice d = VirtBoard.SMMUV3;
        root.addChild(d.unitName())
                .u32("phandle", phandle)
                .u32("#iommu-cells", 1)
                .empty("dma-coherent")
                .strings("interrupt-names", VirtBoard.SMMUV3_INTERRUPT_NAMES.toArray(String[]::new))
                .cells("interrupts", interruptCells(d.interrupts(), config))
                .cells("reg", reg(d.base(), d.size()))
                .strings("compatible", d.compatible().toArray(String[]::new));
    }

    private static void addGic(FdtNode root, GicVersion version, int phandle) {
        FdtNode intc = root.addChild("intc@" + Long.toHexString(VirtBoard.GIC_DIST)).u32("phandle", phandle);
        if (version == GicVersion.V3) {
            intc.cells("reg", concat(reg(VirtBoard.GIC_DIST, VirtBoard.GIC_DIST_SIZE),
                            reg(VirtBoard.GIC_REDIST, VirtBoard.GIC_REDIST_REGION_SIZE)))
                    .u32("#redistributor-regions", 1)
                    .string("compatible", "arm,gic-v3");
        } else {
            intc.cells("reg", concat(reg(VirtBoard.GIC_DIST, VirtBoard.GIC_DIST_SIZE), reg(VirtBoard.GIC_CPU, VirtBoard.GIC_CPU_SIZE)))
                    .string("compatible", "arm,cortex-a15-gic");
        }
        intc.empty("ranges")
                .u32("#size-cells", 2)
                .u32("#address-cells", 2)
                .empty("interrupt-controller")
                .u32("#interrupt-cells", 3);
    }

    private static void addCpus(FdtNode root, VirtDeviceTreeConfig config, int[] cpuPhandles) {
        FdtNode cpus = root.addChild("cpus").u32("#size-cells", 0).u32("#address-cells", 1);
        FdtNode cluster = cpus.addChild("cpu-map").addChild("socket0").addChild("cluster0");
        for (int cpu = 0; cpu < config.cpuCount(); cpu++) {
            cluster.addChild("core" + cpu).u32("cpu", cpuPhandles[cpu]);
        }
        for (int cpu = 0; cpu < config.cpuCount(); cpu++) {
            FdtNode node = cpus.addChild("cpu@" + cpu)
                    .u32("phandle", cpuPhandles[cpu])
                    .u32("reg", mpidrAffinity(cpu, config.gicVersion()));
            if (config.cpuCount() > 1) {
                node.string("enable-method", "psci");
            }
            node.string("compatible", config.cpuCompatible()).string("device_type", "cpu");
        }
    }

    /**
     * The MPIDR affinity QEMU's {@code virt} gives CPU {@code index}: Aff0 counts within a cluster
     * of 8 (GICv2's target list) or 16 (GICv3's), Aff1 numbers the cluster.
     */
    static int mpidrAffinity(int index, GicVersion version) {
        int clusterSize = version == GicVersion.V2 ? 8 : 16;
        return ((index / clusterSize) << 8) | (index % clusterSize);
    }

    /**
     * The PMU (PPI 7, INTID 23), as QEMU lists it: libunicorn's Cortex-A53/A57/A72 models implement
     * the PMUv3 registers, so Linux's armv8_pmuv3 driver probes as on QEMU. The overflow interrupt is
     * not raised (libunicorn does not signal it), which only matters to sampling profilers.
     */
    private static void addPmu(FdtNode root, VirtDeviceTreeConfig config) {
        root.addChild("pmu")
                .cells("interrupts", interruptCells(List.of(VirtBoard.PMU), config))
                .string("compatible", "arm,armv8-pmuv3");
    }

    /**
     * The {@code interrupts} cells of {@code interrupts}: type, number, flags; under GICv2 a PPI's
     * flags also carry the CPU mask (QEMU's {@code GIC_FDT_IRQ_PPI_CPU} bits, 0x104 for one CPU).
     */
    private static int[] interruptCells(List<Interrupt> interrupts, VirtDeviceTreeConfig config) {
        int[] cells = new int[3 * interrupts.size()];
        int i = 0;
        for (Interrupt irq : interrupts) {
            int flags = irq.trigger().treeFlags();
            if (irq.type() == Interrupt.Type.PPI && config.gicVersion() == GicVersion.V2) {
                flags |= ((1 << config.cpuCount()) - 1) << 8;
            }
            cells[i++] = irq.type().treeCell();
            cells[i++] = irq.number();
            cells[i++] = flags;
        }
        return cells;
    }

    private static void addTimer(FdtNode root, VirtDeviceTreeConfig config) {
        root.addChild("timer")
                .cells("interrupts", interruptCells(VirtBoard.TIMER, config))
                .empty("always-on")
                .strings("compatible", "arm,armv8-timer", "arm,armv7-timer");
    }

    private static int[] reg(long base, long size) {
        return new int[] {(int) (base >>> 32), (int) base, (int) (size >>> 32), (int) size};
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = new int[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
