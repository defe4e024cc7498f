package dev.aarvark.memory.mmu;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.aarvark.memory.mmu.AccessKind.FETCH;
import static dev.aarvark.memory.mmu.AccessKind.READ;
import static dev.aarvark.memory.mmu.AccessKind.WRITE;
import static dev.aarvark.memory.mmu.Regs.IPS_48;
import static dev.aarvark.memory.mmu.Regs.SCTLR_M;
import static dev.aarvark.memory.mmu.Regs.SCTLR_WXN;
import static dev.aarvark.memory.mmu.Regs.t0sz;
import static dev.aarvark.memory.mmu.Tables.AF;
import static dev.aarvark.memory.mmu.Tables.AP_RO_ALL;
import static dev.aarvark.memory.mmu.Tables.AP_RO_EL1;
import static dev.aarvark.memory.mmu.Tables.AP_RW_ALL;
import static dev.aarvark.memory.mmu.Tables.AP_RW_EL1;
import static dev.aarvark.memory.mmu.Tables.AP_TABLE_NO_EL0;
import static dev.aarvark.memory.mmu.Tables.AP_TABLE_READ_ONLY;
import static dev.aarvark.memory.mmu.Tables.BLOCK;
import static dev.aarvark.memory.mmu.Tables.PAGE;
import static dev.aarvark.memory.mmu.Tables.PXN;
import static dev.aarvark.memory.mmu.Tables.PXN_TABLE;
import static dev.aarvark.memory.mmu.Tables.TABLE;
import static dev.aarvark.memory.mmu.Tables.UXN;
import static dev.aarvark.memory.mmu.Tables.UXN_TABLE;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Stage-1 access permissions of the EL1&amp;0 regime: AP[2:1], UXN, PXN, WXN, the implicit PXN of
 * EL0-writable memory and the hierarchical APTable/UXNTable/PXNTable controls. Page at VA 0x1000
 * (4 KB granule, 48-bit range) unless stated otherwise.
 */
class Vmsav8WalkerPermissionTest {
    private static final long VA = 0x1000;
    private static final boolean EL0 = true;
    private static final boolean EL1 = false;

    private final WalkFixture f = new WalkFixture();
    private final Tables t = f.tables(12);
    private final long root = t.newTable();
    private final long l1 = t.newTable();
    private final long l2 = t.newTable();
    private final long l3 = t.newTable();
    private boolean wxn;

    @AfterEach
    void close() {
        f.close();
    }

    /** Builds L0[0] -> L1[0] -> L2[0] -> L3[1] with the given table-descriptor controls and leaf bits. */
    private void map(long l0TableBits, long l1TableBits, long l2TableBits, long leafBits) {
        t.set(root, 0, l1 | TABLE | l0TableBits);
        t.set(l1, 0, l2 | TABLE | l1TableBits);
        t.set(l2, 0, l3 | TABLE | l2TableBits);
        t.set(l3, 1, 0x4010_0000L | AF | PAGE | leafBits);
    }

    private void mapLeaf(long leafBits) {
        map(0, 0, 0, leafBits);
    }

    private TranslationRegime regime() {
        return Regs.regime(SCTLR_M | (wxn ? SCTLR_WXN : 0), t0sz(16) | IPS_48, root, 0, Regs.PA_BITS);
    }

    private void allowed(AccessKind kind, boolean unprivileged) {
        f.translation(VA, kind, unprivileged, regime());
    }

    private void denied(AccessKind kind, boolean unprivileged) {
        TranslationFault fault = f.fault(VA, kind, unprivileged, regime());
        assertEquals(FaultKind.PERMISSION, fault.kind(), fault::describe);
        assertEquals(3, fault.level());
        assertEquals(0x0f, fault.fsc());
        assertEquals(l3 + 8, fault.descriptorAddress());
        assertEquals(kind, fault.access());
        assertEquals(unprivileged, fault.unprivileged());
    }

    private Permissions permissions() {
        return f.translation(VA, READ, EL1, regime()).permissions();
    }

    @Test
    void ap00IsReadWriteAtEl1AndNoAccessAtEl0() {
        mapLeaf(AP_RW_EL1);
        allowed(READ, EL1);
        allowed(WRITE, EL1);
        denied(READ, EL0);
        denied(WRITE, EL0);
        assertEquals(new Permissions(true, true, true, false, false, true), permissions());
    }

    @Test
    void ap01IsReadWriteAtBothLevelsAndThereforePrivilegedExecuteNever() {
        mapLeaf(AP_RW_ALL);
        allowed(READ, EL0);
        allowed(WRITE, EL0);
        allowed(WRITE, EL1);
        allowed(FETCH, EL0);
        denied(FETCH, EL1); // EL0-writable memory is never executable at EL1, with or without PXN
        assertEquals(new Permissions(true, true, false, true, true, true), permissions());
    }

    @Test
    void ap10IsReadOnlyAtEl1AndNoAccessAtEl0() {
        mapLeaf(AP_RO_EL1);
        allowed(READ, EL1);
        denied(WRITE, EL1);
        denied(READ, EL0);
        denied(WRITE, EL0);
        allowed(FETCH, EL1);
    }

