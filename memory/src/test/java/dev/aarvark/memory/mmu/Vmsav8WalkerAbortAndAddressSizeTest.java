package dev.aarvark.memory.mmu;

import dev.aarvark.memory.AddressSpace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.aarvark.memory.mmu.AccessKind.FETCH;
import static dev.aarvark.memory.mmu.AccessKind.READ;
import static dev.aarvark.memory.mmu.AccessKind.WRITE;
import static dev.aarvark.memory.mmu.Regs.IPS_48;
import static dev.aarvark.memory.mmu.Regs.ips;
import static dev.aarvark.memory.mmu.Regs.mmuOn;
import static dev.aarvark.memory.mmu.Regs.regime;
import static dev.aarvark.memory.mmu.Regs.t0sz;
import static dev.aarvark.memory.mmu.Tables.AF;
import static dev.aarvark.memory.mmu.Tables.AP_RO_EL1;
import static dev.aarvark.memory.mmu.Tables.BLOCK;
import static dev.aarvark.memory.mmu.Tables.PAGE;
import static dev.aarvark.memory.mmu.Tables.TABLE;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Address size faults (TTBR, table and output addresses against min(TCR.IPS, PAMax)), external aborts
 * on descriptor reads, the Access flag, the priority between fault kinds, and that walks never write.
 */
class Vmsav8WalkerAbortAndAddressSizeTest {
    private static final long IPS_32 = ips(0b000);
    private static final long IPS_44 = ips(0b100);
    private static final long IPS_RESERVED = ips(0b111);

    private final WalkFixture f = new WalkFixture();
    private final Tables t = f.tables(12);
    private final long l0 = t.newTable();
    private final long l1 = t.newTable();
    private final long l2 = t.newTable();
    private final long l3 = t.newTable();

    @AfterEach
    void close() {
        f.close();
    }

    private void linkToLevel3() {
        t.set(l0, 0, l1 | TABLE);
        t.set(l1, 0, l2 | TABLE);
        t.set(l2, 0, l3 | TABLE);
    }

    private static void assertFault(TranslationFault fault, FaultKind kind, int level, int fsc) {
        assertEquals(kind, fault.kind(), fault::describe);
        assertEquals(level, fault.level(), fault::describe);
        assertEquals(fsc, fault.fsc(), fault::describe);
    }

    // ---- Address size.

    @Test
    void ttbrAbovePaMaxIsALevelZeroAddressSizeFault() {
        TranslationRegime a53 = regime(Regs.SCTLR_M, t0sz(16) | IPS_48, 1L << 40, 0, 40);
        TranslationFault fault = f.fault(0x1000, READ, false, a53);
        assertFault(fault, FaultKind.ADDRESS_SIZE, 0, 0x00);
        assertFalse(fault.hasDescriptorAddress());
    }

    @Test
    void ttbrAboveTheIpsSizeIsALevelZeroAddressSizeFault() {
        assertFault(f.fault(0x1000, READ, false, mmuOn(t0sz(16) | IPS_32, 0x1_0000_0000L, 0)),
                FaultKind.ADDRESS_SIZE, 0, 0x00);
    }

    @Test
    void nextLevelTableAboveTheOutputSizeIsAnAddressSizeFaultAtTheTableDescriptorsLevel() {
        t.set(l0, 0, 0x1_0000_0000L | TABLE);
        TranslationFault atL0 = f.fault(0x1000, READ, false, mmuOn(t0sz(16) | IPS_32, l0, 0));
        assertFault(atL0, FaultKind.ADDRESS_SIZE, 0, 0x00);
        assertEquals(l0, atL0.descriptorAddress());

        t.set(l0, 0, l1 | TABLE);
        t.set(l1, 0, 0x1_0000_0000L | TABLE);
        assertFault(f.fault(0x1000, READ, false, mmuOn(t0sz(16) | IPS_32, l0, 0)), FaultKind.ADDRESS_SIZE, 1, 0x01);
    }

    @Test
    void outputAddressAboveTheOutputSizeIsAnAddressSizeFaultAtTheLeafLevel() {
        linkToLevel3();
        t.set(l3, 1, 0x1_0000_0000L | AF | PAGE);
        t.set(l1, 1, 0x1_0000_0000L | AF | BLOCK);
        TranslationRegime r = mmuOn(t0sz(16) | IPS_32, l0, 0);

        assertFault(f.fault(0x1000, READ, false, r), FaultKind.ADDRESS_SIZE, 3, 0x03);
        assertFault(f.fault(0x4000_0000L, READ, false, r), FaultKind.ADDRESS_SIZE, 1, 0x01);
    }

    @Test
    void outputSizeIsTheSmallerOfIpsAndPaMax() {
        linkToLevel3();
        TranslationRegime r = regime(Regs.SCTLR_M, t0sz(16) | IPS_44, l0, 0, 40);
        t.set(l3, 1, ((1L << 40) - 4096) | AF | PAGE);
        assertEquals((1L << 40) - 4096, f.translation(0x1000, READ, false, r).pa());

        t.set(l3, 1, (1L << 40) | AF | PAGE);
        assertFault(f.fault(0x1000, READ, false, r), FaultKind.ADDRESS_SIZE, 3, 0x03);
    }

