package dev.aarvark.devices.gic;

import dev.aarvark.devices.InterruptError;
import static dev.aarvark.devices.gic.GicV3Harness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.aarvark.devices.IrqLine;

import org.junit.jupiter.api.Test;

/**
 * Interrupt handling through the GICv3 registers: groups and FIQ, the per-group acknowledge and
 * EOI registers, EOImode, preemption with 5 priority bits, software pending, SGI generation and
 * SPI routing (IHI 0069 §4, §12.2).
 */
class GicV3InterruptFlowTest {
    private final GicV3Harness h = new GicV3Harness().enabled();
    private final GicV3CpuInterface icc = h.icc();

    @Test
    void group0InterruptIsSignalledAsFiqAndAcknowledgedOnlyThroughIar0() {
        icc.writeIgrpen0(1);
        h.configure(40, 0x80, false);
        h.d(GICD_IGROUPR + 4, ~(1 << 8)); // INTID 40 in Group 0
        h.core.lineFor(40).set(true);
        assertTrue(h.signals().fiq);
        assertFalse(h.signals().irq);
        assertEquals(IntIds.SPURIOUS, icc.readIar1());
        assertEquals(IntIds.SPURIOUS, icc.readHppir1());
        assertEquals(40, icc.readHppir0());
        assertEquals(40, icc.readIar0());
        assertFalse(h.signals().fiq);
        icc.writeEoir1(40);
        assertEquals(1, h.errors(icc.name(), InterruptError.EOI_WRONG_GROUP));
        assertEquals(0x80, icc.readRpr(), "the wrong EOI register drops nothing");
        icc.writeEoir0(40);
        assertEquals(0xFF, icc.readRpr());
    }

    @Test
    void group1InterruptIsSignalledAsIrqAndIar0DoesNotTakeIt() {
        h.configure(40, 0x80, false);
        h.core.lineFor(40).set(true);
        assertTrue(h.signals().irq);
        assertEquals(IntIds.SPURIOUS, icc.readIar0());
        assertEquals(40, icc.readIar1());
    }

    @Test
    void groupDisabledAtTheCpuInterfaceIsNotSignalled() {
        h.configure(40, 0x80, false);
        h.core.lineFor(40).set(true);
        icc.writeIgrpen1(0);
        assertFalse(h.signals().irq);
        assertEquals(IntIds.SPURIOUS, icc.readIar1());
        icc.writeIgrpen1(1);
        assertTrue(h.signals().irq);
    }

    @Test
    void lowerPriorityWaitsAndHigherPriorityPreempts() {
        h.configure(40, 0xA0, true);
        h.configure(41, 0xC0, true);
        h.configure(42, 0x40, true);
        h.core.lineFor(40).set(true);
        assertEquals(40, icc.readIar1());
        assertEquals(0xA0, icc.readRpr());
        assertEquals(1 << (0xA0 >> 3), icc.readAp1r(0));
        h.core.lineFor(41).set(true);
        assertFalse(h.signals().irq);
        assertEquals(IntIds.SPURIOUS, icc.readIar1());
        assertEquals(41, icc.readHppir1(), "HPPIR ignores the running priority");
        h.core.lineFor(42).set(true);
        assertTrue(h.signals().irq);
        assertEquals(42, icc.readIar1());
        icc.writeEoir1(42);
        icc.writeEoir1(40);
        assertEquals(41, icc.readIar1());
    }

    @Test
    void binaryPointOneGroupsSubprioritiesTogether() {
        icc.writeBpr1(5); // Group 1 group priority bits [7:5]
        h.configure(40, 0x90, true);
        h.configure(41, 0x80, true);
        h.core.lineFor(40).set(true);
        assertEquals(40, icc.readIar1());
        h.core.lineFor(41).set(true);
        assertFalse(h.signals().irq, "0x80 and 0x90 share group priority 0x80");
    }

    @Test
    void priorityMaskUsesOnlyTheImplementedBits() {
        h.configure(40, 0xF4, false);
        h.core.lineFor(40).set(true);
        icc.writePmr(0xF7); // stored as 0xF0
        assertFalse(h.signals().irq);
        assertEquals(40, icc.readHppir1(), "HPPIR ignores the priority mask");
        icc.writePmr(0xF8);
        assertTrue(h.signals().irq);
    }

    @Test
    void eoiModeOneSplitsPriorityDropFromDeactivation() {
        icc.writeCtlr(2);
        h.configure(40, 0x80, false);
        IrqLine line = h.core.lineFor(40);
        line.set(true);
        assertEquals(40, icc.readIar1());
        icc.writeEoir1(40);
        assertEquals(0xFF, icc.readRpr());
        assertEquals(InterruptStatus.ACTIVE_AND_PENDING, h.core.status(0, 40));
        assertFalse(h.signals().irq);
        icc.writeDir(40);
        assertTrue(h.signals().irq);
    }

    @Test
    void dirWithEoiModeZeroIsIgnoredAsAGuestError() {
        h.configure(40, 0x80, false);
        h.core.lineFor(40).set(true);
        assertEquals(40, icc.readIar1());
        icc.writeDir(40);
        assertEquals(InterruptStatus.ACTIVE_AND_PENDING, h.core.status(0, 40));
        assertEquals(1, h.errors(icc.name(), InterruptError.DEACTIVATE_WITH_EOIMODE_0));
    }

