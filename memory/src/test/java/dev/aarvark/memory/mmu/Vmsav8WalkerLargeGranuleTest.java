package dev.aarvark.memory.mmu;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.aarvark.memory.mmu.AccessKind.READ;
import static dev.aarvark.memory.mmu.Regs.IPS_48;
import static dev.aarvark.memory.mmu.Regs.TG0_16K;
import static dev.aarvark.memory.mmu.Regs.TG0_64K;
import static dev.aarvark.memory.mmu.Regs.TG0_RESERVED;
import static dev.aarvark.memory.mmu.Regs.TG1_16K;
import static dev.aarvark.memory.mmu.Regs.TG1_4K;
import static dev.aarvark.memory.mmu.Regs.TG1_64K;
import static dev.aarvark.memory.mmu.Regs.TG1_RESERVED;
import static dev.aarvark.memory.mmu.Regs.mmuOn;
import static dev.aarvark.memory.mmu.Regs.t0sz;
import static dev.aarvark.memory.mmu.Regs.t1sz;
import static dev.aarvark.memory.mmu.Tables.AF;
import static dev.aarvark.memory.mmu.Tables.BLOCK;
import static dev.aarvark.memory.mmu.Tables.PAGE;
import static dev.aarvark.memory.mmu.Tables.TABLE;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** 16 KB and 64 KB granules, and the TG0/TG1 encodings (including the reserved ones). */
class Vmsav8WalkerLargeGranuleTest {
    private final WalkFixture f = new WalkFixture();

    @AfterEach
    void close() {
        f.close();
    }

    // ---- 64 KB: level 1 resolves VA bits 47:42, level 2 41:29, level 3 28:16.

    @Test
    void sixtyFourKbPageWalksThreeLevelsFromLevelOne() {
        Tables t = f.tables(16);
        long l1 = t.newTable(), l2 = t.newTable(), l3 = t.newTable();
        t.set(l1, 3, l2 | TABLE);
        t.set(l2, 1, l3 | TABLE);
        t.set(l3, 3, 0x4050_0000L | AF | PAGE);
        long va = (3L << 42) | (1L << 29) | (3L << 16) | 0x4567;

        Translation tr = f.translation(va, READ, false, mmuOn(t0sz(16) | TG0_64K | IPS_48, l1, 0));

        assertEquals(0x4050_4567L, tr.pa());
        assertEquals(3, tr.level());
        assertEquals(64 * 1024, tr.size());
        assertEquals(l3 + 3 * 8, tr.descriptorAddress());
    }

    @Test
    void sixtyFourKbBlockAtLevelTwoMaps512Megabytes() {
        Tables t = f.tables(16);
        long l1 = t.newTable(), l2 = t.newTable();
        t.set(l1, 0, l2 | TABLE);
        t.set(l2, 2, 0x1_0000_0000L | AF | BLOCK);

        Translation tr = f.translation((2L << 29) | 0x123_4567, READ, false,
                mmuOn(t0sz(16) | TG0_64K | IPS_48, l1, 0));

        assertEquals(0x1_0123_4567L, tr.pa());
        assertEquals(2, tr.level());
        assertEquals(512L << 20, tr.size());
    }

    @Test
    void sixtyFourKbBlockAtLevelOneNeedsLpaAndIsATranslationFault() {
        Tables t = f.tables(16);
        long l1 = t.newTable();
        t.set(l1, 0, AF | BLOCK);

        TranslationFault fault = f.fault(0x1000, READ, false, mmuOn(t0sz(16) | TG0_64K | IPS_48, l1, 0));

        assertEquals(FaultKind.TRANSLATION, fault.kind());
        assertEquals(1, fault.level());
        assertEquals(0x05, fault.fsc());
    }

    @Test
    void sixtyFourKbWith42BitRangeStartsAtLevelTwoWithAFullTable() {
        Tables t = f.tables(16);
        long l2 = t.newTable(), l3 = t.newTable();
        t.set(l2, 31, l3 | TABLE);
        t.set(l3, 0x1fff, 0x4060_0000L | AF | PAGE);
        long va = (31L << 29) | (0x1fffL << 16) | 0x10;

        assertEquals(0x4060_0010L, f.translation(va, READ, false, mmuOn(t0sz(22) | TG0_64K | IPS_48, l2, 0)).pa());
    }

    @Test
    void tg1Encoding11SelectsSixtyFourKbForTheUpperRange() {
        Tables t = f.tables(16);
        long l1 = t.newTable(), l2 = t.newTable(), l3 = t.newTable();
        t.set(l1, 63, l2 | TABLE);
        t.set(l2, 0, l3 | TABLE);
        t.set(l3, 0, 0x4070_0000L | AF | PAGE);

        Translation tr = f.translation(0xffff_fc00_0000_1234L, READ, false,
                mmuOn(t0sz(16) | t1sz(16) | TG1_64K | IPS_48, 0, l1));

        assertEquals(0x4070_1234L, tr.pa());
        assertEquals(64 * 1024, tr.size());
    }

