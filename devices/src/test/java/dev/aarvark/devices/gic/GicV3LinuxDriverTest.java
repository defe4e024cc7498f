package dev.aarvark.devices.gic;

import dev.aarvark.devices.RegisterError;
import static dev.aarvark.devices.gic.GicV3Harness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aarvark.devices.IrqLine;
import dev.aarvark.devices.RegisterAccess;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replays Linux 6.1's drivers/irqchip/irq-gic-v3.c against the GICv3 model: gic_init_bases
 * (distributor version and TYPER), gic_dist_init, gic_cpu_init (redistributor discovery with
 * GICR_TYPER read as two 32-bit halves, the GICR_WAKER handshake, gic_cpu_config) and
 * gic_cpu_sys_reg_init, then gic_handle_irq / gic_eoi_irq with EOImode 0 (no EL2). 64-bit
 * accesses (GICD_IROUTER, GICR_TYPER) arrive as two 32-bit accesses, low half first, as
 * libunicorn delivers them.
 */
class GicV3LinuxDriverTest {
    private static final int DEF_PRI_X4 = 0xA0A0_A0A0;

    private final GicV3Harness h = new GicV3Harness();
    private final List<Long> handled = new ArrayList<>();
    private int lineNr;

    @BeforeEach
    void boot() {
        // gic_validate_dist_version, gic_init_bases
        assertEquals(0x30, h.d(GICD_PIDR2) & 0xF0);
        int typer = h.d(GICD_TYPER);
        lineNr = Math.min(((typer & 0x1F) + 1) * 32, 1020);
        h.d(GICD_IIDR);
        h.d(0x000C); // GICD_TYPER2
        // gic_dist_init
        h.d(GICD_CTLR, 0);
        waitForDistRwp();
        for (int i = 32; i < lineNr; i += 32) {
            h.d(GICD_IGROUPR + i / 8, -1);
        }
        for (int i = 32; i < lineNr; i += 16) {
            h.d(GICD_ICFGR + i / 4, 0);
        }
        for (int i = 32; i < lineNr; i += 4) {
            h.d(GICD_IPRIORITYR + i, DEF_PRI_X4);
        }
        for (int i = 32; i < lineNr; i += 32) {
            h.d(GICD_ICACTIVER + i / 8, -1);
            h.d(GICD_ICENABLER + i / 8, -1);
        }
        waitForDistRwp();
        h.d(GICD_CTLR, (1 << 4) | (1 << 1) | 1); // ARE_NS | ENABLE_G1A | ENABLE_G1
        waitForDistRwp();
        for (int i = 32; i < lineNr; i++) {
            h.d(GICD_IROUTER + i * 8, 0); // gic_write_irouter(affinity 0): writeq split in two
            h.d(GICD_IROUTER + i * 8 + 4, 0);
        }
        // gic_cpu_init: gic_populate_rdist
        assertEquals(0x30, h.r(GICR_PIDR2) & 0xF0);
        long rdTyper = (h.r(GICR_TYPER) & 0xFFFF_FFFFL) | ((long) h.r(GICR_TYPER + 4) << 32);
        assertEquals(0, rdTyper >>> 32, "found the redistributor of affinity 0.0.0.0");
        assertTrue((rdTyper & (1 << 4)) != 0, "GICR_TYPER.Last ends the search");
        // gic_enable_redist(true)
        int waker = h.r(GICR_WAKER);
        h.r(GICR_WAKER, waker & ~0x2);
        int polls = 0;
        while ((h.r(GICR_WAKER) & 0x4) != 0 && polls < 1_000_000) {
            polls++;
        }
        assertEquals(0, polls, "ChildrenAsleep clears at once");
        // SGIs/PPIs in Group 1, gic_cpu_config
        h.r(GICR_IGROUPR0, -1);
        h.r(GICR_ICACTIVER0, -1);
        h.r(GICR_ICENABLER0, -1);
        for (int i = 0; i < 32; i += 4) {
            h.r(GICR_IPRIORITYR0 + i, DEF_PRI_X4);
        }
        h.r(GICR_ISENABLER0, 0x0000_FFFF);
        waitForRedistRwp();
        // gic_cpu_sys_reg_init
        GicV3CpuInterface icc = h.icc();
        if ((icc.readSre() & 1) == 0) {
            icc.writeSre(icc.readSre() | 1);
        }
        int pribits = (int) ((icc.readCtlr() >> 8) & 7) + 1;
        long oldPmr = icc.readPmr();
        icc.writePmr(1L << (8 - pribits));
        boolean group0 = icc.readPmr() != 0;
        icc.writePmr(oldPmr);
        icc.writePmr(0xF0); // DEFAULT_PMR_VALUE
        icc.writeBpr1(0);
        icc.writeCtlr(0); // ICC_CTLR_EL1_EOImode_drop_dir
        assertEquals(5, pribits);
        assertTrue(group0);
        icc.writeAp0r(0, 0);
        icc.writeAp1r(0, 0);
        icc.writeIgrpen1(1);
        icc.readCtlr(); // RSS
    }

