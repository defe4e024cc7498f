package dev.aarvark.emulator.boot;

import dev.aarvark.emulator.board.GicVersion;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The generated {@code virt} tree against QEMU 7.2's own ({@code dumpdtb}), node for node and
 * property for property, after removing from QEMU's tree what aarvark does not model.
 */
class VirtDeviceTreeTest {
    private static final long RAM = 0x4000_0000L;
    private static final long RAM_SIZE = 512L << 20;
    private static final String[] NOT_MODELLED = {
        "/platform-bus@c000000", "/fw-cfg@9020000", "/gpio-keys", "/pl061@9030000", "/pcie@10000000", "/flash@0"};

    private static Fdt qemuTree(String resource, String... alsoRemove) throws IOException {
        Fdt qemu = Fdt.fromDtb(Dtc.compile(Dtc.resource(resource)), resource);
        FdtTrees.remove(qemu, NOT_MODELLED);
        FdtTrees.remove(qemu, alsoRemove);
        return qemu;
    }

    private static VirtDeviceTreeConfig configMatching(Fdt qemu, GicVersion gic, String bootargs, Optional<PhysicalRange> initrd) {
        FdtNode chosen = qemu.find("/chosen").orElseThrow();
        return new VirtDeviceTreeConfig(RAM, RAM_SIZE, "arm,cortex-a57", 1, gic, bootargs, initrd, "/pl011@9000000",
                chosen.property("rng-seed").orElseThrow().value(), chosen.property("kaslr-seed").orElseThrow().asU64(), true);
    }

    @Test
    void gicV3TreeMatchesQemu72WithKernelInitrdAndBootargs() throws IOException {
        Fdt qemu = qemuTree("qemu-7.2-virt-gicv3.dts", "/intc@8000000/its@8080000");
        VirtDeviceTreeConfig config = configMatching(qemu, GicVersion.V3, "console=ttyAMA0 earlycon panic=-1",
                Optional.of(new PhysicalRange(0x4800_0000L, 0x4813_9e3dL)));

        Fdt ours = VirtDeviceTree.build(config);

        FdtTrees.assertSameTree(qemu.root(), ours.root());
    }

    @Test
    void gicV2TreeMatchesQemu72WithoutKernel() throws IOException {
        Fdt qemu = qemuTree("qemu-7.2-virt-gicv2.dts", "/intc@8000000/v2m@8020000");
        VirtDeviceTreeConfig config = configMatching(qemu, GicVersion.V2, "", Optional.empty());

        Fdt ours = VirtDeviceTree.build(config);

        FdtTrees.assertSameTree(qemu.root(), ours.root());
    }

    @Test
    void gicV2NodeHasDistributorAndCpuInterfaceAndTimerFlagsCarryTheCpuMask() {
        Fdt fdt = VirtDeviceTree.build(VirtDeviceTreeConfig.qemuDefaults(RAM_SIZE, new byte[32], 0));

        FdtNode intc = fdt.find("/intc@8000000").orElseThrow();
        assertEquals("arm,cortex-a15-gic", intc.property("compatible").orElseThrow().asString());
        assertArrayEquals(new int[] {0, 0x0800_0000, 0, 0x1_0000, 0, 0x0801_0000, 0, 0x1_0000},
                intc.property("reg").orElseThrow().asCells());
        assertFalse(intc.property("#redistributor-regions").isPresent());
        assertArrayEquals(new int[] {1, 13, 0x104, 1, 14, 0x104, 1, 11, 0x104, 1, 10, 0x104},
                fdt.find("/timer").orElseThrow().property("interrupts").orElseThrow().asCells());
    }

    @Test
    void gicV3NodeHasDistributorAndRedistributorRegionAndNoIts() {
        Fdt fdt = VirtDeviceTree.build(VirtDeviceTreeConfig.qemuDefaults(RAM_SIZE, new byte[32], 0).withGicVersion(GicVersion.V3));

        FdtNode intc = fdt.find("/intc@8000000").orElseThrow();
        assertEquals("arm,gic-v3", intc.property("compatible").orElseThrow().asString());
        assertArrayEquals(new int[] {0, 0x0800_0000, 0, 0x1_0000, 0, 0x080a_0000, 0, 0xf6_0000},
                intc.property("reg").orElseThrow().asCells());
        assertEquals(1, intc.property("#redistributor-regions").orElseThrow().asU32());
        assertEquals(3, intc.property("#interrupt-cells").orElseThrow().asU32());
        assertTrue(intc.property("interrupt-controller").isPresent());
        assertTrue(intc.children().isEmpty(), "no ITS node");
        assertEquals(intc.property("phandle").orElseThrow().asU32(),
                fdt.root().property("interrupt-parent").orElseThrow().asU32());
    }