    @Test
    void reservedIpsEncodingMeansPaMax() {
        linkToLevel3();
        TranslationRegime r = mmuOn(t0sz(16) | IPS_RESERVED, l0, 0);
        t.set(l3, 1, (1L << 43) | AF | PAGE);
        assertEquals(1L << 43, f.translation(0x1000, READ, false, r).pa());

        t.set(l3, 1, (1L << 44) | AF | PAGE);
        assertFault(f.fault(0x1000, READ, false, r), FaultKind.ADDRESS_SIZE, 3, 0x03);
    }

    // ---- External abort on the walk.

    @Test
    void ttbrPointingOutsideRamGivesAnExternalAbortOnTheLevelZeroRead() {
        long ttbr = 0x1000_0000L;
        TranslationFault fault = f.fault(1L << 39, READ, false, mmuOn(t0sz(16) | IPS_48, ttbr, 0));
        assertFault(fault, FaultKind.EXTERNAL_ABORT_ON_WALK, 0, 0x14);
        assertEquals(ttbr + 8, fault.descriptorAddress());
        assertEquals(0, fault.descriptor());
    }

    @Test
    void tableDescriptorPointingOutsideRamGivesAnExternalAbortAtTheNextLevel() {
        t.set(l0, 0, 0x2000_0000L | TABLE);
        TranslationFault fault = f.fault(3L << 30, READ, false, mmuOn(t0sz(16) | IPS_48, l0, 0));
        assertFault(fault, FaultKind.EXTERNAL_ABORT_ON_WALK, 1, 0x15);
        assertEquals(0x2000_0000L + 3 * 8, fault.descriptorAddress());
    }

    @Test
    void levelThreeTableInADeviceRegionGivesAnExternalAbortAtLevelThree() {
        AddressSpace board = new AddressSpace();
        board.addRam(f.ram);
        board.addDevice("pl011", 0x0900_0000L, 0x1000);
        t.set(l0, 0, l1 | TABLE);
        t.set(l1, 0, l2 | TABLE);
        t.set(l2, 0, 0x0900_0000L | TABLE);

        TranslationFault fault = f.fault(0x5000, FETCH, true, mmuOn(t0sz(16) | IPS_48, l0, 0), board);

        assertFault(fault, FaultKind.EXTERNAL_ABORT_ON_WALK, 3, 0x17);
        assertEquals(0x0900_0000L + 5 * 8, fault.descriptorAddress());
    }

    // ---- Access flag and priorities.

    @Test
    void clearAccessFlagIsAnAccessFlagFaultAtTheLeafLevel() {
        linkToLevel3();
        t.set(l3, 1, 0x4010_0000L | PAGE);
        t.set(l2, 1, 0x4020_0000L | BLOCK);
        t.set(l1, 1, 0x8000_0000L | BLOCK);
        TranslationRegime r = mmuOn(t0sz(16) | IPS_48, l0, 0);

        TranslationFault page = f.fault(0x1000, READ, false, r);
        assertFault(page, FaultKind.ACCESS_FLAG, 3, 0x0b);
        assertEquals(l3 + 8, page.descriptorAddress());
        assertFault(f.fault(0x20_0000, WRITE, false, r), FaultKind.ACCESS_FLAG, 2, 0x0a);
        assertFault(f.fault(0x4000_0000L, FETCH, true, r), FaultKind.ACCESS_FLAG, 1, 0x09);
    }

    @Test
    void accessFlagFaultTakesPriorityOverPermissionFault() {
        linkToLevel3();
        t.set(l3, 1, 0x4010_0000L | AP_RO_EL1 | PAGE); // AF clear and read-only
        assertFault(f.fault(0x1000, WRITE, true, mmuOn(t0sz(16) | IPS_48, l0, 0)), FaultKind.ACCESS_FLAG, 3, 0x0b);
    }

    @Test
    void addressSizeFaultTakesPriorityOverAccessFlagFault() {
        linkToLevel3();
        t.set(l3, 1, 0x1_0000_0000L | PAGE); // AF clear and beyond a 32-bit output size
        assertFault(f.fault(0x1000, READ, false, mmuOn(t0sz(16) | IPS_32, l0, 0)), FaultKind.ADDRESS_SIZE, 3, 0x03);
    }

    @Test
    void walksNeverWriteTheTables() {
        linkToLevel3();
        t.set(l3, 1, 0x4010_0000L | PAGE);
        t.set(l3, 2, 0x4011_0000L | AF | PAGE);
        byte[] before = new byte[4 * 4096];
        f.ram.read(l0, before, 0, before.length);
        TranslationRegime r = mmuOn(t0sz(16) | IPS_48, l0, 0);

        f.fault(0x1000, WRITE, false, r);
        f.translation(0x2000, WRITE, false, r);

        byte[] after = new byte[before.length];
        f.ram.read(l0, after, 0, after.length);
        assertArrayEquals(before, after);
    }
}
