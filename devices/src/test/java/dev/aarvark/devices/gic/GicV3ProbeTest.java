package dev.aarvark.devices.gic;

import static dev.aarvark.devices.gic.GicV3Harness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The values a driver probes on QEMU 7.2's {@code virt} GICv3 (Cortex-A57), and the reset state. */
class GicV3ProbeTest {
    private final GicV3Harness h = new GicV3Harness();

    @Test
    void distributorTyperReports224SpisSixteenBitIdsAndNoLpis() {
        int typer = h.d(GICD_TYPER);
        assertEquals(0x0378_0007, typer);
        assertEquals(224, ((typer & 0x1F) + 1) * 32 - 32, "Linux: GICv3: 224 SPIs implemented");
        assertEquals(0, typer & (1 << 17), "LPIS clear: Linux sets up no ITS");
        assertEquals(0, typer & (1 << 10), "SecurityExtn clear: DS = 1");
    }

    @Test
    void distributorControlResetsWithAffinityRoutingAndOneSecurityState() {
        assertEquals(0x50, h.d(GICD_CTLR));
        h.d(GICD_CTLR, 0);
        assertEquals(0x50, h.d(GICD_CTLR), "ARE and DS are RAO/WI");
        h.d(GICD_CTLR, 0x13);
        assertEquals(0x53, h.d(GICD_CTLR), "RWP reads 0");
    }

    @Test
    void identificationRegistersSayGicv3() {
        assertEquals(0x43B, h.d(GICD_IIDR));
        assertEquals(0x3B, h.d(GICD_PIDR2));
        assertEquals(0x3B, h.r(GICR_PIDR2));
        assertEquals(0x92, h.d(0xFFE0));
        assertEquals(0x93, h.r(0xFFE0));
        assertEquals(0x44, h.d(0xFFD0));
        assertEquals(0xB1, h.d(0xFFFC));
        assertEquals(0x43B, h.r(GICR_IIDR));
    }

    @Test
    void redistributorTyperReportsAffinityProcessorNumberAndLast() {
        assertEquals(0x0100_0010, h.r(GICR_TYPER));
        assertEquals(0, h.r(GICR_TYPER + 4), "MPIDR 0x80000000 has affinity 0.0.0.0");
        assertEquals(0x0100_0010L, h.redist.get(0).read(GICR_TYPER, 8));
        GicV3Harness two = new GicV3Harness(2);
        assertEquals(0x0100_0000, (int) two.redist.get(0).read(GICR_TYPER, 4), "not the last");
        assertEquals(0x0100_0110, (int) two.redist.get(1).read(GICR_TYPER, 4));
        assertEquals(1, (int) two.redist.get(1).read(GICR_TYPER + 4, 4), "Aff0 = 1");
    }

    @Test
    void redistributorWakerResetsAsleepAndChildrenAsleepFollowsProcessorSleep() {
        assertEquals(0x6, h.r(GICR_WAKER));
        h.r(GICR_WAKER, 0);
        assertEquals(0, h.r(GICR_WAKER));
        h.r(GICR_WAKER, 0x2);
        assertEquals(0x6, h.r(GICR_WAKER));
        h.r(GICR_WAKER, 0x4);
        assertEquals(0, h.r(GICR_WAKER), "ChildrenAsleep is read-only");
    }

    @Test
    void cpuInterfaceReportsQemusControlAndSre() {
        assertEquals(0x7, h.icc().readSre());
        h.icc().writeSre(0);
        assertEquals(0x7, h.icc().readSre());
        assertEquals(0x8C00, h.icc().readCtlr(), "A3V, IDbits 24-bit, PRIbits 4 (5 bits)");
        h.icc().writeCtlr(-1);
        assertEquals(0x8C03, h.icc().readCtlr(), "only CBPR and EOImode are writable");
        assertEquals(1, h.icc().activePriorityRegisterCount());
    }

    @Test
    void priorityMaskKeepsFiveBitsAsLinuxsGroup0ProbeExpects() {
        long old = h.icc().readPmr();
        h.icc().writePmr(1 << (8 - 5)); // gic_has_group0: BIT(8 - pribits)
        long val = h.icc().readPmr();
        h.icc().writePmr(old);
        assertEquals(0x08, val);
        h.icc().writePmr(0xFF);
        assertEquals(0xF8, h.icc().readPmr());
    }

    @Test
    void distributorPriorityFieldsHoldAllEightBitsAsQemus() {
        h.dist.write(GICD_IPRIORITYR + 40, 1, 0xFF);
        assertEquals(0xFF, h.dist.read(GICD_IPRIORITYR + 40, 1));
        h.redist.get(0).write(GICR_IPRIORITYR0 + 27, 1, 0xA7);
        assertEquals(0xA7, h.redist.get(0).read(GICR_IPRIORITYR0 + 27, 1));
    }

    @Test
    void binaryPointsResetToTheirMinimums() {
        assertEquals(2, h.icc().readBpr0());
        assertEquals(3, h.icc().readBpr1());
        h.icc().writeBpr1(0);
        assertEquals(3, h.icc().readBpr1());
        h.icc().writeCtlr(1);
        assertEquals(3, h.icc().readBpr1(), "with CBPR, BPR1 reads BPR0 + 1");
        h.icc().writeBpr0(6);
        assertEquals(7, h.icc().readBpr1());
    }

    @Test
    void privateInterruptFieldsOfTheDistributorAreRazWi() {
        h.d(GICD_ISENABLER, -1);
        h.d(GICD_IGROUPR, -1);
        h.d(GICD_IPRIORITYR + 4, -1);
        h.d(GICD_ICFGR + 4, -1);
        assertEquals(0, h.d(GICD_ISENABLER));
        assertEquals(0, h.d(GICD_IGROUPR));
        assertEquals(0, h.d(GICD_IPRIORITYR + 4));
        assertEquals(0, h.d(GICD_ICFGR + 4));
        assertEquals(0, h.r(GICR_ISENABLER0), "the redistributor's bits were not touched");
    }

    @Test
    void securityAndLegacyRegistersAreRazWi() {
        h.d(GICD_IGRPMODR + 4, -1);
        h.d(GICD_ITARGETSR + 32, -1);
        assertEquals(0, h.d(GICD_IGRPMODR + 4));
        assertEquals(0, h.d(GICD_ITARGETSR + 32));
        h.r(GICR_IGRPMODR0, -1);
        assertEquals(0, h.r(GICR_IGRPMODR0));
        assertEquals(0, h.r(GICR_CTLR));
    }

    @Test
    void sgisAreEdgeTriggeredAndPpisConfigurable() {
        assertEquals(0xAAAA_AAAA, h.r(GICR_ICFGR0));
        h.r(GICR_ICFGR0, 0);
        assertEquals(0xAAAA_AAAA, h.r(GICR_ICFGR0));
        assertEquals(0, h.r(GICR_ICFGR1));
        h.r(GICR_ICFGR1, 0x5555_5555 | 2 << 22);
        assertEquals(2 << 22, h.r(GICR_ICFGR1), "only the odd (edge) bits are kept");
    }

    @Test
    void spiRoutesResetToCpuZeroAndIgnoreTheRoutingModeBit() {
        assertEquals(0, h.d(GICD_IROUTER + 8 * 40));
        h.d(GICD_IROUTER + 8 * 40, 0x8000_0000);
        assertEquals(0, h.d(GICD_IROUTER + 8 * 40), "No1N = 1: IRM is RAZ/WI");
        assertEquals(0, h.d(GICD_IROUTER + 8 * 20), "no routes for private interrupts");
    }
}