    @Test
    void allThirtyTwoVirtioMmioSlotsAreListedWithTheirSpiEdgeRising() {
        Fdt fdt = VirtDeviceTree.build(VirtDeviceTreeConfig.qemuDefaults(RAM_SIZE, new byte[32], 0));

        List<FdtNode> slots = fdt.root().children().stream().filter(n -> n.unitName().equals("virtio_mmio")).toList();

        assertEquals(32, slots.size());
        for (int n = 0; n < 32; n++) {
            FdtNode slot = slots.get(n);
            long base = 0x0a00_0000L + 0x200L * n;
            assertEquals("virtio_mmio@" + Long.toHexString(base), slot.name());
            assertArrayEquals(new int[] {0, (int) base, 0, 0x200}, slot.property("reg").orElseThrow().asCells());
            assertArrayEquals(new int[] {0, 16 + n, 1}, slot.property("interrupts").orElseThrow().asCells());
            assertTrue(slot.property("dma-coherent").orElseThrow().isEmpty());
        }
    }

    @Test
    void pl031CanBeLeftOut() {
        Fdt fdt = VirtDeviceTree.build(VirtDeviceTreeConfig.qemuDefaults(RAM_SIZE, new byte[32], 0).withPl031(false));

        assertFalse(fdt.find("/pl031@9010000").isPresent());
        assertTrue(fdt.find("/pl011@9000000").isPresent());
    }

    @Test
    void twoCpusGetPsciEnableMethodAndQemusPhandlesAndCpuMask() throws IOException {
        Fdt fdt = VirtDeviceTree.build(VirtDeviceTreeConfig.qemuDefaults(RAM_SIZE, new byte[32], 0).withCpuCount(2));

        FdtNode cpu0 = fdt.find("/cpus/cpu@0").orElseThrow();
        FdtNode cpu1 = fdt.find("/cpus/cpu@1").orElseThrow();
        assertEquals(List.of("phandle", "reg", "enable-method", "compatible", "device_type"),
                cpu0.properties().stream().map(FdtProperty::name).toList());
        assertEquals("psci", cpu1.property("enable-method").orElseThrow().asString());
        assertEquals(0x8002, cpu0.property("phandle").orElseThrow().asU32(), "QEMU numbers the highest CPU first");
        assertEquals(0x8001, cpu1.property("phandle").orElseThrow().asU32());
        assertEquals(1, cpu1.property("reg").orElseThrow().asU32());
        assertEquals(0x8002, fdt.find("/cpus/cpu-map/socket0/cluster0/core0").orElseThrow().property("cpu").orElseThrow().asU32());
        assertEquals(0x8003, fdt.find("/intc@8000000").orElseThrow().property("phandle").orElseThrow().asU32());
        assertEquals(0x304, fdt.find("/timer").orElseThrow().property("interrupts").orElseThrow().asCells()[2]);
        assertFalse(VirtDeviceTree.build(VirtDeviceTreeConfig.qemuDefaults(RAM_SIZE, new byte[32], 0))
                .find("/cpus/cpu@0").orElseThrow().property("enable-method").isPresent(), "one CPU: no enable-method, as QEMU");
    }

    @Test
    void mpidrAffinityCountsAff0WithinQemusClusterSize() {
        assertEquals(0x007, VirtDeviceTree.mpidrAffinity(7, GicVersion.V2));
        assertEquals(0x100, VirtDeviceTree.mpidrAffinity(8, GicVersion.V2));
        assertEquals(0x00f, VirtDeviceTree.mpidrAffinity(15, GicVersion.V3));
        assertEquals(0x101, VirtDeviceTree.mpidrAffinity(17, GicVersion.V3));
    }

