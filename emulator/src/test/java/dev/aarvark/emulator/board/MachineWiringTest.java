package dev.aarvark.emulator.board;

import dev.aarvark.devices.io.ByteSink;
import dev.aarvark.emulator.Machine;
import dev.aarvark.emulator.MachineConfig;
import dev.aarvark.emulator.VirtioConsoleConfig;
import dev.aarvark.emulator.boot.Fdt;
import dev.aarvark.emulator.boot.FdtNode;
import dev.aarvark.emulator.cpu.CpuModel;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The device tree a real machine hands its guest against what that machine actually mapped on its
 * bus and connected to its GIC, so that a second copy of an address or an interrupt number (in the
 * tree generator or in the wiring) shows up as a difference: every {@code reg} range in the tree is
 * backed by a mapped device, every mapped device is in the tree, and every connected interrupt is
 * the one the tree gives for the node at the device's address.
 */
class MachineWiringTest {
    private record Range(long base, long size) {
        long end() {
            return base + size;
        }
    }

    private static Machine machine(GicVersion gic, Path dir) throws IOException {
        return machine(gic, dir, false);
    }

    private static Machine machine(GicVersion gic, Path dir, boolean smmu) throws IOException {
        Path kernel = dir.resolve("kernel.bin");
        Files.write(kernel, new byte[] {0x00, 0x00, 0x00, 0x14}); // b .
        VirtioConsoleConfig console = new VirtioConsoleConfig(List.of(new VirtioConsoleConfig.Port(null, new PortBackend.None())), 2);
        return Machine.create(new MachineConfig(CpuModel.CORTEX_A57, MachineConfig.DEFAULT_RAM, kernel, null, "", null,
                false, MachineConfig.PreemptMode.COUNT, ByteSink.DISCARD, gic, console, List.of(),
                new dev.aarvark.emulator.DmaConfig(Optional.empty(), java.util.Map.of(), false, smmu)));
    }

    private static List<Range> regs(FdtNode node) {
        int[] c = node.property("reg").orElseThrow().asCells();
        List<Range> out = new ArrayList<>();
        for (int i = 0; i + 3 < c.length; i += 4) {
            out.add(new Range(((long) c[i] << 32) | (c[i + 1] & 0xffff_ffffL), ((long) c[i + 2] << 32) | (c[i + 3] & 0xffff_ffffL)));
        }
        return out;
    }

    /** INTIDs of a node's {@code interrupts} (type 0 = SPI from 32, 1 = PPI from 16). */
    private static Set<Integer> intids(FdtNode node) {
        int[] c = node.property("interrupts").orElseThrow().asCells();
        Set<Integer> out = new HashSet<>();
        for (int i = 0; i + 2 < c.length; i += 3) {
            out.add((c[i] == 0 ? 32 : 16) + c[i + 1]);
        }
        return out;
    }

    private static List<FdtNode> devicesInTree(Fdt fdt) {
        return fdt.root().children().stream()
                .filter(n -> n.property("reg").isPresent() && !n.unitName().equals("memory")).toList();
    }

    static java.util.stream.Stream<org.junit.jupiter.params.provider.Arguments> boards() {
        return java.util.stream.Stream.of(GicVersion.values()).flatMap(g -> java.util.stream.Stream.of(
                org.junit.jupiter.params.provider.Arguments.of(g, false), org.junit.jupiter.params.provider.Arguments.of(g, true)));
    }

    @ParameterizedTest(name = "{0}, smmu {1}")
    @org.junit.jupiter.params.provider.MethodSource("boards")
    void everyRegRangeInTheTreeIsBackedByAMappedDeviceAndEveryMappedDeviceIsInTheTree(GicVersion gic, boolean smmu,
            @org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        try (Machine m = machine(gic, dir, smmu)) {
            Fdt fdt = Fdt.fromDtb(m.deviceTreeBlob(), "machine");
            List<MmioBus.Placement> placed = m.placements();
            List<Range> treeRanges = new ArrayList<>();
            for (FdtNode node : devicesInTree(fdt)) {
                for (Range r : regs(node)) {
                    treeRanges.add(r);
                    assertTrue(placed.stream().anyMatch(p -> p.base() <= r.base() && r.end() <= p.end())
                                    || node.unitName().equals("intc") && placed.stream().anyMatch(p -> p.base() == r.base()),
                            node.name() + " reg " + Long.toHexString(r.base()) + "+" + Long.toHexString(r.size())
                                    + " is not backed by a mapped device: " + placed);
                }
            }
            for (MmioBus.Placement p : placed) {
                assertTrue(treeRanges.stream().anyMatch(r -> r.base() <= p.base() && p.base() < r.end()),
                        p + " is mapped but no device tree node covers it");
            }
        }
    }

