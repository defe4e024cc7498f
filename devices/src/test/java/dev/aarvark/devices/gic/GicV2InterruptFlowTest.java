package dev.aarvark.devices.gic;

import dev.aarvark.devices.InterruptError;
import static dev.aarvark.devices.gic.GicV2Harness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aarvark.devices.IrqLine;

import java.util.List;

import org.junit.jupiter.api.Test;

/**
 * Interrupt handling through the GICv2 registers: acknowledge and end of interrupt, priority
 * masking and preemption (IHI 0048B §3.3), EOImode, edge and level inputs, software pending,
 * groups and FIQ, spurious reads.
 */
class GicV2InterruptFlowTest {
    private final GicV2Harness h = new GicV2Harness().enabled();

    @Test
    void enabledSpiWithRaisedLineAssertsIrqAndIarMakesItActive() {
        h.configure(40, 0x80, false);
        h.core.lineFor(40).set(true);
        assertTrue(h.irq());
        assertEquals(40, h.c(GICC_IAR));
        assertEquals(InterruptStatus.ACTIVE_AND_PENDING, h.core.status(0, 40));
        assertFalse(h.irq());
        assertEquals(0x80, h.c(GICC_RPR));
        assertEquals(1 << (0x80 >> 1) % 32, h.c(GICC_APR0 + 4 * ((0x80 >> 1) / 32)));
    }

    @Test
    void lowerPriorityInterruptWaitsUntilTheRunningOneEnds() {
        h.configure(40, 0x80, false);
        h.configure(41, 0xA0, false);
        h.core.lineFor(40).set(true);
        assertEquals(40, h.c(GICC_IAR));
        h.core.lineFor(40).set(false);
        h.core.lineFor(41).set(true);
        assertFalse(h.irq(), "0xA0 cannot preempt running priority 0x80");
        assertEquals(IntIds.SPURIOUS, h.c(GICC_IAR));
        assertEquals(41, h.c(GICC_HPPIR), "still the highest pending one");
        h.c(GICC_EOIR, 40);
        assertTrue(h.irq());
        assertEquals(41, h.c(GICC_IAR));
    }

    @Test
    void higherPriorityInterruptPreemptsAndPrioritiesUnwindInOrder() {
        h.configure(40, 0xA0, true);
        h.configure(41, 0x40, true);
        IrqLine low = h.core.lineFor(40);
        IrqLine high = h.core.lineFor(41);
        low.set(true);
        assertEquals(40, h.c(GICC_IAR));
        high.set(true);
        assertTrue(h.irq(), "0x40 preempts running priority 0xA0");
        assertEquals(41, h.c(GICC_IAR));
        assertEquals(0x40, h.c(GICC_RPR));
        h.c(GICC_EOIR, 41);
        assertEquals(0xA0, h.c(GICC_RPR));
        h.c(GICC_EOIR, 40);
        assertEquals(0xFF, h.c(GICC_RPR));
        assertEquals(List.of("IRQ+", "IRQ-", "IRQ+", "IRQ-"), h.signals().events);
    }

    @Test
    void onlyTheGroupPriorityPreempts() {
        h.c(GICC_BPR, 4); // group priority bits [7:5]
        h.configure(40, 0x90, true);
        h.configure(41, 0x80, true);
        h.core.lineFor(40).set(true);
        assertEquals(40, h.c(GICC_IAR));
        assertEquals(0x80, h.c(GICC_RPR), "running priority is the group priority");
        h.core.lineFor(41).set(true);
        assertFalse(h.irq(), "same group priority 0x80: no preemption");
        h.c(GICC_BPR, 0);
        assertFalse(h.irq(), "the running priority was fixed when 40 was acknowledged");
        h.c(GICC_EOIR, 40);
        assertEquals(41, h.c(GICC_IAR));
    }

    @Test
    void priorityMaskHoldsBackInterruptsAtOrBelowIt() {
        h.configure(40, 0xF0, false);
        h.core.lineFor(40).set(true);
        assertFalse(h.irq(), "priority 0xF0 is not above PMR 0xF0");
        assertEquals(IntIds.SPURIOUS, h.c(GICC_IAR));
        assertEquals(IntIds.SPURIOUS, h.c(GICC_HPPIR));
        h.c(GICC_PMR, 0xF8);
        assertTrue(h.irq());
        assertEquals(40, h.c(GICC_IAR));
    }

