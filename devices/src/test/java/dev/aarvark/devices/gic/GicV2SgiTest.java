package dev.aarvark.devices.gic;

import dev.aarvark.devices.RegisterError;
import static dev.aarvark.devices.gic.GicV2Harness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * GICv2 software-generated interrupts on a two-CPU GIC: GICD_SGIR target filters, the source CPU
 * in GICC_IAR, one pending request per source, GICD_SPENDSGIR / GICD_CPENDSGIR (IHI 0048B
 * §4.3.15-17).
 */
class GicV2SgiTest {
    private final GicV2Harness h = new GicV2Harness(2).enabled();

    private int iarOn(int cpu) {
        h.current = cpu;
        return h.c(GICC_IAR);
    }

    private void eoiOn(int cpu, int value) {
        h.current = cpu;
        h.c(GICC_EOIR, value);
    }

    private void sgirFrom(int cpu, int value) {
        h.current = cpu;
        h.d(GICD_SGIR, value);
    }

    @Test
    void targetListSendsToTheListedCpusWithTheSenderInIar() {
        sgirFrom(0, 0b10 << 16 | 7);
        assertFalse(h.cpu.get(0).irq);
        assertTrue(h.cpu.get(1).irq);
        assertEquals(7, iarOn(1));
        eoiOn(1, 7);
        assertFalse(h.cpu.get(1).irq);
    }

    @Test
    void filterOneSendsToEveryCpuButTheSender() {
        sgirFrom(1, 1 << 24 | 2);
        assertTrue(h.cpu.get(0).irq);
        assertFalse(h.cpu.get(1).irq);
        assertEquals(2 | 1 << 10, iarOn(0), "CPUID 1 in bits [12:10]");
    }

    @Test
    void filterTwoSendsOnlyToTheSender() {
        sgirFrom(1, 2 << 24 | 0xFF << 16 | 4);
        assertFalse(h.cpu.get(0).irq);
        assertEquals(4 | 1 << 10, iarOn(1));
    }

    @Test
    void reservedFilterIsAGuestErrorAndSendsNothing() {
        sgirFrom(0, 3 << 24 | 0xFF << 16 | 1);
        assertFalse(h.cpu.get(0).irq || h.cpu.get(1).irq);
        assertEquals(1, h.errors(h.dist.name(), RegisterError.RESERVED_VALUE));
    }

    @Test
    void requestsFromTwoSourcesAreAcknowledgedOneAtATime() {
        sgirFrom(0, 0b01 << 16 | 9);
        sgirFrom(1, 0b01 << 16 | 9);
        assertEquals(9, iarOn(0), "lowest source first");
        assertEquals(InterruptStatus.ACTIVE_AND_PENDING, h.core.status(0, 9));
        eoiOn(0, 9);
        assertEquals(9 | 1 << 10, iarOn(0));
        eoiOn(0, 9 | 1 << 10);
        assertEquals(InterruptStatus.INACTIVE, h.core.status(0, 9));
        assertFalse(h.cpu.get(0).irq);
    }

    @Test
    void pendingSourcesAreVisibleAndClearableThroughTheSgiPendingRegisters() {
        sgirFrom(1, 0b01 << 16 | 5);
        h.current = 0;
        assertEquals(0x02 << 8, h.d(GICD_CPENDSGIR + 4), "SGI 5, source CPU 1");
        assertEquals(0x02, h.dist.read(GICD_SPENDSGIR + 5, 1));
        h.dist.write(GICD_CPENDSGIR + 5, 1, 0x02);
        assertEquals(InterruptStatus.INACTIVE, h.core.status(0, 5));
        assertFalse(h.cpu.get(0).irq);
        h.dist.write(GICD_SPENDSGIR + 6, 1, 0x01);
        assertEquals(6, h.c(GICC_IAR));
    }

    @Test
    void setAndClearPendingBitsOfSgisIgnoreWrites() {
        h.current = 0;
        h.d(GICD_ISPENDR, 1 << 3);
        assertFalse(h.cpu.get(0).irq);
        sgirFrom(0, 2 << 24 | 3);
        h.d(GICD_ICPENDR, 1 << 3);
        assertTrue(h.cpu.get(0).irq);
        assertEquals(1 << 3, h.d(GICD_ISPENDR));
    }

    @Test
    void sgiPrioritiesAreBankedPerCpu() {
        h.current = 1;
        h.dist.write(GICD_IPRIORITYR + 2, 1, 0xF8);
        sgirFrom(0, 0b11 << 16 | 2);
        assertTrue(h.cpu.get(0).irq);
        assertFalse(h.cpu.get(1).irq, "priority 0xF8 is masked by CPU 1's PMR 0xF0");
    }
}
