package dev.aarvark.devices.gic;

import static dev.aarvark.devices.gic.GicV2Harness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The values a driver probes on QEMU 7.2's {@code virt} GICv2, and the reset state. */
class GicV2ProbeTest {
    private final GicV2Harness h = new GicV2Harness();

    @Test
    void typerReportsQemuVirts288InterruptsOneCpuAndNoSecurityExtensions() {
        assertEquals(8, h.d(GICD_TYPER));
        assertEquals(288, 32 * ((h.d(GICD_TYPER) & 0x1F) + 1), "seL4's and Linux's nirqs");
    }

    @Test
    void typerCountsCpuInterfaces() {
        assertEquals(8 | (1 << 5), new GicV2Harness(2).d(GICD_TYPER));
    }

    @Test
    void identificationRegistersAreQemus() {
        assertEquals(0x43B, h.d(GICD_IIDR));
        assertEquals(0x2B, h.d(GICD_PIDR2));
        assertEquals(2, (h.d(GICD_PIDR2) >> 4) & 0xF, "ArchRev: GICv2");
        assertEquals(0x04, h.d(0xFD0));
        assertEquals(0x90, h.d(0xFE0));
        assertEquals(0xB4, h.d(0xFE4));
        assertEquals(0x0D, h.d(0xFF0));
        assertEquals(0xF0, h.d(0xFF4));
        assertEquals(0x05, h.d(0xFF8));
        assertEquals(0xB1, h.d(0xFFC));
        assertEquals(0x0002_043B, h.c(GICC_IIDR));
    }

    @Test
    void priorityFieldsAndMaskReadBackAllEightBits() {
        h.dist.write(GICD_IPRIORITYR + 40, 1, 0xFF);
        assertEquals(0xFF, h.dist.read(GICD_IPRIORITYR + 40, 1));
        h.c(GICC_PMR, 0xFF);
        assertEquals(0xFF, h.c(GICC_PMR));
        h.c(GICC_PMR, 0x1A5);
        assertEquals(0xA5, h.c(GICC_PMR));
    }

    @Test
    void targetsOfPrivateInterruptsReadAsTheAccessingCpusBit() {
        for (int i = 0; i < 8; i++) {
            assertEquals(0x0101_0101, h.d(GICD_ITARGETSR + 4 * i));
        }
        GicV2Harness two = new GicV2Harness(2);
        two.current = 1;
        assertEquals(0x0202_0202, two.d(GICD_ITARGETSR + 4));
    }

    @Test
    void uniprocessorSpiTargetsAlwaysNameTheOnlyCpu() {
        h.d(GICD_ITARGETSR + 32, 0);
        assertEquals(0x0101_0101, h.d(GICD_ITARGETSR + 32));
    }

    @Test
    void multiprocessorSpiTargetsKeepOnlyImplementedCpus() {
        GicV2Harness two = new GicV2Harness(2);
        two.dist.write(GICD_ITARGETSR + 33, 1, 0xFF);
        assertEquals(0x03, two.dist.read(GICD_ITARGETSR + 33, 1));
        assertEquals(0x0000_0300, two.d(GICD_ITARGETSR + 32));
    }

    @Test
    void sgisArePermanentlyEnabledAndEdgeTriggered() {
        h.d(GICD_ICENABLER, -1);
        assertEquals(0x0000_FFFF, h.d(GICD_ISENABLER));
        h.d(GICD_ICFGR, 0);
        assertEquals(0xAAAA_AAAA, h.d(GICD_ICFGR));
        assertEquals(0, h.d(GICD_ICFGR + 4), "PPIs reset level-sensitive");
    }

    @Test
    void cpuInterfaceResetsIdleWithMinimumBinaryPoints() {
        assertEquals(0xFF, h.c(GICC_RPR));
        assertEquals(IntIds.SPURIOUS, h.c(GICC_IAR));
        assertEquals(IntIds.SPURIOUS, h.c(GICC_HPPIR));
        assertEquals(0, h.c(GICC_BPR));
        assertEquals(1, h.c(GICC_ABPR));
        h.c(GICC_ABPR, 0);
        assertEquals(1, h.c(GICC_ABPR), "writes below the minimum store the minimum");
        assertEquals(0, h.c(GICC_CTLR));
    }

    @Test
    void cpuControlKeepsOnlyTheImplementedBits() {
        h.c(GICC_CTLR, -1);
        assertEquals(0x21F, h.c(GICC_CTLR));
    }

    @Test
    void registersOfUnimplementedInterruptsAreRazWi() {
        h.d(GICD_ISENABLER + 4 * 9, -1);
        assertEquals(0, h.d(GICD_ISENABLER + 4 * 9));
        assertEquals(0, h.d(GICD_IPRIORITYR + 288));
    }
}
