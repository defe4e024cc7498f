package dev.aarvark.cli;

import dev.aarvark.emulator.DmaConfig;
import dev.aarvark.iommu.policy.DmaPolicy;
import dev.aarvark.iommu.policy.DmaWindow;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --dma-policy}, {@code --dma-window}, {@code --fail-on-dma-fault}. */
class DmaFlagParserTest {
    @Test
    void bypassIsTheDefaultAndTakesNoWindows() {
        assertEquals(DmaConfig.BYPASS, DmaFlagParser.parse("bypass", List.of(), false));
        assertTrue(DmaFlagParser.parse("bypass", List.of(), true).failOnFault());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DmaFlagParser.parse("bypass", List.of("virtio-net0=0x40000000+4K"), false));
        assertEquals("--dma-window virtio-net0=0x40000000+4K: a window needs --dma-policy strict or permissive", e.getMessage());
    }

    @Test
    void iommuSmmuv3PutsTheSmmuOnTheBoardAndNoneLeavesItOff() {
        assertTrue(DmaFlagParser.parse("smmuv3", "bypass", List.of(), false).smmu());
        assertTrue(DmaFlagParser.parse("SMMUv3", "strict", List.of("virtio-net0=0x40000000+4K"), false).smmu());
        assertEquals(DmaConfig.BYPASS, DmaFlagParser.parse("none", "bypass", List.of(), false));
        assertEquals("--iommu smmuv2: use none or smmuv3", assertThrows(IllegalArgumentException.class,
                () -> DmaFlagParser.parse("smmuv2", "bypass", List.of(), false)).getMessage());
    }

    @Test
    void windowsAreGroupedByDeviceWithTheirAccess() {
        DmaConfig c = DmaFlagParser.parse("STRICT", List.of("virtio-net0=0x40300000+64K", "virtio-net0=1077936128+0x1000:ro",
                "virtio-net@a003e00=0x40400000+1M:rw"), true);
        assertEquals(Optional.of(DmaPolicy.STRICT), c.policy());
        assertEquals(Map.of(
                "virtio-net0", List.of(new DmaWindow(0x4030_0000L, 0x1_0000, true), new DmaWindow(0x4040_0000L, 0x1000, false)),
                "virtio-net@a003e00", List.of(new DmaWindow(0x4040_0000L, 1 << 20, true))), c.windows());
        assertEquals(Optional.of(DmaPolicy.PERMISSIVE), DmaFlagParser.parse("permissive", List.of(), false).policy());
    }

    @Test
    void everyMalformedFlagIsOneLineNamingIt() {
        assertEquals("--dma-policy lax: use bypass, strict or permissive",
                assertThrows(IllegalArgumentException.class, () -> DmaFlagParser.parse("lax", List.of(), false)).getMessage());
        for (String[] bad : new String[][] {
                {"0x40000000+4K", DmaFlagParser.WINDOW_FORM},
                {"virtio-net0=0x40000000", DmaFlagParser.WINDOW_FORM},
                {"virtio-net0=0x40000000+", DmaFlagParser.WINDOW_FORM},
                {"virtio-net0=0x4000zz00+4K", "0x4000zz00 is not a number"},
                {"virtio-net0=0x40000000+4K:wx", "the access is wx; use ro or rw"},
                {"virtio-net0=0x40000000+0", "the length must be more than 0"},
                {"virtio-net0=0xfffffffffffff000+8K", "past the top of the address space"}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> DmaFlagParser.parse("strict", List.of(bad[0]), false), bad[0]);
            assertTrue(e.getMessage().startsWith("--dma-window " + bad[0] + ": ") && e.getMessage().contains(bad[1]), e.getMessage());
        }
    }
}
