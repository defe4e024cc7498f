package dev.aarvark.emulator.boot;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** QEMU's placement rules (hw/arm/boot.c) as pure functions. */
class QemuBootPlacementTest {
    private static final long MIB = 1L << 20;
    private static final long RAM = 0x4000_0000L;

    @Test
    void aModernImageWithTextOffsetZeroLandsTwoMiBIntoRam() {
        assertEquals(0x4020_0000L, QemuBootPlacement.imageBase(RAM) + QemuBootPlacement.imageOffset(0, 0x2000000));
    }

    @Test
    void anOffsetClearOfTheBootStubIsUsedAsIs() {
        assertEquals(0x8_0000L, QemuBootPlacement.imageOffset(0x8_0000, 1));
        assertEquals(0x1000L, QemuBootPlacement.imageOffset(0x1000, 1), "4 KiB is just clear of the stub");
        assertEquals(0xfffL + 2 * MIB, QemuBootPlacement.imageOffset(0xfff, 1));
    }

    @Test
    void imageSizeZeroIgnoresTextOffset() {
        assertEquals(0x8_0000L, QemuBootPlacement.imageOffset(0x20_0000, 0));
    }

    @Test
    void theImageBaseIsTheNextTwoMiBBoundary() {
        assertEquals(RAM, QemuBootPlacement.imageBase(RAM));
        assertEquals(0x4020_0000L, QemuBootPlacement.imageBase(RAM + 0x1000));
    }

    @Test
    void theInitrdGoesHalfwayIntoSmallRamAndAt128MiBIntoLargeRam() {
        assertEquals(RAM + 64 * MIB, QemuBootPlacement.initrdStart(RAM, 128 * MIB, RAM + 2 * MIB));
        assertEquals(RAM + 128 * MIB, QemuBootPlacement.initrdStart(RAM, 256 * MIB, RAM + 2 * MIB));
        assertEquals(RAM + 128 * MIB, QemuBootPlacement.initrdStart(RAM, 8192 * MIB, RAM + 2 * MIB));
    }

    @Test
    void theInitrdNeverOverlapsTheKernelAndStartsOnAPage() {
        assertEquals(RAM + 130 * MIB + 0x1000, QemuBootPlacement.initrdStart(RAM, 512 * MIB, RAM + 130 * MIB + 1));
    }

    @Test
    void theDtbGoesToTheNextTwoMiBBoundary() {
        assertEquals(0x4820_0000L, QemuBootPlacement.dtbStartAfter(0x4813_9e3dL));
        assertEquals(0x4800_0000L, QemuBootPlacement.dtbStartAfter(0x4800_0000L));
    }
}
