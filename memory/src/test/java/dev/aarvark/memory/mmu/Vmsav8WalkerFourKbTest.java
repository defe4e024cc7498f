package dev.aarvark.memory.mmu;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.aarvark.memory.mmu.AccessKind.READ;
import static dev.aarvark.memory.mmu.Regs.IPS_48;
import static dev.aarvark.memory.mmu.Regs.TG1_4K;
import static dev.aarvark.memory.mmu.Regs.mmuOn;
import static dev.aarvark.memory.mmu.Regs.t0sz;
import static dev.aarvark.memory.mmu.Regs.t1sz;
import static dev.aarvark.memory.mmu.Tables.AF;
import static dev.aarvark.memory.mmu.Tables.BLOCK;
import static dev.aarvark.memory.mmu.Tables.NG;
import static dev.aarvark.memory.mmu.Tables.PAGE;
import static dev.aarvark.memory.mmu.Tables.TABLE;
import static dev.aarvark.memory.mmu.Tables.attrIndx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 4 KB granule walks with tables built by hand, entry by entry, from the Arm ARM's VA bit layout. */
class Vmsav8WalkerFourKbTest {
    private static final long TCR_48 = t0sz(16) | t1sz(16) | TG1_4K | IPS_48;
    private final WalkFixture f = new WalkFixture();
    private final Tables t = f.tables(12);

    @AfterEach
    void close() {
        f.close();
    }

    @Test
    void pageThroughTtbr0ResolvesOneIndexPerLevelFromVaBits47To12() {
        // VA 0x80_4020_3123: bits 47:39 = 1, 38:30 = 1, 29:21 = 1, 20:12 = 3, offset 0x123.
        long l0 = t.newTable(), l1 = t.newTable(), l2 = t.newTable(), l3 = t.newTable();
        t.set(l0, 1, l1 | TABLE);
        t.set(l1, 1, l2 | TABLE);
        t.set(l2, 1, l3 | TABLE);
        long leaf = 0x4012_3000L | AF | NG | attrIndx(0) | PAGE;
        t.set(l3, 3, leaf);

        Translation tr = f.translation(0x80_4020_3123L, READ, false, mmuOn(TCR_48, l0, 0));

        assertEquals(0x4012_3123L, tr.pa());
        assertEquals(3, tr.level());
        assertEquals(4096, tr.size());
        assertEquals(0xff, tr.memAttr());
        assertFalse(tr.isDevice());
        assertTrue(tr.notGlobal());
        assertEquals(l3 + 3 * 8, tr.descriptorAddress());
        assertEquals(leaf, tr.descriptor());
        assertEquals(0x80_4020_3000L, tr.mappingVa());
        assertEquals(0x4012_3000L, tr.mappingPa());
    }

    @Test
    void ttbr1WithT1sz16TranslatesTheBottomOfTheUpperRange() {
        long l0 = t.newTable(), l1 = t.newTable(), l2 = t.newTable(), l3 = t.newTable();
        t.set(l0, 0, l1 | TABLE);
        t.set(l1, 0, l2 | TABLE);
        t.set(l2, 0, l3 | TABLE);
        t.set(l3, 0, 0x4055_5000L | AF | PAGE);

        Translation tr = f.translation(0xffff_0000_0000_0000L, READ, false, mmuOn(TCR_48, 0, l0));

        assertEquals(0x4055_5000L, tr.pa());
        assertEquals(3, tr.level());
        assertFalse(tr.notGlobal());
        assertEquals(l3, tr.descriptorAddress());
    }

    @Test
    void ttbr1TranslatesTheTopPageOfTheAddressSpaceThroughLastEntries() {
        long l0 = t.newTable(), l1 = t.newTable(), l2 = t.newTable(), l3 = t.newTable();
        t.set(l0, 511, l1 | TABLE);
        t.set(l1, 511, l2 | TABLE);
        t.set(l2, 511, l3 | TABLE);
        t.set(l3, 511, 0x4066_6000L | AF | PAGE);

        Translation tr = f.translation(0xffff_ffff_ffff_f010L, READ, false, mmuOn(TCR_48, 0, l0));

        assertEquals(0x4066_6010L, tr.pa());
        assertEquals(l3 + 511 * 8, tr.descriptorAddress());
    }