    @Test
    void eoiModeOneDropsPriorityAndLeavesDeactivationToDir() {
        h.c(GICC_CTLR, 1 | 1 << 9);
        h.configure(40, 0x80, true);
        h.core.lineFor(40).set(true);
        assertEquals(40, h.c(GICC_IAR));
        h.c(GICC_EOIR, 40);
        assertEquals(0xFF, h.c(GICC_RPR));
        assertEquals(InterruptStatus.ACTIVE, h.core.status(0, 40));
        h.core.lineFor(40).set(false);
        h.core.lineFor(40).set(true);
        assertFalse(h.irq(), "active and pending is not signalled");
        h.c(GICC_DIR, 40);
        assertEquals(InterruptStatus.PENDING, h.core.status(0, 40));
        assertTrue(h.irq());
    }

    @Test
    void eoiModeZeroDeactivatesAndRejectsDir() {
        h.configure(40, 0x80, true);
        h.core.lineFor(40).set(true);
        assertEquals(40, h.c(GICC_IAR));
        h.c(GICC_DIR, 40);
        assertEquals(1, h.errors(h.cpuif.name(), InterruptError.DEACTIVATE_WITH_EOIMODE_0));
        assertEquals(InterruptStatus.ACTIVE, h.core.status(0, 40));
        h.c(GICC_EOIR, 40);
        assertEquals(InterruptStatus.INACTIVE, h.core.status(0, 40));
    }

    @Test
    void levelInterruptDeassertedBeforeAcknowledgeIsGone() {
        h.configure(40, 0x80, false);
        IrqLine line = h.core.lineFor(40);
        line.set(true);
        assertTrue(h.irq());
        line.set(false);
        assertFalse(h.irq());
        assertEquals(IntIds.SPURIOUS, h.c(GICC_IAR));
    }

    @Test
    void edgePulseIsLatchedUntilAcknowledged() {
        h.configure(40, 0x80, true);
        IrqLine line = h.core.lineFor(40);
        line.set(true);
        line.set(false);
        assertTrue(h.irq());
        assertEquals(1 << 8, h.d(GICD_ISPENDR + 4));
        assertEquals(40, h.c(GICC_IAR));
        h.c(GICC_EOIR, 40);
        assertFalse(h.irq());
    }

    @Test
    void softwareCanSetAndClearPending() {
        h.configure(40, 0x80, false);
        h.d(GICD_ISPENDR + 4, 1 << 8);
        assertTrue(h.irq());
        h.d(GICD_ICPENDR + 4, 1 << 8);
        assertFalse(h.irq());
        h.core.lineFor(40).set(true);
        h.d(GICD_ICPENDR + 4, 1 << 8);
        assertTrue(h.irq(), "clear-pending cannot clear an asserted level-sensitive line");
    }

    @Test
    void softwareCanSetAndClearActive() {
        h.configure(40, 0x80, false);
        h.d(GICD_ISACTIVER + 4, 1 << 8);
        h.core.lineFor(40).set(true);
        assertFalse(h.irq());
        assertEquals(1 << 8, h.d(GICD_ISACTIVER + 4));
        h.d(GICD_ICACTIVER + 4, 1 << 8);
        assertTrue(h.irq());
    }

    @Test
    void disabledInterruptIsNotSignalledUntilEnabled() {
        h.dist.write(GICD_IPRIORITYR + 40, 1, 0x80);
        h.core.lineFor(40).set(true);
        assertFalse(h.irq());
        h.d(GICD_ISENABLER + 4, 1 << 8);
        assertTrue(h.irq());
        h.d(GICD_ICENABLER + 4, 1 << 8);
        assertFalse(h.irq());
    }

    @Test
    void group0IsSignalledAsFiqWhenFiqEnIsSet() {
        h.c(GICC_CTLR, 1 | 1 << 3);
        h.configure(40, 0x80, false);
        h.core.lineFor(40).set(true);
        assertTrue(h.fiq());
        assertFalse(h.irq());
        assertEquals(40, h.c(GICC_IAR));
        assertFalse(h.fiq());
    }

