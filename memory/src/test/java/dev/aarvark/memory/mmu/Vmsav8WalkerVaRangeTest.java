package dev.aarvark.memory.mmu;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.aarvark.memory.mmu.AccessKind.FETCH;
import static dev.aarvark.memory.mmu.AccessKind.READ;
import static dev.aarvark.memory.mmu.AccessKind.WRITE;
import static dev.aarvark.memory.mmu.Regs.EPD0;
import static dev.aarvark.memory.mmu.Regs.EPD1;
import static dev.aarvark.memory.mmu.Regs.IPS_48;
import static dev.aarvark.memory.mmu.Regs.SCTLR_I;
import static dev.aarvark.memory.mmu.Regs.TBI0;
import static dev.aarvark.memory.mmu.Regs.TBI1;
import static dev.aarvark.memory.mmu.Regs.TG1_4K;
import static dev.aarvark.memory.mmu.Regs.mmuOn;
import static dev.aarvark.memory.mmu.Regs.regime;
import static dev.aarvark.memory.mmu.Regs.t0sz;
import static dev.aarvark.memory.mmu.Regs.t1sz;
import static dev.aarvark.memory.mmu.Tables.AF;
import static dev.aarvark.memory.mmu.Tables.PAGE;
import static dev.aarvark.memory.mmu.Tables.TABLE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * VA range selection and checks (TTBR0/TTBR1, TxSZ, TBI, EPD) and the stage-1-disabled flat mapping.
 * Lower VA 0x1000 maps to 0x4010_0000 through TTBR0, upper VA 0xffff_0000_0000_1000 to 0x4020_0000
 * through TTBR1, both 4 KB, 48-bit.
 */
class Vmsav8WalkerVaRangeTest {
    private static final long LOWER = 0x1000;
    private static final long UPPER = 0xffff_0000_0000_1000L;
    private static final long TCR = t0sz(16) | t1sz(16) | TG1_4K | IPS_48;
    /** Physical address that no RAM backs: a walk that reads through it would end in an external abort. */
    private static final long NO_RAM = 0x1000_0000L;

    private final WalkFixture f = new WalkFixture();
    private final Tables t = f.tables(12);
    private long root0;
    private long root1;

    @BeforeEach
    void mapBothRanges() {
        root0 = t.newTable();
        root1 = t.newTable();
        t.map(root0, 48, LOWER, 3, 0x4010_0000L | AF | PAGE, 0);
        t.map(root1, 48, UPPER, 3, 0x4020_0000L | AF | PAGE, 0);
    }

    @AfterEach
    void close() {
        f.close();
    }

    private void assertLevelZeroTranslationFaultWithoutRead(TranslationFault fault) {
        assertEquals(FaultKind.TRANSLATION, fault.kind(), fault::describe);
        assertEquals(0, fault.level());
        assertEquals(0x04, fault.fsc());
        assertFalse(fault.hasDescriptorAddress());
    }

    @Test
    void bit55SelectsTheTranslationTableBase() {
        assertEquals(0x4010_0000L, f.translation(LOWER, READ, false, mmuOn(TCR, root0, root1)).pa());
        assertEquals(0x4020_0000L, f.translation(UPPER, READ, false, mmuOn(TCR, root0, root1)).pa());
    }

    @ParameterizedTest
    @ValueSource(longs = {0x0001_0000_0000_1000L, 0xfffe_0000_0000_1000L, 0x8000_0000_0000_1000L,
            0x0080_0000_0000_1000L, 0x7fff_0000_0000_1000L})
    void addressBetweenTheTwoRangesIsALevelZeroTranslationFault(long va) {
        assertLevelZeroTranslationFaultWithoutRead(f.fault(va, READ, false, mmuOn(TCR, root0, root1)));
    }

    @Test
    void smallerT0szShrinksTheLowerRange() {
        TranslationRegime r = mmuOn(t0sz(25) | t1sz(16) | TG1_4K | IPS_48, NO_RAM, root1);
        assertLevelZeroTranslationFaultWithoutRead(f.fault(1L << 39, READ, false, r));
        // In range: the walk starts and reads the (absent) level-1 table.
        assertEquals(FaultKind.EXTERNAL_ABORT_ON_WALK, f.fault((1L << 39) - 8, READ, false, r).kind());
    }

    @Test
    void topByteOfALowerAddressIsIgnoredWithTbi0() {
        long tagged = 0x5a00_0000_0000_1234L;
        assertLevelZeroTranslationFaultWithoutRead(f.fault(tagged, READ, false, mmuOn(TCR, root0, root1)));

        Translation tr = f.translation(tagged, READ, false, mmuOn(TCR | TBI0, root0, root1));
        assertEquals(0x4010_0234L, tr.pa());
        assertEquals(tagged, tr.va());
    }

    @Test
    void tbiAppliesToInstructionFetchesInArmv80() {
        long tagged = 0x5a00_0000_0000_1000L;
        assertEquals(0x4010_0000L, f.translation(tagged, FETCH, false, mmuOn(TCR | TBI0, root0, root1)).pa());
        assertLevelZeroTranslationFaultWithoutRead(f.fault(tagged, FETCH, false, mmuOn(TCR, root0, root1)));
    }

    @Test
    void tbi0StillChecksBits55To48() {
        assertLevelZeroTranslationFaultWithoutRead(
                f.fault(0x5a01_0000_0000_1000L, READ, false, mmuOn(TCR | TBI0, root0, root1)));
    }