    @Test
    void reservedTg0ValueBehavesAsSixtyFourKbLikeTheCpuCore() {
        Tables t = f.tables(16);
        long root = t.newTable();
        long va = (3L << 42) | (1L << 29) | (3L << 16) | 0x4567;
        t.map(root, 48, va, 3, 0x4050_0000L | AF | PAGE, 0);

        Translation tr = f.translation(va, READ, false, mmuOn(t0sz(16) | TG0_RESERVED | IPS_48, root, 0));

        assertEquals(0x4050_4567L, tr.pa());
        assertEquals(64 * 1024, tr.size());
    }

    // ---- 16 KB: level 0 resolves VA bit 47, level 1 46:36, level 2 35:25, level 3 24:14.

    @Test
    void sixteenKbPageWalksFourLevelsWithATwoEntryLevelZeroTable() {
        Tables t = f.tables(14);
        long l0 = t.newTable(), l1 = t.newTable(), l2 = t.newTable(), l3 = t.newTable();
        t.set(l0, 1, l1 | TABLE);
        t.set(l1, 3, l2 | TABLE);
        t.set(l2, 5, l3 | TABLE);
        t.set(l3, 7, 0x4050_0000L | AF | PAGE);
        long va = (1L << 47) | (3L << 36) | (5L << 25) | (7L << 14) | 0x321;

        Translation tr = f.translation(va, READ, false, mmuOn(t0sz(16) | TG0_16K | IPS_48, l0, 0));

        assertEquals(0x4050_0321L, tr.pa());
        assertEquals(3, tr.level());
        assertEquals(16 * 1024, tr.size());
        // Entry 0 of the level-0 table is empty, so reaching the page proves VA bit 47 indexed entry 1.
        TranslationFault viaEntry0 = f.fault(va & ~(1L << 47), READ, false, mmuOn(t0sz(16) | TG0_16K | IPS_48, l0, 0));
        assertEquals(0, viaEntry0.level());
        assertEquals(l0, viaEntry0.descriptorAddress());
    }

    @Test
    void sixteenKbBlockAtLevelTwoMaps32Megabytes() {
        Tables t = f.tables(14);
        long l0 = t.newTable(), l1 = t.newTable(), l2 = t.newTable();
        t.set(l0, 0, l1 | TABLE);
        t.set(l1, 0, l2 | TABLE);
        t.set(l2, 9, 0x8000_0000L | AF | BLOCK);

        Translation tr = f.translation((9L << 25) | 0x12_3456, READ, false,
                mmuOn(t0sz(16) | TG0_16K | IPS_48, l0, 0));

        assertEquals(0x8012_3456L, tr.pa());
        assertEquals(2, tr.level());
        assertEquals(32L << 20, tr.size());
    }

    @Test
    void sixteenKbBlockAtLevelOneIsATranslationFault() {
        Tables t = f.tables(14);
        long l0 = t.newTable(), l1 = t.newTable();
        t.set(l0, 0, l1 | TABLE);
        t.set(l1, 0, AF | BLOCK);

        TranslationFault fault = f.fault(0x4000, READ, false, mmuOn(t0sz(16) | TG0_16K | IPS_48, l0, 0));

        assertEquals(FaultKind.TRANSLATION, fault.kind());
        assertEquals(1, fault.level());
    }

    @Test
    void sixteenKbWith47BitRangeStartsAtLevelOne() {
        Tables t = f.tables(14);
        long l1 = t.newTable(), l2 = t.newTable(), l3 = t.newTable();
        t.set(l1, 2, l2 | TABLE);
        t.set(l2, 1, l3 | TABLE);
        t.set(l3, 1, 0x4060_0000L | AF | PAGE);
        long va = (2L << 36) | (1L << 25) | (1L << 14) | 0x99;

        assertEquals(0x4060_0099L, f.translation(va, READ, false, mmuOn(t0sz(17) | TG0_16K | IPS_48, l1, 0)).pa());
    }

    @Test
    void tg1Encoding01SelectsSixteenKbForTheUpperRange() {
        Tables t = f.tables(14);
        long l0 = t.newTable(), l1 = t.newTable(), l2 = t.newTable(), l3 = t.newTable();
        t.set(l0, 1, l1 | TABLE);
        t.set(l1, 0, l2 | TABLE);
        t.set(l2, 0, l3 | TABLE);
        t.set(l3, 1, 0x4070_0000L | AF | PAGE);

        Translation tr = f.translation(0xffff_8000_0000_4000L, READ, false,
                mmuOn(t0sz(16) | t1sz(16) | TG1_16K | IPS_48, 0, l0));

        assertEquals(0x4070_0000L, tr.pa());
        assertEquals(16 * 1024, tr.size());
    }

    // ---- TG1 encodings for 4 KB.

    @Test
    void tg1Encoding10AndReservedEncoding00BothSelectFourKb() {
        Tables t = f.tables(12);
        long root = t.newTable();
        long va = 0xffff_0000_0020_3456L;
        t.map(root, 48, va, 3, 0x4070_3000L | AF | PAGE, 0);

        for (long tg1 : new long[] {TG1_4K, TG1_RESERVED}) {
            Translation tr = f.translation(va, READ, false, mmuOn(t0sz(16) | t1sz(16) | tg1 | IPS_48, 0, root));
            assertEquals(0x4070_3456L, tr.pa());
            assertEquals(4096, tr.size());
        }
    }
}