    @Test
    void ap11IsReadOnlyAtBothLevels() {
        mapLeaf(AP_RO_ALL);
        allowed(READ, EL0);
        allowed(READ, EL1);
        denied(WRITE, EL0);
        denied(WRITE, EL1);
        allowed(FETCH, EL1);
        allowed(FETCH, EL0);
    }

    @Test
    void uxnForbidsEl0FetchOnly() {
        mapLeaf(AP_RO_ALL | UXN);
        denied(FETCH, EL0);
        allowed(FETCH, EL1);
        allowed(READ, EL0);
    }

    @Test
    void pxnForbidsEl1FetchOnly() {
        mapLeaf(AP_RO_ALL | PXN);
        denied(FETCH, EL1);
        allowed(FETCH, EL0);
    }

    @Test
    void el0MayExecuteMemoryItCannotReadWhenUxnIsClear() {
        // AP[2:1] = 0b00 with UXN = 0: execute-only memory for EL0 (instruction fetch needs no read right).
        mapLeaf(AP_RW_EL1 | PXN);
        allowed(FETCH, EL0);
        denied(READ, EL0);
    }

    @Test
    void wxnMakesEl1WritableMemoryPrivilegedExecuteNever() {
        wxn = true;
        mapLeaf(AP_RW_EL1);
        denied(FETCH, EL1);
        allowed(WRITE, EL1);
    }

    @Test
    void wxnLeavesReadOnlyMemoryExecutable() {
        wxn = true;
        mapLeaf(AP_RO_EL1);
        allowed(FETCH, EL1);
        mapLeaf(AP_RO_ALL);
        allowed(FETCH, EL0);
    }

    @Test
    void wxnMakesEl0WritableMemoryUnprivilegedExecuteNever() {
        mapLeaf(AP_RW_ALL);
        allowed(FETCH, EL0);
        wxn = true;
        denied(FETCH, EL0);
    }

    @Test
    void apTableNoEl0RemovesEl0AccessAtLaterLevels() {
        map(AP_TABLE_NO_EL0, 0, 0, AP_RW_ALL);
        denied(READ, EL0);
        denied(WRITE, EL0);
        allowed(WRITE, EL1);
    }

    @Test
    void apTableNoEl0AlsoRemovesTheImplicitPxnOfAnEl0WritableLeaf() {
        // The effective AP[1] is 0, so EL0 cannot write and EL1 may execute.
        map(AP_TABLE_NO_EL0, 0, 0, AP_RW_ALL);
        allowed(FETCH, EL1);
    }

    @Test
    void apTableReadOnlyRemovesWriteAccessAtBothLevels() {
        map(0, AP_TABLE_READ_ONLY, 0, AP_RW_EL1);
        denied(WRITE, EL1);
        allowed(READ, EL1);

        map(0, AP_TABLE_READ_ONLY, 0, AP_RW_ALL);
        denied(WRITE, EL0);
        allowed(READ, EL0);
        allowed(FETCH, EL1); // no longer EL0-writable
    }

    @Test
    void apTable11RemovesEl0AccessAndWriteAccess() {
        map(0, 0, AP_TABLE_NO_EL0 | AP_TABLE_READ_ONLY, AP_RW_ALL);
        denied(READ, EL0);
        denied(WRITE, EL1);
        allowed(READ, EL1);
    }

    @Test
    void uxnTableForbidsEl0FetchBelowIt() {
        map(0, 0, UXN_TABLE, AP_RO_ALL);
        denied(FETCH, EL0);
        allowed(FETCH, EL1);
    }

    @Test
    void pxnTableForbidsEl1FetchBelowIt() {
        map(PXN_TABLE, 0, 0, AP_RO_ALL);
        denied(FETCH, EL1);
        allowed(FETCH, EL0);
    }

    @Test
    void controlsFromDifferentTableLevelsAccumulate() {
        map(AP_TABLE_READ_ONLY, 0, UXN_TABLE, AP_RW_ALL);
        denied(WRITE, EL0);
        denied(FETCH, EL0);
        allowed(READ, EL0);
        assertEquals(new Permissions(true, false, true, true, false, false), permissions());
    }

    @Test
    void permissionFaultOnABlockIsReportedAtTheBlockLevel() {
        t.set(root, 0, l1 | TABLE);
        t.set(l1, 0, l2 | TABLE);
        t.set(l2, 0, 0x4000_0000L | AF | AP_RO_EL1 | BLOCK);
        t.set(l1, 1, 0x8000_0000L | AF | AP_RO_EL1 | BLOCK);

        TranslationFault level2 = f.fault(0x1000, WRITE, EL1, regime());
        assertEquals(FaultKind.PERMISSION, level2.kind());
        assertEquals(2, level2.level());
        assertEquals(0x0e, level2.fsc());

        TranslationFault level1 = f.fault(0x4000_1000L, WRITE, EL1, regime());
        assertEquals(1, level1.level());
        assertEquals(0x0d, level1.fsc());
    }
}