    @Test
    void topByteOfAnUpperAddressIsIgnoredWithTbi1Only() {
        long tagged = 0x00ff_0000_0000_1000L; // bit 55 set: upper range, tag 0x00
        assertEquals(0x4020_0000L, f.translation(tagged, READ, false, mmuOn(TCR | TBI1, root0, root1)).pa());
        assertLevelZeroTranslationFaultWithoutRead(f.fault(tagged, READ, false, mmuOn(TCR | TBI0, root0, root1)));
        assertLevelZeroTranslationFaultWithoutRead(f.fault(tagged, READ, false, mmuOn(TCR, root0, root1)));
    }

    @Test
    void epd0DisablesWalksOfTheLowerRangeWithoutReadingTheTables() {
        TranslationRegime r = mmuOn(TCR | EPD0, NO_RAM, root1);
        assertLevelZeroTranslationFaultWithoutRead(f.fault(LOWER, READ, false, r));
        assertEquals(0x4020_0000L, f.translation(UPPER, READ, false, r).pa());
    }

    @Test
    void epd1DisablesWalksOfTheUpperRangeOnly() {
        TranslationRegime r = mmuOn(TCR | EPD1, root0, NO_RAM);
        assertLevelZeroTranslationFaultWithoutRead(f.fault(UPPER, FETCH, false, r));
        assertEquals(0x4010_0000L, f.translation(LOWER, READ, false, r).pa());
    }

    @Test
    void t0szBelowSixteenIsClampedToSixteen() {
        TranslationRegime r = mmuOn(t0sz(0) | t1sz(16) | TG1_4K | IPS_48, root0, root1);
        assertEquals(0x4010_0000L, f.translation(LOWER, READ, false, r).pa());
        assertLevelZeroTranslationFaultWithoutRead(f.fault(1L << 48, READ, false, r));
    }

    @Test
    void t1szBelowSixteenIsClampedToSixteen() {
        TranslationRegime r = mmuOn(t0sz(16) | t1sz(8) | TG1_4K | IPS_48, root0, root1);
        assertEquals(0x4020_0000L, f.translation(UPPER, READ, false, r).pa());
        assertLevelZeroTranslationFaultWithoutRead(f.fault(0xfeff_ffff_ffff_f000L, READ, false, r));
    }

    @Test
    void t0szAboveThirtyNineIsClampedToThirtyNine() {
        // As T0SZ 39: a 25-bit range starting at level 2 with a 16-entry table (VA bits 24:21).
        long start = t.newTable();
        long l3 = t.newTable();
        t.set(start, 15, l3 | TABLE);
        t.set(l3, 2, 0x4030_0000L | AF | PAGE);
        TranslationRegime r = mmuOn(t0sz(63) | IPS_48, start, 0);

        assertEquals(0x4030_0000L, f.translation((15L << 21) | 0x2000, READ, false, r).pa());
        assertLevelZeroTranslationFaultWithoutRead(f.fault(1L << 25, READ, false, r));
    }

    // ---- Stage 1 disabled.

    @Test
    void mmuOffMapsVaToPaWithAllPermissions() {
        TranslationRegime off = regime(0, TCR, NO_RAM, NO_RAM, 44);
        Translation tr = f.translation(0x4012_3456L, WRITE, true, off);

        assertEquals(0x4012_3456L, tr.pa());
        assertTrue(tr.untranslated());
        assertEquals(Translation.UNTRANSLATED, tr.level());
        assertEquals(Permissions.ALL, tr.permissions());
        assertEquals(Translation.NO_DESCRIPTOR, tr.descriptorAddress());
    }

    @Test
    void mmuOffDataAccessesAreDeviceNgnrne() {
        Translation tr = f.translation(0x0900_0000L, READ, false, regime(0, 0, 0, 0, 44));
        assertEquals(0x00, tr.memAttr());
        assertTrue(tr.isDevice());
    }

    @Test
    void mmuOffInstructionFetchesAreNormalWithCacheabilityFromSctlrI() {
        Translation nonCacheable = f.translation(0x4000_0000L, FETCH, false, regime(0, 0, 0, 0, 44));
        assertFalse(nonCacheable.isDevice());
        assertEquals(0x44, nonCacheable.memAttr());

        Translation writeThrough = f.translation(0x4000_0000L, FETCH, false, regime(SCTLR_I, 0, 0, 0, 44));
        assertFalse(writeThrough.isDevice());
        assertEquals(0xaa, writeThrough.memAttr());
    }

    @Test
    void mmuOffAddressAtOrAbovePaMaxIsALevelZeroAddressSizeFault() {
        TranslationRegime a57 = regime(0, 0, 0, 0, 44);
        f.translation((1L << 44) - 1, READ, false, a57);
        TranslationFault fault = f.fault(1L << 44, READ, false, a57);
        assertEquals(FaultKind.ADDRESS_SIZE, fault.kind());
        assertEquals(0, fault.level());
        assertEquals(0x00, fault.fsc());

        TranslationRegime a53 = regime(0, 0, 0, 0, 40);
        assertEquals(FaultKind.ADDRESS_SIZE, f.fault(1L << 40, FETCH, false, a53).kind());
    }

    @Test
    void mmuOffHonoursTopByteIgnore() {
        long tagged = 0x7700_0000_4000_0000L;
        assertEquals(0x4000_0000L, f.translation(tagged, READ, false, regime(0, TBI0, 0, 0, 44)).pa());
        assertEquals(FaultKind.ADDRESS_SIZE, f.fault(tagged, READ, false, regime(0, 0, 0, 0, 44)).kind());
    }

    @Test
    void mmuOffUpperRangeAddressIsAnAddressSizeFaultEvenWithTbi1() {
        assertEquals(FaultKind.ADDRESS_SIZE,
                f.fault(0xffff_0000_0000_0000L, READ, false, regime(0, TBI1, 0, 0, 44)).kind());
    }
}
