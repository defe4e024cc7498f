package dev.aarvark.iommu.smmuv3;

import org.junit.jupiter.api.Test;

import static dev.aarvark.iommu.smmuv3.SmmuBench.*;
import static dev.aarvark.iommu.smmuv3.SmmuV3.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SMMU's registers (IHI 0070 §6.3), one rule each. */
class SmmuV3RegisterTest {
    private static int field(long v, int lsb, int width) {
        return (int) (v >>> lsb) & ((1 << width) - 1);
    }

    @Test
    void idr0SaysStageOneAArch64LittleEndianTwoLevelTablesCoherentAndNothingElse() {
        try (SmmuBench b = new SmmuBench()) {
            long idr0 = b.r32(IDR0);
            assertEquals(0, field(idr0, 0, 1), "S2P");
            assertEquals(1, field(idr0, 1, 1), "S1P");
            assertEquals(2, field(idr0, 2, 2), "TTF: AArch64");
            assertEquals(1, field(idr0, 4, 1), "COHACC");
            assertEquals(0, field(idr0, 6, 2), "HTTU");
            assertEquals(0, field(idr0, 9, 1), "HYP");
            assertEquals(0, field(idr0, 10, 1), "ATS");
            assertEquals(1, field(idr0, 12, 1), "ASID16");
            assertEquals(0, field(idr0, 13, 1), "MSI");
            assertEquals(0, field(idr0, 16, 1), "PRI");
            assertEquals(1, field(idr0, 19, 1), "CD2L");
            assertEquals(2, field(idr0, 21, 2), "TTENDIAN: little-endian");
            assertEquals(1, field(idr0, 24, 2), "STALL_MODEL: terminate only");
            assertEquals(1, field(idr0, 27, 2), "ST_LEVEL: 2-level");
        }
    }

    @Test
    void idr1AndIdr5GiveTheSizesAndGranules() {
        try (SmmuBench b = new SmmuBench()) {
            long idr1 = b.r32(IDR1);
            assertEquals(16, field(idr1, 0, 6), "SIDSIZE");
            assertEquals(16, field(idr1, 6, 5), "SSIDSIZE");
            assertEquals(0, field(idr1, 11, 5), "PRIQS");
            assertEquals(EVTQS, field(idr1, 16, 5), "EVTQS");
            assertEquals(CMDQS, field(idr1, 21, 5), "CMDQS");
            assertEquals(0, field(idr1, 29, 2), "tables and queues not preset");
            long idr5 = b.r32(IDR5);
            assertEquals(0b101, field(idr5, 0, 3), "OAS: 48 bits");
            assertEquals(1, field(idr5, 4, 1), "GRAN4K");
            assertEquals(0, field(idr5, 5, 1), "GRAN16K");
            assertEquals(1, field(idr5, 6, 1), "GRAN64K");
            assertEquals(0, field(idr5, 10, 2), "VAX: 48-bit VA");
            assertEquals(1, b.r32(AIDR), "SMMUv3.1");
        }
    }

    @Test
    void idRegistersAreReadOnly() {
        try (SmmuBench b = new SmmuBench()) {
            b.w32(IDR0, 0);
            assertEquals(IDR0_VALUE, b.r32(IDR0));
            assertTrue(b.errors.getFirst().startsWith("WRITE_READ_ONLY"), b.errors.toString());
        }
    }

    @Test
    void cr0AckFollowsCr0AndUnimplementedEnablesStayZero() {
        try (SmmuBench b = new SmmuBench()) {
            b.w32(CR0, CR0_CMDQEN | CR0_PRIQEN | 1 << 4 /* ATSCHK */);
            assertEquals(CR0_CMDQEN, b.r32(CR0));
            assertEquals(CR0_CMDQEN, b.r32(CR0ACK));
        }
    }

