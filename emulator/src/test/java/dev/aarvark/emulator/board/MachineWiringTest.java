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
        Path kernel = dir.resolve("kernel.bin");
        Files.write(kernel, new byte[] {0x00, 0x00, 0x00, 0x14}); // b .
        VirtioConsoleConfig console = new VirtioConsoleConfig(List.of(new VirtioConsoleConfig.Port(null, new PortBackend.None())), 2);
        return Machine.create(new MachineConfig(CpuModel.CORTEX_A57, MachineConfig.DEFAULT_RAM, kernel, null, "", null,
                false, MachineConfig.PreemptMode.COUNT, ByteSink.DISCARD, gic, console));
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

    @ParameterizedTest
    @EnumSource(GicVersion.class)
    void everyRegRangeInTheTreeIsBackedByAMappedDeviceAndEveryMappedDeviceIsInTheTree(GicVersion gic, @org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        try (Machine m = machine(gic, dir)) {
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

    @ParameterizedTest
    @EnumSource(GicVersion.class)
    void everyConnectedInterruptIsTheOneTheTreeGivesForTheDeviceAtThatAddress(GicVersion gic, @org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        try (Machine m = machine(gic, dir)) {
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
            assertEquals(Set.of("pl011@9000000", "pl031@9010000", "virtio_mmio@a003e00", "timer"), connected,
                    "the devices that raise interrupts");
            assertFalse(connections.isEmpty());
        }
    }
}