    @Test
    void chosenCarriesSeedsAndConsoleAndAnInitrdAbove4GiBInTwoCells() {
        byte[] seed = {1, 2, 3, 4, 5, 6, 7, 8};
        Fdt fdt = VirtDeviceTree.build(new VirtDeviceTreeConfig(0x1_0000_0000L, 1L << 30, "arm,cortex-a53", 1, GicVersion.V3,
                "quiet", Optional.of(new PhysicalRange(0x1_0800_0000L, 0x1_0800_1000L)), "/pl011@9000000", seed,
                0x0102_0304_0506_0708L, true));

        FdtNode chosen = fdt.find("/chosen").orElseThrow();
        assertArrayEquals(seed, chosen.property("rng-seed").orElseThrow().value());
        assertEquals(0x0102_0304_0506_0708L, chosen.property("kaslr-seed").orElseThrow().asU64());
        assertEquals("/pl011@9000000", chosen.property("stdout-path").orElseThrow().asString());
        assertEquals("quiet", chosen.property("bootargs").orElseThrow().asString());
        assertEquals(8, chosen.property("linux,initrd-start").orElseThrow().length());
        assertEquals(0x1_0800_1000L, chosen.property("linux,initrd-end").orElseThrow().asNumber());
        assertArrayEquals(new int[] {1, 0, 0, 0x4000_0000}, fdt.find("/memory@100000000").orElseThrow().property("reg").orElseThrow().asCells());
        assertEquals("arm,cortex-a53", fdt.find("/cpus/cpu@0").orElseThrow().property("compatible").orElseThrow().asString());
    }

    @Test
    void dtcAcceptsTheGeneratedBlobWithoutWarnings() throws IOException {
        for (GicVersion gic : GicVersion.values()) {
            byte[] dtb = VirtDeviceTree.build(VirtDeviceTreeConfig.qemuDefaults(RAM_SIZE, new byte[32], 0)
                    .withGicVersion(gic).withBootargs("console=ttyAMA0")
                    .withInitrd(Optional.of(new PhysicalRange(0x4800_0000L, 0x4810_0000L)))).toDtb();

            Dtc.Result r = Dtc.decompile(dtb);

            assertEquals(0, r.exitCode(), r.stderr());
            assertEquals("", r.stderr(), "dtc warnings for GIC" + gic);
            assertTrue(r.text().contains("bootargs = \"console=ttyAMA0\";"));
        }
    }

    @Test
    void factoryFillsInTheInitrdTheLoaderChose() {
        DtbFactory factory = VirtDeviceTree.factory(VirtDeviceTreeConfig.qemuDefaults(RAM_SIZE, new byte[32], 0));

        Fdt fdt = Fdt.fromDtb(factory.create(Optional.of(new PhysicalRange(0x4800_0000L, 0x4813_9e3dL))), "factory");

        FdtNode chosen = fdt.find("/chosen").orElseThrow();
        assertEquals(0x4800_0000L, chosen.property("linux,initrd-start").orElseThrow().asNumber());
        assertEquals(0x4813_9e3dL, chosen.property("linux,initrd-end").orElseThrow().asNumber());
        assertFalse(Fdt.fromDtb(factory.create(Optional.empty()), "factory").find("/chosen").orElseThrow()
                .property("linux,initrd-start").isPresent());
    }

    @Test
    void configRejectsWhatTheBoardCannotDescribe() {
        VirtDeviceTreeConfig ok = VirtDeviceTreeConfig.qemuDefaults(RAM_SIZE, new byte[32], 0);

        assertThrows(IllegalArgumentException.class, () -> ok.withCpuCount(0));
        assertThrows(IllegalArgumentException.class, () -> ok.withCpuCount(9), "GICv2 addresses 8 CPUs");
        assertEquals(9, ok.withGicVersion(GicVersion.V3).withCpuCount(9).cpuCount());
        assertThrows(IllegalArgumentException.class, () -> VirtDeviceTreeConfig.qemuDefaults(0, new byte[32], 0));
        assertThrows(IllegalArgumentException.class, () -> VirtDeviceTreeConfig.qemuDefaults(RAM_SIZE, new byte[0], 0));
    }
}