    @Test
    void gbpaResetsToAbortAndChangesOnlyOnAWriteWithUpdate() {
        try (SmmuBench b = new SmmuBench()) {
            assertEquals(GBPA_ABORT, b.r32(GBPA));
            b.w32(GBPA, 0);
            assertEquals(GBPA_ABORT, b.r32(GBPA), "Update clear: no change");
            b.w32(GBPA, GBPA_UPDATE);
            assertEquals(0, b.r32(GBPA));
            b.w32(GBPA, GBPA_UPDATE | GBPA_ABORT);
            assertEquals(GBPA_ABORT, b.r32(GBPA));
        }
    }

    @Test
    void irqCtrlAckFollowsIrqCtrlWithoutThePriEnable() {
        try (SmmuBench b = new SmmuBench()) {
            b.w32(IRQ_CTRL, 7);
            assertEquals(IRQ_CTRL_GERROR_IRQEN | IRQ_CTRL_EVENTQ_IRQEN, b.r32(IRQ_CTRLACK));
        }
    }

    @Test
    void sixtyFourBitRegistersTakeOneWideOrTwoNarrowAccesses() {
        try (SmmuBench b = new SmmuBench()) {
            b.w64(STRTAB_BASE, 0x0000_1234_5678_9ac0L);
            assertEquals(0x0000_1234_5678_9ac0L, b.smmu.read(STRTAB_BASE, 8));
            b.w32(CMDQ_BASE, 0x4011_0004);
            b.w32(CMDQ_BASE + 4, 0x1);
            assertEquals(0x1_4011_0004L, b.smmu.read(CMDQ_BASE, 8));
            assertEquals(0x1, b.r32(CMDQ_BASE + 4));
        }
    }

    @Test
    void tableAndQueueBasesAreReadOnlyWhileTheirEnableIsSet() {
        try (SmmuBench b = new SmmuBench().enable()) {
            b.w64(STRTAB_BASE, 0x4800_0000L);
            b.w64(CMDQ_BASE, 0x4800_0000L);
            b.w64(EVENTQ_BASE, 0x4800_0000L);
            assertEquals(STRTAB, b.smmu.read(STRTAB_BASE, 8));
            assertEquals(CMDQ | CMDQ_LOG2, b.smmu.read(CMDQ_BASE, 8));
            assertEquals(EVTQ | EVTQ_LOG2, b.smmu.read(EVENTQ_BASE, 8));
            assertTrue(b.errors.stream().allMatch(e -> e.startsWith("WRITE_WHILE_ENABLED")), b.errors.toString());
            assertEquals(6, b.errors.size(), "each 64-bit write is two 32-bit halves");
        }
    }

    @Test
    void narrowOrMisalignedAccessesReadZeroAndAreReported() {
        try (SmmuBench b = new SmmuBench()) {
            assertEquals(0, b.smmu.read(IDR0, 2));
            assertEquals(0, b.smmu.read(IDR0 + 4, 8));
            b.smmu.write(CR0, 1, 1);
            assertEquals(0, b.r32(CR0));
            assertEquals(3, b.errors.stream().filter(e -> e.startsWith("BAD_WIDTH")).count(), b.errors.toString());
        }
    }

    @Test
    void unknownOffsetsReadZeroAndIgnoreWrites() {
        try (SmmuBench b = new SmmuBench()) {
            assertEquals(0, b.r32(0x30));
            b.w32(0x30, 5);
            assertEquals(0, b.r32(0x30));
            assertEquals(0, b.r32(0xc0), "PRIQ_BASE: no PRI");
            assertTrue(b.errors.get(0).startsWith("READ_UNKNOWN") && b.errors.get(1).startsWith("WRITE_UNKNOWN"), b.errors.toString());
        }
    }

    @Test
    void eventQueuePointersLiveInPageOne() {
        try (SmmuBench b = new SmmuBench()) {
            b.w32(EVENTQ_CONS, 5);
            assertEquals(5, b.r32(EVENTQ_CONS));
            assertEquals(5, b.r32(EVENTQ_CONS & 0xffff), "also at the page-0 offset, as QEMU answers");
            b.w32(EVENTQ_PROD, 3);
            assertEquals(3, b.r32(EVENTQ_PROD));
        }
    }
}