    @Test
    void eoiWithNothingActiveIsAGuestErrorAndSpecialIntidsAreIgnored() {
        icc.writeEoir1(IntIds.SPURIOUS);
        assertEquals(0, h.errors(icc.name(), InterruptError.EOI_NOTHING_ACTIVE));
        icc.writeEoir1(40);
        assertEquals(1, h.errors(icc.name(), InterruptError.EOI_NOTHING_ACTIVE));
    }

    @Test
    void redistributorPendingAndActiveBitsDriveThePrivateInterrupts() {
        h.configure(20, 0x80, false);
        h.r(GICR_ISPENDR0, 1 << 20);
        assertEquals(1 << 20, h.r(GICR_ISPENDR0));
        assertTrue(h.signals().irq);
        h.r(GICR_ICPENDR0, 1 << 20);
        assertFalse(h.signals().irq);
        h.r(GICR_ISACTIVER0, 1 << 20);
        h.r(GICR_ISPENDR0, 1 << 20);
        assertFalse(h.signals().irq, "active and pending");
        assertEquals(1 << 20, h.r(GICR_ICACTIVER0));
        h.r(GICR_ICACTIVER0, 1 << 20);
        assertTrue(h.signals().irq);
    }

    @Test
    void distributorGroupEnableGatesPrivateInterruptsToo() {
        h.configure(27, 0x80, false);
        h.core.lineFor(27).set(true);
        h.d(GICD_CTLR, 0x1);
        assertFalse(h.signals().irq);
        h.d(GICD_CTLR, 0x2);
        assertTrue(h.signals().irq);
    }

    @Test
    void sgiIsPendedOnlyWhenItsConfiguredGroupMatchesTheGeneratingRegister() {
        h.configure(3, 0x80, false);
        icc.writeSgi0r(3L << 24 | 1);
        assertFalse(h.signals().irq, "ICC_SGI0R_EL1 generates Group 0; SGI 3 is Group 1");
        icc.writeAsgi1r(3L << 24 | 1);
        assertFalse(h.signals().irq, "with DS = 1 ICC_ASGI1R_EL1 generates Group 0 as well");
        icc.writeSgi1r(3L << 24 | 1);
        assertTrue(h.signals().irq);
        assertEquals(3, icc.readIar1(), "no source CPU bits in GICv3");
    }

    @Test
    void group0SgiIsGeneratedThroughSgi0r() {
        icc.writeIgrpen0(1);
        h.configure(4, 0x80, false);
        h.r(GICR_IGROUPR0, ~(1 << 4));
        icc.writeSgi0r(4L << 24 | 1);
        assertTrue(h.signals().fiq);
        assertEquals(4, icc.readIar0());
    }

    @Test
    void sgiTargetListSelectsByAffinityAndIrmSelectsEveryoneElse() {
        GicV3Harness two = new GicV3Harness(2).enabled();
        for (GicV3Redistributor rd : two.redist) {
            rd.write(GICR_ISENABLER0, 4, 1 << 1);
            rd.write(GICR_IPRIORITYR0 + 1, 1, 0x80);
        }
        two.icc.get(0).writeSgi1r(1L << 24 | 0b10);
        assertFalse(two.cpu.get(0).irq);
        assertTrue(two.cpu.get(1).irq);
        assertEquals(1, two.icc.get(1).readIar1());
        two.icc.get(1).writeEoir1(1);
        two.icc.get(1).writeSgi1r(1L << 40 | 1L << 24);
        assertTrue(two.cpu.get(0).irq);
        assertFalse(two.cpu.get(1).irq, "IRM = 1 excludes the sender");
        two.icc.get(0).writeSgi1r(1L << 16 | 1L << 24 | 0b11);
        assertFalse(two.cpu.get(1).irq, "Aff1 = 1 matches nobody");
    }

    @Test
    void spiFollowsItsRouteAndAnUnknownAffinityReachesNobody() {
        GicV3Harness two = new GicV3Harness(2).enabled();
        two.configure(40, 0x80, false);
        two.core.lineFor(40).set(true);
        assertTrue(two.cpu.get(0).irq);
        two.d(GICD_IROUTER + 8 * 40, 0x1);
        assertFalse(two.cpu.get(0).irq);
        assertTrue(two.cpu.get(1).irq);
        two.d(GICD_IROUTER + 8 * 40, 0x5);
        assertFalse(two.cpu.get(0).irq || two.cpu.get(1).irq);
        assertEquals(InterruptStatus.PENDING, two.core.status(0, 40));
    }

    @Test
    void activePriorityRegistersCanBeClearedByTheGuest() {
        h.configure(40, 0x80, true);
        h.core.lineFor(40).set(true);
        assertEquals(40, icc.readIar1());
        icc.writeAp1r(0, 0);
        assertEquals(0xFF, icc.readRpr());
        assertEquals(0, icc.readAp0r(0));
    }
}
