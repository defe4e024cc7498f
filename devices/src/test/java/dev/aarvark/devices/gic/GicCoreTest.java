package dev.aarvark.devices.gic;

import dev.aarvark.devices.GuestErrorLog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

/** The core's machine-facing API: configuration checks, input lines, outputs and wake-up. */
class GicCoreTest {
    @Test
    void qemuVirtPresetsMatchTheProbedValues() {
        GicConfig v2 = GicConfig.qemuVirtV2(1);
        assertEquals(288, v2.interruptLimit());
        assertEquals(8, v2.itLinesNumber());
        GicConfig v3 = GicConfig.qemuVirtV3(1);
        assertEquals(256, v3.interruptLimit());
        assertEquals(7, v3.itLinesNumber());
        assertEquals(List.of(0x8000_0000L), v3.mpidrs());
        assertEquals(List.of(0x8000_0000L, 0x8000_0001L), GicConfig.qemuMpidrs(2, 16));
        assertEquals(0x8000_0100L, GicConfig.qemuMpidrs(17, 16).get(16));
    }

    @Test
    void configurationsTheArchitectureCannotHaveAreRejected() {
        List<Long> one = List.of(0x8000_0000L);
        assertThrows(GicConfigException.class, () -> new GicConfig(GicArchitecture.V2, 9, 32, 8, 7, GicConfig.qemuMpidrs(9, 8)));
        assertThrows(GicConfigException.class, () -> new GicConfig(GicArchitecture.V3, 1, 33, 5, 5, one));
        assertThrows(GicConfigException.class, () -> new GicConfig(GicArchitecture.V3, 1, 32, 3, 5, one));
        assertThrows(GicConfigException.class, () -> new GicConfig(GicArchitecture.V3, 1, 32, 5, 6, one));
        assertThrows(GicConfigException.class, () -> new GicConfig(GicArchitecture.V3, 2, 32, 5, 5, one));
        assertThrows(GicConfigException.class,
                () -> new GicConfig(GicArchitecture.V3, 2, 32, 5, 5, List.of(0x8000_0000L, 0x0L)));
        assertThrows(GicConfigException.class, () -> new GicCore(GicConfig.qemuVirtV3(2), List.of(CpuInterruptSignals.NONE), new GuestErrorLog()));
    }

    @Test
    void linesExistOnlyForPpisAndImplementedSpis() {
        GicCore core = new GicCore(GicConfig.qemuVirtV3(1), List.of(CpuInterruptSignals.NONE), new GuestErrorLog());
        assertThrows(InvalidInterruptIdException.class, () -> core.lineFor(15));
        assertThrows(InvalidInterruptIdException.class, () -> core.lineFor(256));
        assertThrows(InvalidInterruptIdException.class, () -> core.lineFor(1, 27));
        core.lineFor(16);
        core.lineFor(255);
    }

    @Test
    void frontEndsRefuseACoreOfTheOtherArchitectureOrAmbiguousCpu() {
        GicCore v3 = new GicCore(GicConfig.qemuVirtV3(1), List.of(CpuInterruptSignals.NONE), new GuestErrorLog());
        GicCore v2twoCpus = new GicCore(GicConfig.qemuVirtV2(2), List.of(CpuInterruptSignals.NONE, CpuInterruptSignals.NONE), new GuestErrorLog());
        assertThrows(GicConfigException.class, () -> new GicV2Distributor(v3));
        assertThrows(GicConfigException.class, () -> new GicV2Distributor(v2twoCpus));
        assertThrows(GicConfigException.class, () -> new GicV3Redistributor(v3, 1));
    }

    @Test
    void ppiLinesAreBankedPerCpu() {
        GicV3Harness h = new GicV3Harness(2).enabled();
        h.configure(27, 0xA0, false);
        h.core.lineFor(1, 27).set(true);
        assertEquals(InterruptStatus.PENDING, h.core.status(1, 27));
        assertEquals(InterruptStatus.INACTIVE, h.core.status(0, 27));
        assertFalse(h.cpu.get(0).irq, "CPU 0's PPI 27 is a different interrupt");
    }

    @Test
    void outputsAreReportedOnlyWhenTheyChange() {
        GicV3Harness h = new GicV3Harness().enabled();
        h.configure(40, 0xA0, false);
        var line = h.core.lineFor(40);
        line.set(true);
        line.set(true);
        h.icc().writePmr(0xF0);
        line.set(false);
        line.set(false);
        assertEquals(List.of("IRQ+", "IRQ-"), h.signals().events);
    }

    @Test
    void wakeupFollowsTheOutputsWhateverTheGuestMasks() {
        GicV3Harness h = new GicV3Harness().enabled();
        h.configure(40, 0xA0, false);
        assertFalse(h.core.wakeupPending());
        h.core.lineFor(40).set(true);
        assertTrue(h.core.wakeupPending());
        assertTrue(h.core.irqPending());
        assertFalse(h.core.fiqPending());
        h.icc().writePmr(0x80);
        assertFalse(h.core.wakeupPending(), "an interrupt the GIC masks does not wake the CPU");
    }
}