    @Test
    void asidBitsOfTheTtbrsAreNotPartOfTheTableAddress() {
        long l0 = t.newTable();
        long l1 = t.newTable();
        t.set(l0, 0, l1 | TABLE);
        t.set(l1, 1, 0x8000_0000L | AF | BLOCK);

        long ttbrWithAsid = (0xabcdL << 48) | l0;
        assertEquals(0x8000_0010L, f.translation(0x4000_0010L, READ, false, mmuOn(TCR_48, ttbrWithAsid, 0)).pa());
        assertEquals(0x8000_0010L, f.translation(0xffff_0000_4000_0010L, READ, false,
                mmuOn(TCR_48, 0, ttbrWithAsid)).pa());
    }

    @Test
    void oneGigabyteBlockAtLevelOneKeepsThirtyBitsOfOffset() {
        long l0 = t.newTable(), l1 = t.newTable();
        t.set(l0, 0, l1 | TABLE);
        t.set(l1, 1, 0x8000_0000L | AF | BLOCK);

        Translation tr = f.translation(0x5234_5678L, READ, false, mmuOn(TCR_48, l0, 0));

        assertEquals(0x9234_5678L, tr.pa());
        assertEquals(1, tr.level());
        assertEquals(1L << 30, tr.size());
        assertEquals(l1 + 8, tr.descriptorAddress());
    }

    @Test
    void twoMegabyteBlockAtLevelTwoTakesItsAttributesFromMair() {
        long l0 = t.newTable(), l1 = t.newTable(), l2 = t.newTable();
        t.set(l0, 0, l1 | TABLE);
        t.set(l1, 0, l2 | TABLE);
        t.set(l2, 3, 0x4060_0000L | AF | attrIndx(2) | BLOCK);

        Translation tr = f.translation(0x0060_1234L, READ, false, mmuOn(TCR_48, l0, 0));

        assertEquals(0x4060_1234L, tr.pa());
        assertEquals(2, tr.level());
        assertEquals(2L << 20, tr.size());
        assertEquals(0x04, tr.memAttr());
        assertTrue(tr.isDevice());
    }

    @Test
    void res0BitsBelowTheBlockSizeInABlockDescriptorDoNotReachThePhysicalAddress() {
        long l0 = t.newTable(), l1 = t.newTable(), l2 = t.newTable();
        t.set(l0, 0, l1 | TABLE);
        t.set(l1, 0, l2 | TABLE);
        t.set(l2, 0, 0x4060_0000L | (1L << 16) | (1L << 12) | AF | BLOCK);

        assertEquals(0x4060_1234L, f.translation(0x0000_1234L, READ, false, mmuOn(TCR_48, l0, 0)).pa());
    }

    @Test
    void t0sz25StartsAtLevelOneWithVaBits38To30() {
        // VA 0x40_0000_1000: bits 38:30 = 256, 29:21 = 0, 20:12 = 1.
        long l1 = t.newTable(), l2 = t.newTable(), l3 = t.newTable();
        t.set(l1, 256, l2 | TABLE);
        t.set(l2, 0, l3 | TABLE);
        t.set(l3, 1, 0x4077_7000L | AF | PAGE);

        Translation tr = f.translation(0x40_0000_1abcL, READ, false, mmuOn(t0sz(25) | IPS_48, l1, 0));

        assertEquals(0x4077_7abcL, tr.pa());
    }

    @Test
    void t0sz34StartsAtLevelTwoWithVaBits29To21() {
        // VA 0x2020_3000: bits 29:21 = 257, 20:12 = 3.
        long l2 = t.newTable(), l3 = t.newTable();
        t.set(l2, 257, l3 | TABLE);
        t.set(l3, 3, 0x4078_8000L | AF | PAGE);

        assertEquals(0x4078_8004L, f.translation(0x2020_3004L, READ, false, mmuOn(t0sz(34) | IPS_48, l2, 0)).pa());
    }

    @Test
    void sixteenEntryStartTableIsAlignedToItsOwnSizeAndLowTtbrBitsAreIgnored() {
        // T0SZ 39: a 25-bit range, start level 2 resolving VA bits 24:21 (16 entries, 128 bytes).
        long page = t.newTable();
        long startTable = page + 0x80;
        t.set(startTable, 15, 0x4080_0000L | AF | BLOCK);

        Translation tr = f.translation(0x01e0_5000L, READ, false,
                mmuOn(t0sz(39) | IPS_48, startTable | 0x40, 0));

        assertEquals(0x4080_5000L, tr.pa());
        assertEquals(startTable + 15 * 8, tr.descriptorAddress());
    }

