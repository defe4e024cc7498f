package dev.aarvark.devices.gic;

import dev.aarvark.devices.RegisterError;
import static dev.aarvark.devices.gic.GicV2Harness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aarvark.devices.IrqLine;
import dev.aarvark.devices.RegisterAccess;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Replays seL4's kernel/src/arch/arm/machine/gic_v2.c (dist_init, cpu_iface_init) and the
 * getActiveIRQ / isIRQPending / ackInterrupt helpers of its gic_v2.h against the GICv2 model,
 * with the same 32-bit accesses through its register structs, for the qemu-arm-virt platform
 * (no hypervisor support: everything in Group 0).
 */
class GicV2Sel4DriverTest {
    private static final int IRQ_MASK = 0x3FF;

    private final GicV2Harness h = new GicV2Harness();
    private int activeIrq = IntIds.SPURIOUS;
    private int inferredTarget;

    @BeforeEach
    void boot() {
        // dist_init
        int nirqs = 32 * ((h.d(GICD_TYPER) & 0x1F) + 1);
        h.d(GICD_CTLR, 0);
        for (int i = 0; i < nirqs; i += 32) {
            h.d(GICD_ICENABLER + (i >> 5) * 4, -1);
            h.d(GICD_ICPENDR + (i >> 5) * 4, -1);
        }
        for (int i = 32; i < nirqs; i += 4) {
            h.d(GICD_IPRIORITYR + (i >> 2) * 4, 0);
        }
        inferredTarget = inferCpuGicId(nirqs);
        int all = inferredTarget | inferredTarget << 8 | inferredTarget << 16 | inferredTarget << 24;
        for (int i = 0; i < nirqs; i += 4) {
            h.d(GICD_ITARGETSR + (i >> 2) * 4, all);
        }
        for (int i = 64; i < nirqs; i += 32) {
            h.d(GICD_ICFGR + (i >> 5) * 4, 0x5555_5555);
        }
        for (int i = 0; i < nirqs; i += 32) {
            h.d(GICD_IGROUPR + (i >> 5) * 4, 0);
        }
        h.d(GICD_CTLR, 1);
        // cpu_iface_init
        h.d(GICD_ICENABLER, -1);
        h.d(GICD_ICPENDR, -1);
        h.d(GICD_IGROUPR, 0);
        h.d(GICD_IPRIORITYR, 0);
        for (int i = 0; i < 16; i += 4) {
            h.d(GICD_CPENDSGIR + (i >> 2) * 4, -1);
        }
        h.c(GICC_CTLR, 0);
        h.c(GICC_PMR, 0xF0);
        h.c(GICC_BPR, 3);
        int i = h.c(GICC_IAR);
        while ((i & IRQ_MASK) != IntIds.SPURIOUS) {
            h.c(GICC_EOIR, i);
            i = h.c(GICC_IAR);
        }
        h.c(GICC_CTLR, 1);
    }

    private int inferCpuGicId(int nirqs) {
        int target = 0;
        for (int i = 0; i < nirqs; i += 4) {
            target = h.d(GICD_ITARGETSR + (i >> 2) * 4);
            target |= target >>> 16;
            target |= target >>> 8;
            if (target != 0) {
                break;
            }
        }
        return target == 0 ? 1 : target & 0xFF; // seL4 warns "Could not infer GIC interrupt target ID"
    }

    private static boolean isIrqValid(int irq) {
        return (irq & IRQ_MASK) < IntIds.FIRST_SPECIAL;
    }

    private int getActiveIrq() {
        if (!isIrqValid(activeIrq)) {
            activeIrq = h.c(GICC_IAR);
        }
        return isIrqValid(activeIrq) ? activeIrq & IRQ_MASK : -1;
    }

    private boolean isIrqPending() {
        return isIrqValid(h.c(GICC_HPPIR));
    }

    private void ackInterrupt(int irq) {
        int word = irq >> 4;
        boolean edge = (h.d(GICD_ICFGR + word * 4) & (1 << ((irq & 0xF) * 2 + 1))) != 0;
        if (edge) {
            h.d(GICD_ICPENDR + (irq >> 5) * 4, 1 << (irq & 31));
        }
        h.c(GICC_EOIR, activeIrq);
        activeIrq = IntIds.SPURIOUS;
    }

    private void maskInterrupt(boolean disable, int irq) {
        h.d((disable ? GICD_ICENABLER : GICD_ISENABLER) + (irq >> 5) * 4, 1 << (irq & 31));
    }

    @Test
    void bootInfersCpuInterfaceZeroWithoutWarningAndEnablesTheCpuInterface() {
        assertEquals(1, inferredTarget);
        assertEquals(1, h.c(GICC_CTLR));
        assertEquals(3, h.c(GICC_BPR));
        assertEquals(0, h.d(GICD_ICFGR + 8), "odd (edge) bits clear: level-triggered");
        assertEquals(0, h.errors(h.dist.name(), RegisterError.WRITE_UNKNOWN));
        assertEquals(0, h.errors(h.cpuif.name(), RegisterError.WRITE_UNKNOWN));
    }

    @Test
    void timerInterruptIsDeliveredAcknowledgedAndRetiredAsTheKernelDoes() {
        maskInterrupt(false, 27);
        IrqLine timer = h.core.lineFor(27);
        timer.set(true);
        assertTrue(h.irq(), "Group 0 with FIQEn clear is signalled as IRQ");
        assertTrue(isIrqPending());
        assertEquals(27, getActiveIrq());
        timer.set(false); // the kernel reprograms the deadline in its handler
        ackInterrupt(27);
        assertFalse(h.irq());
        assertFalse(isIrqPending());
        assertEquals(-1, getActiveIrq());
    }

    @Test
    void maskedInterruptStaysPendingButIsNotSignalled() {
        IrqLine uart = h.core.lineFor(33);
        uart.set(true);
        assertFalse(h.irq());
        maskInterrupt(false, 33);
        assertTrue(h.irq());
        maskInterrupt(true, 33);
        assertFalse(h.irq());
        assertEquals(InterruptStatus.PENDING, h.core.status(0, 33));
    }

    @Test
    void sgiToItselfIsAcknowledgedWithItsSourceAndClearedByEoi() {
        h.d(GICD_SGIR, 1 << 16 | 3); // plat_sendSGI(3, 0): BIT(0) in the target list
        assertEquals(3, getActiveIrq());
        assertEquals(3, activeIrq, "source CPU 0 in bits [12:10]");
        ackInterrupt(3);
        assertFalse(isIrqPending());
    }
}