    @Test
    void group1IsSignalledAsIrqAndAcknowledgedThroughTheAliasOrWithAckCtl() {
        h.d(GICD_CTLR, 3);
        h.c(GICC_CTLR, 3 | 1 << 3);
        h.configure(40, 0x80, false);
        h.d(GICD_IGROUPR + 4, 1 << 8);
        h.core.lineFor(40).set(true);
        assertTrue(h.irq());
        assertFalse(h.fiq());
        assertEquals(IntIds.GROUP1_NOT_ACKNOWLEDGED, h.c(GICC_IAR));
        assertEquals(IntIds.GROUP1_NOT_ACKNOWLEDGED, h.c(GICC_HPPIR));
        assertEquals(40, h.c(GICC_AHPPIR));
        assertEquals(InterruptStatus.PENDING, h.core.status(0, 40), "1022 does not acknowledge");
        assertEquals(40, h.c(GICC_AIAR));
        assertEquals(1 << (0x80 >> 1) % 32, h.c(GICC_NSAPR0 + 4 * ((0x80 >> 1) / 32)));
        h.c(GICC_AEOIR, 40);
        assertEquals(InterruptStatus.PENDING, h.core.status(0, 40), "line still high");
        h.c(GICC_CTLR, 3 | 1 << 2);
        assertEquals(40, h.c(GICC_IAR), "AckCtl lets GICC_IAR acknowledge Group 1");
    }

    @Test
    void group0HighestPendingIsNotAcknowledgedThroughTheAlias() {
        h.configure(40, 0x80, false);
        h.core.lineFor(40).set(true);
        assertEquals(IntIds.SPURIOUS, h.c(GICC_AIAR));
        assertEquals(IntIds.SPURIOUS, h.c(GICC_AHPPIR));
        assertEquals(InterruptStatus.PENDING, h.core.status(0, 40));
    }

    @Test
    void disabledGroupNeitherSignalsNorHidesTheOtherGroup() {
        h.d(GICD_CTLR, 3);
        h.c(GICC_CTLR, 2 | 1 << 2); // Group 1 only, AckCtl
        h.configure(40, 0x10, false); // Group 0, high priority
        h.configure(41, 0x80, false);
        h.d(GICD_IGROUPR + 4, 1 << 9);
        h.core.lineFor(40).set(true);
        h.core.lineFor(41).set(true);
        assertTrue(h.irq());
        assertEquals(41, h.c(GICC_IAR));
    }

    @Test
    void disablingTheDistributorStopsForwarding() {
        h.configure(40, 0x80, false);
        h.core.lineFor(40).set(true);
        h.d(GICD_CTLR, 0);
        assertFalse(h.irq());
        assertEquals(IntIds.SPURIOUS, h.c(GICC_IAR));
    }

    @Test
    void iarReadsSpuriousWhenNothingIsPendingAndEoiOfSpuriousIsIgnored() {
        assertEquals(IntIds.SPURIOUS, h.c(GICC_IAR));
        h.c(GICC_EOIR, IntIds.SPURIOUS);
        assertEquals(0xFF, h.c(GICC_RPR));
        assertEquals(0, h.errors(h.cpuif.name(), InterruptError.EOI_NOTHING_ACTIVE));
    }

    @Test
    void equalPrioritiesAreTakenLowestIntidFirst() {
        h.configure(45, 0x80, false);
        h.configure(40, 0x80, false);
        h.core.lineFor(45).set(true);
        h.core.lineFor(40).set(true);
        assertEquals(40, h.c(GICC_IAR));
    }

    @Test
    void writingTheActivePriorityRegistersChangesTheRunningPriority() {
        h.configure(40, 0x80, true);
        h.core.lineFor(40).set(true);
        assertEquals(40, h.c(GICC_IAR));
        h.configure(41, 0x90, true);
        h.core.lineFor(41).set(true);
        assertFalse(h.irq());
        for (int i = 0; i < 4; i++) {
            h.c(GICC_APR0 + 4 * i, 0);
        }
        assertEquals(0xFF, h.c(GICC_RPR));
        assertTrue(h.irq());
    }
}