    private void waitForDistRwp() {
        assertEquals(0, h.d(GICD_CTLR) & (1 << 31));
    }

    private void waitForRedistRwp() {
        assertEquals(0, h.r(GICR_CTLR) & (1 << 3));
    }

    /** gic_configure_irq + gic_unmask_irq for a PPI or an SPI. */
    private void requestIrq(int intid, boolean edge) {
        if (intid < 32) {
            int bit = 2 << ((intid % 16) * 2);
            int cfg = h.r(GICR_ICFGR1);
            h.r(GICR_ICFGR1, edge ? cfg | bit : cfg & ~bit);
            waitForRedistRwp();
            h.r(GICR_ISENABLER0, 1 << intid);
            waitForRedistRwp();
        } else {
            int off = GICD_ICFGR + (intid / 16) * 4;
            int bit = 2 << ((intid % 16) * 2);
            int cfg = h.d(off);
            h.d(off, edge ? cfg | bit : cfg & ~bit);
            waitForDistRwp();
            h.d(GICD_ISENABLER + (intid / 32) * 4, 1 << (intid % 32));
            waitForDistRwp();
        }
    }

    /** gic_handle_irq + gic_eoi_irq for as long as the IRQ output is asserted. */
    private void takeIrqs(Runnable duringHandler) {
        int guard = 0;
        while (h.signals().irq && guard++ < 16) {
            long irqnr = h.icc().readIar1();
            if (irqnr >= 1020 && irqnr <= 1023) {
                return;
            }
            handled.add(irqnr);
            duringHandler.run();
            h.icc().writeEoir1(irqnr);
        }
    }

    @Test
    void bootLeavesEverythingInGroup1RoutedToCpu0WithoutGuestErrors() {
        assertEquals(0x53, h.d(GICD_CTLR));
        assertEquals(-1, h.d(GICD_IGROUPR + 4));
        assertEquals(-1, h.r(GICR_IGROUPR0));
        assertEquals(0xFFFF, h.r(GICR_ISENABLER0));
        assertEquals(0xA0, h.dist.read(GICD_IPRIORITYR + 79, 1));
        assertEquals(0, h.d(GICD_IROUTER + 8 * 79));
        assertFalse(h.signals().irq);
        for (String device : List.of(h.dist.name(), h.redist.get(0).name())) {
            assertEquals(0, h.errors(device, RegisterError.READ_UNKNOWN), device);
            assertEquals(0, h.errors(device, RegisterError.WRITE_UNKNOWN), device);
            assertEquals(0, h.errors(device, RegisterError.BAD_WIDTH), device);
        }
    }

    @Test
    void archTimerPpiIsPendingAgainAfterEoiUntilTheHandlerMasksTheTimer() {
        requestIrq(27, false);
        IrqLine timer = h.core.lineFor(27);
        timer.set(true);
        assertTrue(h.signals().irq);
        assertEquals(27, h.icc().readIar1());
        assertFalse(h.signals().irq, "active");
        h.icc().writeEoir1(27);
        assertTrue(h.signals().irq, "EOI while still asserted: pending again");
        takeIrqs(() -> timer.set(false)); // arch_timer_handler_virt masks the timer
        assertEquals(List.of(27L), handled);
        assertFalse(h.signals().irq);
        assertEquals(IntIds.SPURIOUS, h.icc().readIar1());
        assertEquals(List.of("IRQ+", "IRQ-", "IRQ+", "IRQ-"), h.signals().events);
    }

    @Test
    void uartAndVirtioSpisAreDelivered() {
        requestIrq(33, false);
        requestIrq(79, true);
        IrqLine uart = h.core.lineFor(33);
        IrqLine virtio = h.core.lineFor(79);
        virtio.set(true);
        virtio.set(false);
        uart.set(true);
        takeIrqs(() -> uart.set(false));
        assertEquals(List.of(33L, 79L), handled, "equal priority: lowest INTID first");
        assertEquals(0xFF, h.icc().readRpr());
    }

    @Test
    void ipiToSelfThroughSgi1rIsDelivered() {
        long tlist = 1; // CPU with Aff0 = 0
        long cluster = 0;
        h.icc().writeSgi1r((cluster << 16) | (6L << 24) | tlist); // gic_send_sgi(cluster 0, tlist 1, IPI 6)
        takeIrqs(() -> { });
        assertEquals(List.of(6L), handled);
    }

    @Test
    void spiRouteWrittenAsTwoHalvesReadsBackAsOne() {
        h.d(GICD_IROUTER + 8 * 40, 0x0003_0201);
        h.d(GICD_IROUTER + 8 * 40 + 4, 0x04);
        assertEquals(0x04_0003_0201L, h.dist.read(GICD_IROUTER + 8 * 40, 8));
        assertEquals(0x04, h.d(GICD_IROUTER + 8 * 40 + 4));
        h.dist.write(GICD_IROUTER + 8 * 40, 8, 0);
        assertEquals(0, h.dist.read(GICD_IROUTER + 8 * 40, 8));
    }
}
