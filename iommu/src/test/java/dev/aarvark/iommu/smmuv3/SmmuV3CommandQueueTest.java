package dev.aarvark.iommu.smmuv3;

import org.junit.jupiter.api.Test;

import static dev.aarvark.iommu.smmuv3.SmmuBench.*;
import static dev.aarvark.iommu.smmuv3.SmmuV3.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command queue (IHI 0070 §4, §3.5): consumption, CMD_SYNC, every accepted command, errors. */
class SmmuV3CommandQueueTest {
    private static final int IDX_WRAP = (2 << CMDQ_LOG2) - 1;

    @Test
    void everyCommandBeforeProdIsConsumedAndConsWrapsWithProd() {
        try (SmmuBench b = new SmmuBench().enable()) {
            for (int i = 0; i < 40; i++) {
                b.cmd(CMD_SYNC, 0);
                assertEquals(b.r32(CMDQ_PROD), b.r32(CMDQ_CONS) & IDX_WRAP, "after command " + i);
            }
            assertEquals((3 + 40) & IDX_WRAP, b.r32(CMDQ_CONS) & IDX_WRAP, "index and wrap bit after 43 commands of a 16-entry queue");
        }
    }

    @Test
    void nothingRunsWhileTheQueueIsDisabled() {
        try (SmmuBench b = new SmmuBench()) {
            b.w64(CMDQ_BASE, CMDQ | CMDQ_LOG2);
            b.cmd(CMD_SYNC, 0);
            assertEquals(0, b.r32(CMDQ_CONS));
            b.w32(CR0, CR0_CMDQEN);
            assertEquals(1, b.r32(CMDQ_CONS), "enabling the queue runs what is waiting");
        }
    }

    @Test
    void cmdSyncWithSignalIrqPulsesTheWiredSyncInterruptAndSevOrNoneDoNot() {
        try (SmmuBench b = new SmmuBench().enable()) {
            b.irqs.clear();
            b.cmd(CMD_SYNC | 2 << 12, 0);
            b.cmd(CMD_SYNC, 0);
            assertTrue(b.irqs.isEmpty());
            b.cmd(CMD_SYNC | 1 << 12, 0);
            assertEquals(java.util.List.of(SmmuInterrupt.CMDQ_SYNC), b.irqs);
        }
    }

    @Test
    void everyCommandTheSubsetNamesIsAccepted() {
        int[] ops = {CMD_PREFETCH_CONFIG, CMD_PREFETCH_ADDR, CMD_CFGI_STE, CMD_CFGI_STE_RANGE, CMD_CFGI_CD, CMD_CFGI_CD_ALL,
                CMD_TLBI_NH_ALL, CMD_TLBI_NH_ASID, CMD_TLBI_NH_VA, CMD_TLBI_NH_VAA, CMD_TLBI_EL2_ALL, CMD_TLBI_NSNH_ALL, CMD_SYNC};
        try (SmmuBench b = new SmmuBench().enable()) {
            for (int op : ops) {
                b.cmd(op, 0);
                assertEquals(0, b.r32(GERROR), "opcode 0x" + Integer.toHexString(op));
            }
            assertEquals(b.r32(CMDQ_PROD), b.r32(CMDQ_CONS));
        }
    }

    @Test
    void anIllegalCommandStopsTheQueueWithCerrorIllUntilTheGuestAcknowledges() {
        try (SmmuBench b = new SmmuBench().enable()) {
            b.irqs.clear();
            int at = (int) b.r32(CMDQ_CONS) & IDX_WRAP;
            b.cmd(0x40 /* CMD_ATC_INV: no ATS */, 0);
            b.cmd(CMD_SYNC, 0);
            long cons = b.r32(CMDQ_CONS);
            assertEquals(at, cons & IDX_WRAP, "CONS stays on the failing command");
            assertEquals(CERROR_ILL, (cons >>> 24) & 0x7f);
            assertEquals(GERROR_CMDQ_ERR, b.r32(GERROR) ^ b.r32(GERRORN));
            assertEquals(java.util.List.of(SmmuInterrupt.GERROR), b.irqs);
            assertTrue(b.errors.getLast().startsWith("ILLEGAL_COMMAND"), b.errors.toString());
            // Linux's way out: replace the command by a CMD_SYNC, then acknowledge in GERRORN.
            b.ram.writeLong(CMDQ + (at & ((1 << CMDQ_LOG2) - 1)) * 16L, CMD_SYNC);
            b.w32(GERRORN, (int) b.r32(GERROR));
            assertEquals(b.r32(CMDQ_PROD), b.r32(CMDQ_CONS) & IDX_WRAP, "processing resumed");
        }
    }

    @Test
    void aReservedSyncCompletionSignalIsIllegal() {
        try (SmmuBench b = new SmmuBench().enable()) {
            b.cmd(CMD_SYNC | 3 << 12, 0);
            assertEquals(CERROR_ILL, (b.r32(CMDQ_CONS) >>> 24) & 0x7f);
        }
    }

    @Test
    void aQueueOutsideRamIsCerrorAbt() {
        try (SmmuBench b = new SmmuBench()) {
            b.w64(CMDQ_BASE, 0x0800_0000L | CMDQ_LOG2);
            b.w32(CR0, CR0_CMDQEN);
            b.w32(CMDQ_PROD, 1);
            assertEquals(CERROR_ABT, (b.r32(CMDQ_CONS) >>> 24) & 0x7f);
            assertEquals(GERROR_CMDQ_ERR, b.r32(GERROR));
            assertFalse(b.irqs.contains(SmmuInterrupt.GERROR), "GERROR_IRQEN is clear");
        }
    }

    @Test
    void cfgiAllMakesEveryNewSteVisibleAndCfgiSteRangeItsRange() {
        try (SmmuBench b = new SmmuBench().enable()) {
            for (int sid = 0; sid < 4; sid++) {
                b.ste(sid, 1 | 0b100 << 1, 0);
                b.stream(sid).readInt(RAM, WHO);
                b.ste(sid, 1, 0);
            }
            b.cmd(CMD_CFGI_STE_RANGE | 2L << 32, 0); // Range 0: streams 2 and 3
            b.stream(0).readInt(RAM, WHO);
            org.junit.jupiter.api.Assertions.assertThrows(dev.aarvark.iommu.DmaFault.class, () -> b.stream(3).readInt(RAM, WHO));
            b.cmd(CMD_CFGI_STE_RANGE, 31); // CMD_CFGI_ALL
            org.junit.jupiter.api.Assertions.assertThrows(dev.aarvark.iommu.DmaFault.class, () -> b.stream(0).readInt(RAM, WHO));
        }
    }
}