    @ParameterizedTest(name = "{0}, smmu {1}")
    @org.junit.jupiter.params.provider.MethodSource("boards")
    void everyConnectedInterruptIsTheOneTheTreeGivesForTheDeviceAtThatAddress(GicVersion gic, boolean smmu,
            @org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        try (Machine m = machine(gic, dir, smmu)) {
            Fdt fdt = Fdt.fromDtb(m.deviceTreeBlob(), "machine");
            List<InterruptController.Connection> connections = m.interruptConnections();
            Set<String> connected = new HashSet<>();
            for (InterruptController.Connection c : connections) {
                FdtNode node;
                if (c.device().equals(PlatformDevices.TIMER_NAME)) {
                    node = fdt.find("/timer").orElseThrow();
                } else {
                    MmioBus.Placement p = m.placements().stream().filter(x -> x.name().equals(c.device())).findFirst()
                            .orElseThrow(() -> new AssertionError(c + ": the device is connected but not mapped"));
                    Optional<FdtNode> at = devicesInTree(fdt).stream().filter(n -> regs(n).getFirst().base() == p.base()).findFirst();
                    assertTrue(at.isPresent(), c + ": no tree node at " + Long.toHexString(p.base()));
                    node = at.get();
                }
                assertTrue(intids(node).contains(c.intid()), c + " but " + node.name() + " lists INTIDs " + intids(node));
                connected.add(node.name());
            }
            Set<String> expected = new HashSet<>(Set.of("pl011@9000000", "pl031@9010000", "virtio_mmio@a003e00", "timer"));
            if (smmu) {
                expected.add("smmuv3@9050000");
                assertEquals(4, connections.stream().filter(c -> c.device().equals("smmuv3")).count(), "eventq, priq, cmdq-sync, gerror");
            }
            assertEquals(expected, connected, "the devices that raise interrupts");
            assertFalse(connections.isEmpty());
        }
    }

    @org.junit.jupiter.api.Test
    void withTheSmmuEveryVirtioNodeNamesItsSlotAsItsStream(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        try (Machine m = machine(GicVersion.V2, dir, true)) {
            Fdt fdt = Fdt.fromDtb(m.deviceTreeBlob(), "machine");
            FdtNode smmu = fdt.find("/smmuv3@9050000").orElseThrow();
            int phandle = smmu.property("phandle").orElseThrow().asCells()[0];
            assertEquals(1, smmu.property("#iommu-cells").orElseThrow().asCells()[0]);
            assertTrue(smmu.property("dma-coherent").isPresent());
            for (int n = 0; n < VirtBoard.VIRTIO_MMIO_COUNT; n++) {
                FdtNode v = fdt.find("/virtio_mmio@" + Long.toHexString(VirtBoard.VIRTIO_MMIO + n * VirtBoard.VIRTIO_MMIO_SIZE)).orElseThrow();
                org.junit.jupiter.api.Assertions.assertArrayEquals(new int[] {phandle, n}, v.property("iommus").orElseThrow().asCells());
            }
        }
        try (Machine m = machine(GicVersion.V2, dir, false)) {
            Fdt fdt = Fdt.fromDtb(m.deviceTreeBlob(), "machine");
            assertTrue(fdt.find("/smmuv3@9050000").isEmpty());
            assertTrue(fdt.find("/virtio_mmio@a003e00").orElseThrow().property("iommus").isEmpty(), "without the flag the board is as before");
        }
    }
}
