package dev.aarvark.memory.mmu;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.aarvark.memory.mmu.AccessKind.READ;
import static dev.aarvark.memory.mmu.AccessKind.WRITE;
import static dev.aarvark.memory.mmu.Regs.IPS_48;
import static dev.aarvark.memory.mmu.Regs.mmuOn;
import static dev.aarvark.memory.mmu.Regs.regime;
import static dev.aarvark.memory.mmu.Regs.t0sz;
import static dev.aarvark.memory.mmu.Tables.AF;
import static dev.aarvark.memory.mmu.Tables.AP_RO_EL1;
import static dev.aarvark.memory.mmu.Tables.PAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link Vmsav8Walker#translateRange}: splitting a virtual range into physical spans. */
class TranslateRangeTest {
    private final WalkFixture f = new WalkFixture();
    private final Tables t = f.tables(12);
    private TranslationRegime r;

    @BeforeEach
    void map() {
        long root = t.newTable();
        t.map(root, 48, 0x1000, 3, 0x4010_0000L | AF | PAGE, 0);
        t.map(root, 48, 0x2000, 3, 0x4010_1000L | AF | PAGE, 0);
        t.map(root, 48, 0x3000, 3, 0x4030_0000L | AF | PAGE, 0);
        t.map(root, 48, 0x5000, 3, 0x4050_0000L | AF | AP_RO_EL1 | PAGE, 0);
        r = mmuOn(t0sz(16) | IPS_48, root, 0);
    }

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void physicallyContiguousPagesMergeAndADiscontiguityStartsANewSpan() throws TranslationFaultException {
        List<PhysicalSpan> spans = f.walker.translateRange(0x1800, 0x2000, READ, false, r, f.ram);
        assertEquals(List.of(new PhysicalSpan(0x1800, 0x4010_0800L, 0x1800),
                new PhysicalSpan(0x3000, 0x4030_0000L, 0x800)), spans);
    }

    @Test
    void rangeInsideOnePageIsOneSpan() throws TranslationFaultException {
        assertEquals(List.of(new PhysicalSpan(0x1010, 0x4010_0010L, 8)),
                f.walker.translateRange(0x1010, 8, READ, false, r, f.ram));
    }

    @Test
    void unmappedPageInTheRangeThrowsWithTheFaultAtItsFirstAddress() {
        TranslationFaultException e = assertThrows(TranslationFaultException.class,
                () -> f.walker.translateRange(0x3ff0, 0x20, READ, false, r, f.ram));
        assertEquals(0x4000, e.fault().va());
        assertEquals(FaultKind.TRANSLATION, e.fault().kind());
        assertEquals(3, e.fault().level());
    }

    @Test
    void rangeIsCheckedForTheRequestedAccess() {
        TranslationFaultException e = assertThrows(TranslationFaultException.class,
                () -> f.walker.translateRange(0x5000, 0x10, WRITE, false, r, f.ram));
        assertEquals(FaultKind.PERMISSION, e.fault().kind());
    }

    @Test
    void stageOneDisabledRangeIsOneFlatSpan() throws TranslationFaultException {
        assertEquals(List.of(new PhysicalSpan(0x4000_0000L, 0x4000_0000L, 0x10_0000)),
                f.walker.translateRange(0x4000_0000L, 0x10_0000, READ, false, regime(0, 0, 0, 0, 44), f.ram));
    }

    @Test
    void emptyOrWrappingRangesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> f.walker.translateRange(0x1000, 0, READ, false, r, f.ram));
        assertThrows(IllegalArgumentException.class,
                () -> f.walker.translateRange(0xffff_ffff_ffff_f000L, 0x2000, READ, false, r, f.ram));
    }
}
