package dev.aarvark.devices.gic;

import dev.aarvark.devices.RegisterError;
import static dev.aarvark.devices.gic.GicV2Harness.*;
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
 * Replays Linux 6.1's drivers/irqchip/irq-gic.c against the GICv2 model: gic_dist_init,
 * gic_cpu_init and gic_cpu_if_up at boot, then gic_handle_irq / gic_eoi_irq for each interrupt,
 * with the 32-bit accesses (and the byte write of gic_set_affinity) the driver makes. At EL1 the
 * driver does not use split EOI (supports_deactivate is off without EL2).
 */
class GicV2LinuxDriverTest {
    private static final int GICD_INT_DEF_PRI_X4 = 0xA0A0_A0A0;

    private final GicV2Harness h = new GicV2Harness();
    private final List<Integer> handled = new ArrayList<>();
    private int cpuMap;

    @BeforeEach
    void boot() {
        int gicIrqs = Math.min(32 * ((h.d(GICD_TYPER) & 0x1F) + 1), 1020);
        // gic_dist_init
        h.d(GICD_CTLR, 0);
        cpuMap = gicGetCpumask();
        int cpumask = cpuMap | cpuMap << 8 | cpuMap << 16 | cpuMap << 24;
        for (int i = 32; i < gicIrqs; i += 4) {
            h.d(GICD_ITARGETSR + i, cpumask);
        }
        for (int i = 32; i < gicIrqs; i += 16) {
            h.d(GICD_ICFGR + i / 4, 0);
        }
        for (int i = 32; i < gicIrqs; i += 4) {
            h.d(GICD_IPRIORITYR + i, GICD_INT_DEF_PRI_X4);
        }
        for (int i = 32; i < gicIrqs; i += 32) {
            h.d(GICD_ICACTIVER + i / 8, -1);
            h.d(GICD_ICENABLER + i / 8, -1);
        }
        h.d(GICD_CTLR, 1);
        // gic_cpu_init: gic_cpu_config
        gicGetCpumask();
        h.d(GICD_ICACTIVER, -1);
        h.d(GICD_ICENABLER, 0xFFFF_0000);
        h.d(GICD_ISENABLER, 0x0000_FFFF);
        for (int i = 0; i < 32; i += 4) {
            h.d(GICD_IPRIORITYR + i, GICD_INT_DEF_PRI_X4);
        }
        h.c(GICC_PMR, 0xF0);
        // gic_cpu_if_up
        int bypass = h.c(GICC_CTLR) & 0x1E0;
        h.c(GICC_CTLR, bypass | 1);
    }

    private int gicGetCpumask() {
        int mask = 0;
        for (int i = 0; i < 32; i += 4) {
            mask = h.d(GICD_ITARGETSR + i);
            mask |= mask >>> 16;
            mask |= mask >>> 8;
            if (mask != 0) {
                break;
            }
        }
        return mask & 0xFF;
    }

    /** gic_set_type: level-high or edge-rising through GICD_ICFGR, then gic_unmask_irq. */
    private void requestIrq(int intid, boolean edge) {
        int off = GICD_ICFGR + (intid / 16) * 4;
        int bit = 2 << ((intid % 16) * 2);
        int val = h.d(off);
        h.d(off, edge ? val | bit : val & ~bit);
        h.d(GICD_ISENABLER + (intid / 32) * 4, 1 << (intid % 32));
    }

    /** gic_handle_irq for as long as the CPU's IRQ input is asserted; each handler runs {@code handler}. */
    private void takeIrqs(Runnable duringHandler) {
        int guard = 0;
        while (h.irq() && guard++ < 16) {
            while (true) {
                int irqstat = h.c(GICC_IAR);
                int irqnr = irqstat & 0x3FF;
                if (irqnr >= 1020) {
                    break;
                }
                handled.add(irqnr);
                duringHandler.run();
                h.c(GICC_EOIR, irqstat);
            }
        }
    }

    @Test
    void bootFindsItsCpuMaskAndLeavesSpisTargetedAtDefaultPriority() {
        assertEquals(1, cpuMap);
        assertEquals(0xA0, h.dist.read(GICD_IPRIORITYR + 33, 1));
        assertEquals(0x0101_0101, h.d(GICD_ITARGETSR + 32));
        assertEquals(1, h.d(GICD_CTLR));
        assertEquals(0x0000_FFFF, h.d(GICD_ISENABLER), "SGIs on, PPIs off");
        assertFalse(h.irq());
        assertEquals(0, h.errors(h.dist.name(), RegisterError.READ_UNKNOWN) + h.errors(h.dist.name(), RegisterError.BAD_WIDTH));
    }

    @Test
    void uartSpiInterruptsUntilTheHandlerClearsTheDeviceLine() {
        requestIrq(33, false);
        IrqLine uart = h.core.lineFor(33);
        uart.set(true);
        assertTrue(h.irq());
        takeIrqs(() -> uart.set(false));
        assertEquals(List.of(33), handled);
        assertFalse(h.irq());
        assertEquals(InterruptStatus.INACTIVE, h.core.status(0, 33));
        assertEquals(0xFF, h.c(GICC_RPR));
    }

    @Test
    void virtioEdgeInterruptIsTakenOncePerEdge() {
        requestIrq(79, true);
        IrqLine virtio = h.core.lineFor(79);
        virtio.set(true);
        virtio.set(false);
        virtio.set(true);
        takeIrqs(() -> { });
        assertEquals(List.of(79), handled, "two edges before the acknowledge are one interrupt");
        virtio.set(false);
        virtio.set(true);
        takeIrqs(() -> { });
        assertEquals(List.of(79, 79), handled);
    }

    @Test
    void affinityByteWriteIsAcceptedOnAUniprocessorGic() {
        requestIrq(34, false);
        h.dist.write(GICD_ITARGETSR + 34, 1, cpuMap);
        h.core.lineFor(34).set(true);
        assertTrue(h.irq());
    }

    @Test
    void archTimerPpiRaisedAgainAfterEoiWhileStillAssertedUntilTheTimerIsMasked() {
        requestIrq(27, false);
        IrqLine timer = h.core.lineFor(27);
        timer.set(true);
        int irqstat = h.c(GICC_IAR);
        assertEquals(27, irqstat);
        assertFalse(h.irq(), "active: not signalled again");
        h.c(GICC_EOIR, irqstat);
        assertTrue(h.irq(), "still asserted after EOI: pending again");
        assertEquals(27, h.c(GICC_IAR));
        timer.set(false); // arch_timer_handler_virt sets CNTV_CTL.IMASK
        h.c(GICC_EOIR, 27);
        assertFalse(h.irq());
        assertEquals(IntIds.SPURIOUS, h.c(GICC_IAR));
    }

    @Test
    void selfIpiArrivesThroughSgirWithTheSendersCpuId() {
        h.d(GICD_SGIR, cpuMap << 16 | 5); // gic_ipi_send_mask
        takeIrqs(() -> { });
        assertEquals(List.of(5), handled);
        assertFalse(h.irq());
    }
}