    @Test
    void invalidDescriptorGivesATranslationFaultAtEachLevel() {
        long l0 = t.newTable(), l1 = t.newTable(), l2 = t.newTable(), l3 = t.newTable();
        TranslationRegime r = mmuOn(TCR_48, l0, 0);
        // Level 0: entry 0 is empty.
        TranslationFault f0 = f.fault(0x1000, READ, false, r);
        assertEquals(FaultKind.TRANSLATION, f0.kind());
        assertEquals(0, f0.level());
        assertEquals(0x04, f0.fsc());
        assertEquals(l0, f0.descriptorAddress());

        t.set(l0, 0, l1 | TABLE);
        TranslationFault f1 = f.fault(0x1000, READ, false, r);
        assertEquals(1, f1.level());
        assertEquals(0x05, f1.fsc());
        assertEquals(l1, f1.descriptorAddress());

        t.set(l1, 0, l2 | TABLE);
        TranslationFault f2 = f.fault(0x1000, READ, false, r);
        assertEquals(2, f2.level());
        assertEquals(0x06, f2.fsc());

        t.set(l2, 0, l3 | TABLE);
        t.set(l3, 1, 0x4010_0000L | AF | 0b10); // bit 0 clear: invalid whatever the other bits say
        TranslationFault f3 = f.fault(0x1000, READ, false, r);
        assertEquals(FaultKind.TRANSLATION, f3.kind());
        assertEquals(3, f3.level());
        assertEquals(0x07, f3.fsc());
        assertEquals(l3 + 8, f3.descriptorAddress());
        assertEquals(0x4010_0000L | AF | 0b10, f3.descriptor());
    }

    @Test
    void blockDescriptorAtLevelZeroIsATranslationFault() {
        long l0 = t.newTable();
        t.set(l0, 0, AF | BLOCK);

        TranslationFault fault = f.fault(0x1000, READ, false, mmuOn(TCR_48, l0, 0));

        assertEquals(FaultKind.TRANSLATION, fault.kind());
        assertEquals(0, fault.level());
    }

    @Test
    void levelThreeDescriptorWithBits01IsTheReservedEncodingAndFaults() {
        long l0 = t.newTable(), l1 = t.newTable(), l2 = t.newTable(), l3 = t.newTable();
        t.set(l0, 0, l1 | TABLE);
        t.set(l1, 0, l2 | TABLE);
        t.set(l2, 0, l3 | TABLE);
        t.set(l3, 1, 0x4010_0000L | AF | BLOCK);

        TranslationFault fault = f.fault(0x1000, READ, false, mmuOn(TCR_48, l0, 0));

        assertEquals(FaultKind.TRANSLATION, fault.kind());
        assertEquals(3, fault.level());
        assertEquals(0x07, fault.fsc());
    }

    @Test
    void bigEndianWalksReadDescriptorsByteReversedWhenSctlrEeIsSet() {
        long l0 = t.newTable(), l1 = t.newTable();
        t.set(l0, 0, Long.reverseBytes(l1 | TABLE));
        t.set(l1, 1, Long.reverseBytes(0x8000_0000L | AF | BLOCK));
        long tcr = TCR_48;

        TranslationRegime bigEndian = new TranslationRegime(Regs.SCTLR_M | Regs.SCTLR_EE, tcr, l0, 0, Regs.MAIR, 44);
        assertEquals(0x8000_0042L, f.translation(0x4000_0042L, READ, false, bigEndian).pa());

        TranslationFault littleEndian = f.fault(0x4000_0042L, READ, false, mmuOn(tcr, l0, 0));
        assertEquals(FaultKind.TRANSLATION, littleEndian.kind());
        assertEquals(0, littleEndian.level());
    }

    @Test
    void mapHelperAgreesWithHandBuiltLayout() {
        // Cross-check of the test helper used by the other test classes against a hand-computed index.
        long root = t.newTable();
        long leafAddress = t.map(root, 48, 0x80_4020_3123L, 3, 0x4012_3000L | AF | PAGE, 0);
        assertEquals(3 * 8, leafAddress & 0xfff);
        assertEquals(0x4012_3123L, f.translation(0x80_4020_3123L, READ, false, mmuOn(TCR_48, root, 0)).pa());
    }
}
