package dev.aarvark.iommu.smmuv3;

import dev.aarvark.memory.mmu.Permissions;
import dev.aarvark.memory.mmu.Translation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** The IOTLB's invalidation rules, for pages and for blocks filed under several pages. */
class IotlbTest {
    private static Translation leaf(long va, long pa, long size, boolean notGlobal) {
        return new Translation(va, pa, size == 4096 ? 3 : 2, size, 0xff, Permissions.ALL, notGlobal, 0x4000_0000L, 0);
    }

    @Test
    void aVaInvalidationDropsThePageForItsAsidAndTheGlobalOneButNotOtherAsids() {
        Iotlb tlb = new Iotlb();
        tlb.insert(1, 0x1000, leaf(0x1000, 0x4000_1000L, 4096, true));
        tlb.insert(2, 0x1000, leaf(0x1000, 0x4000_2000L, 4096, true));
        tlb.insert(1, 0x2000, leaf(0x2000, 0x4000_3000L, 4096, false));
        tlb.invalidateVa(1, 0x1000);
        assertNull(tlb.lookup(1, 0x1000));
        assertEquals(0x4000_2000L, tlb.lookup(2, 0x1000).pa());
        tlb.invalidateVa(1, 0x2000);
        assertNull(tlb.lookup(2, 0x2000), "a global entry goes with any ASID's invalidation of its VA");
    }

    @Test
    void aBlockCachedUnderSeveralPagesGoesWholeWithOneVaInvalidation() {
        Iotlb tlb = new Iotlb();
        Translation block = leaf(0x20_0000, 0x4020_0000L, 2 << 20, true);
        tlb.insert(1, 0x20_0000, block);
        tlb.insert(1, 0x2f_f000, block);
        tlb.insert(1, 0x1000, leaf(0x1000, 0x4000_1000L, 4096, true));
        assertNotNull(tlb.lookup(1, 0x2f_f000));
        tlb.invalidateVa(1, 0x25_0000);
        assertNull(tlb.lookup(1, 0x20_0000));
        assertNull(tlb.lookup(1, 0x2f_f000));
        assertEquals(1, tlb.size(), "the unrelated page stays");
        tlb.invalidateVa(1, 0x1000);
        assertEquals(0, tlb.size());
    }

    @Test
    void everyInvalidationBumpsTheGeneration() {
        Iotlb tlb = new Iotlb();
        long g = tlb.generation();
        tlb.invalidateVa(1, 0);
        tlb.invalidateAsid(1);
        tlb.invalidateAll();
        assertEquals(g + 3, tlb.generation());
    }
}
