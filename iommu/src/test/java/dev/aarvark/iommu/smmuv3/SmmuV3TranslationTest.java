package dev.aarvark.iommu.smmuv3;

import dev.aarvark.iommu.DmaFault;
import org.junit.jupiter.api.Test;

import static dev.aarvark.iommu.smmuv3.SmmuBench.*;
import static dev.aarvark.iommu.smmuv3.SmmuV3.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Transactions through the SMMU: GBPA, STE configs, stage-1 walks, each fault type, the IOTLB. */
class SmmuV3TranslationTest {
    private static final long IOVA = 0x1234_5000L;
    private static final long TARGET = RAM + 0x80_0000;

    /** An enabled SMMU with stream 1 translating through a CD with ASID 7 and {@code IOVA -> TARGET} mapped. */
    private static SmmuBench mapped(long attrs) {
        SmmuBench b = new SmmuBench().enable();
        long l0 = b.newTable();
        b.map(l0, IOVA, TARGET, attrs);
        b.cd(CD, 7, l0);
        b.stage1Ste(1, CD);
        return b;
    }

    @Test
    void atResetGbpaAbortRefusesEveryAccessBeforeTheSmmuIsSetUp() {
        try (SmmuBench b = new SmmuBench()) {
            assertEquals(GBPA_ABORT, b.r32(GBPA));
            DmaFault f = assertThrows(DmaFault.class, () -> b.stream(0).writeInt(RAM + 0x1000, 1, WHO));
            assertEquals(0, b.ram.readInt(RAM + 0x1000));
            assertTrue(f.getMessage().contains("GBPA.ABORT"), f.getMessage());
            assertEquals("SMMU not enabled, GBPA.ABORT", b.faults.getFirst().cause());
            assertEquals(WHO, b.faults.getFirst().requester());
        }
    }

    @Test
    void withGbpaAbortClearedADisabledSmmuPassesAddressesThrough() {
        try (SmmuBench b = new SmmuBench()) {
            b.w32(GBPA, GBPA_UPDATE);
            assertEquals(0, b.r32(GBPA), "Update reads 0 when done");
            b.stream(3).writeInt(RAM + 0x1000, 0xabcd, WHO);
            assertEquals(0xabcd, b.ram.readInt(RAM + 0x1000));
        }
    }

    @Test
    void stageOneSendsTheAccessToThePageTheTablesName() {
        try (SmmuBench b = mapped(PAGE | AP_EL0)) {
            byte[] data = {1, 2, 3, 4, 5, 6, 7, 8};
            b.stream(1).write(IOVA + 0x10, data, 0, 8, WHO);
            assertEquals(0x0807060504030201L, b.ram.readLong(TARGET + 0x10));
            assertEquals(0, b.ram.readLong(IOVA + 0x10 < RAM ? RAM : IOVA), "nothing at the IOVA itself");
            byte[] back = new byte[8];
            b.stream(1).read(IOVA + 0x10, back, 0, 8, WHO);
            assertArrayEquals(data, back);
            assertEquals(0x04030201, b.stream(1).readInt(IOVA + 0x10, WHO));
            assertEquals(0, b.pendingEvents());
        }
    }

    @Test
    void sixtyFourKilobyteGranuleTablesTranslateToo() {
        try (SmmuBench b = new SmmuBench().enable()) {
            // TG0 = 0b01 (64 KB), T0SZ = 22 (42-bit VA): level 2 table indexes VA[41:29], level 3 VA[28:16].
            long l2 = RAM + 0x40_0000, l3 = RAM + 0x41_0000;
            long va = 0x2_3456_0000L + 0x123;
            b.ram.writeLong(l2 + ((va >>> 29) & 0x1fff) * 8, l3 | 3);
            b.ram.writeLong(l3 + ((va >>> 16) & 0x1fff) * 8, (TARGET & ~0xffffL) | PAGE);
            b.cd(CD, 1, l2, 22 | 1L << 6);
            b.stage1Ste(2, CD);
            b.stream(2).writeInt(va, 0x5a5a, WHO);
            assertEquals(0x5a5a, b.ram.readInt((TARGET & ~0xffffL) + 0x123));
        }
    }

    @Test
    void aBypassSteAndAnAbortSteDoWhatTheySay() {
        try (SmmuBench b = new SmmuBench().enable()) {
            b.ste(4, 1 | 0b100 << 1, 0);
            b.ste(5, 1, 0);
            b.stream(4).writeInt(RAM + 0x2000, 9, WHO);
            assertEquals(9, b.ram.readInt(RAM + 0x2000));
            assertThrows(DmaFault.class, () -> b.stream(5).writeInt(RAM + 0x3000, 9, WHO));
            assertEquals(0, b.ram.readInt(RAM + 0x3000));
            assertEquals("STE.Config = abort", b.faults.getLast().cause());
            assertEquals(0, b.pendingEvents(), "an abort STE aborts silently");
        }
    }

    @Test
    void anUnmappedAddressIsATranslationFaultRecordedWithStreamAndAddress() {
        try (SmmuBench b = mapped(PAGE)) {
            long other = IOVA + 0x10_0000;
            assertThrows(DmaFault.class, () -> b.stream(1).writeLong(other + 8, 1, WHO));
            SmmuEvent e = b.nextEvent();
            assertEquals(SmmuEventType.F_TRANSLATION, e.type());
            assertEquals(1, e.streamId());
            assertEquals(other + 8, e.inputAddress());
            assertFalse(e.read());
            assertTrue(e.privileged());
            assertEquals(SmmuEvent.CLASS_IN, e.eventClass());
            assertEquals("F_TRANSLATION", b.faults.getLast().cause());
            assertTrue(b.faults.getLast().detail().contains("ASID 7: translation fault, level 2"), "1 MiB further is in another 2 MiB region, with no level-3 table: " + b.faults.getLast().detail());
            assertTrue(b.irqs.contains(SmmuInterrupt.EVENTQ));
        }
    }

    @Test
    void aWriteToAReadOnlyPageIsAPermissionFaultAndReadsStillWork() {
        try (SmmuBench b = mapped(PAGE | AP_RO)) {
            b.ram.writeInt(TARGET, 77);
            assertEquals(77, b.stream(1).readInt(IOVA, WHO));
            assertThrows(DmaFault.class, () -> b.stream(1).writeInt(IOVA, 1, WHO));
            assertEquals(77, b.ram.readInt(TARGET));
            SmmuEvent e = b.nextEvent();
            assertEquals(SmmuEventType.F_PERMISSION, e.type());
            assertFalse(e.read());
        }
    }

    @Test
    void unprivilegedStreamsNeedEl0AccessInTheTables() {
        try (SmmuBench b = mapped(PAGE)) {
            b.ste(1, 1 | 0b101 << 1 | CD, 2L << 48 /* PRIVCFG unprivileged */);
            assertThrows(DmaFault.class, () -> b.stream(1).readInt(IOVA, WHO));
            SmmuEvent e = b.nextEvent();
            assertEquals(SmmuEventType.F_PERMISSION, e.type());
            assertFalse(e.privileged());
            assertTrue(e.read());
        }
    }

    @Test
    void anAccessFlagOfZeroIsAnAccessFault() {
        try (SmmuBench b = mapped(PAGE & ~(1L << 10))) {
            assertThrows(DmaFault.class, () -> b.stream(1).readInt(IOVA, WHO));
            assertEquals(SmmuEventType.F_ACCESS, b.nextEvent().type());
        }
    }

    @Test
    void anOutputAddressBeyondTheCdsIpsIsAnAddressSizeFault() {
        try (SmmuBench b = new SmmuBench().enable()) {
            long l0 = b.newTable();
            b.map(l0, IOVA, 0x1_0000_0000L, PAGE);
            b.cd(CD, 7, l0);
            b.ram.writeLong(CD, b.ram.readLong(CD) & ~(7L << 32)); // IPS 0b000: 32 bits
            b.stage1Ste(1, CD);
            assertThrows(DmaFault.class, () -> b.stream(1).readInt(IOVA, WHO));
            assertEquals(SmmuEventType.F_ADDR_SIZE, b.nextEvent().type());
        }
    }

    @Test
    void aWalkIntoMemoryThatDoesNotAnswerIsAWalkExternalAbortWithTheFetchAddress() {
        try (SmmuBench b = new SmmuBench().enable()) {
            long l0 = b.newTable();
            b.ram.writeLong(l0, 0x0800_0000L | 3); // level-1 table in the GIC's space, not RAM
            b.cd(CD, 7, l0);
            b.stage1Ste(1, CD);
            assertThrows(DmaFault.class, () -> b.stream(1).readInt(0x1000, WHO));
            SmmuEvent e = b.nextEvent();
            assertEquals(SmmuEventType.F_WALK_EABT, e.type());
            assertEquals(0x0800_0000L, e.fetchAddress());
            assertEquals(SmmuEvent.CLASS_TT, e.eventClass());
        }
    }

    @Test
    void aCdWithRecordOffAbortsWithoutAnEvent() {
        try (SmmuBench b = mapped(PAGE)) {
            b.ram.writeLong(CD, b.ram.readLong(CD) & ~(1L << 45));
            assertThrows(DmaFault.class, () -> b.stream(1).readInt(IOVA + 0x10_0000, WHO));
            assertEquals(0, b.pendingEvents());
            assertTrue(b.faults.getLast().detail().contains("no event (CD.R = 0)"), b.faults.getLast().detail());
        }
    }

    @Test
    void aStreamBeyondTheTableIsBadStreamIdRecordedOnlyWithRecinvsid() {
        try (SmmuBench b = new SmmuBench().enable()) {
            assertThrows(DmaFault.class, () -> b.stream(16).readInt(RAM, WHO));
            SmmuEvent e = b.nextEvent();
            assertEquals(SmmuEventType.C_BAD_STREAMID, e.type());
            assertEquals(16, e.streamId());
            b.w32(CR2, 0);
            assertThrows(DmaFault.class, () -> b.stream(17).readInt(RAM, WHO));
            assertEquals(0, b.pendingEvents());
        }
    }

    @Test
    void invalidAndIllegalStesAreBadSte() {
        try (SmmuBench b = new SmmuBench().enable()) {
            b.ste(2, 1 | 0b010 << 1, 0);   // reserved Config
            b.ste(3, 1 | 0b110 << 1, 0);   // stage 2: not implemented
            for (int sid : new int[] {0, 2, 3}) {
                assertThrows(DmaFault.class, () -> b.stream(sid).readInt(RAM, WHO));
                SmmuEvent e = b.nextEvent();
                assertEquals(SmmuEventType.C_BAD_STE, e.type(), "stream " + sid);
                assertEquals(sid, e.streamId());
            }
            assertTrue(b.faults.get(0).detail().contains("STE.V is 0"), b.faults.get(0).detail());
            assertTrue(b.faults.get(2).detail().contains("needs stage 2"), b.faults.get(2).detail());
        }
    }

    @Test
    void invalidAndIllegalCdsAreBadCd() {
        try (SmmuBench b = mapped(PAGE)) {
            long d0 = b.ram.readLong(CD);
            long[] bad = {d0 & ~(1L << 31), d0 & ~(1L << 41), (d0 & ~0x3fL) | 12, d0 | 1L << 15, (d0 & ~(3L << 6)) | 2L << 6};
            String[] why = {"CD.V is 0", "AA64", "T0SZ 12", "ENDI", "16 KB"};
            for (int i = 0; i < bad.length; i++) {
                b.ram.writeLong(CD, bad[i]);
                b.cmd(CMD_CFGI_CD | 1L << 32, 0);
                b.cmd(CMD_SYNC, 0);
                assertThrows(DmaFault.class, () -> b.stream(1).readInt(IOVA, WHO));
                assertEquals(SmmuEventType.C_BAD_CD, b.nextEvent().type(), why[i]);
                assertTrue(b.faults.getLast().detail().contains(why[i]), b.faults.getLast().detail());
            }
        }
    }

    @Test
    void tablesOutsideRamAreSteAndCdFetchFaults() {
        try (SmmuBench b = new SmmuBench().enable()) {
            b.stage1Ste(1, 0x0900_0000L);
            assertThrows(DmaFault.class, () -> b.stream(1).readInt(RAM, WHO));
            SmmuEvent e = b.nextEvent();
            assertEquals(SmmuEventType.F_CD_FETCH, e.type());
            assertEquals(0x0900_0000L, e.fetchAddress());
            b.w32(CR0, CR0_CMDQEN | CR0_EVENTQEN);
            b.w64(STRTAB_BASE, 0x0900_0000L);
            b.w32(CR0, CR0_CMDQEN | CR0_EVENTQEN | CR0_SMMUEN);
            assertThrows(DmaFault.class, () -> b.stream(2).readInt(RAM, WHO));
            e = b.nextEvent();
            assertEquals(SmmuEventType.F_STE_FETCH, e.type());
            assertEquals(0x0900_0000L + 2 * 64, e.fetchAddress());
        }
    }

    @Test
    void s1dssTerminateStopsTransactionsWithoutASubstreamAsStreamDisabled() {
        try (SmmuBench b = mapped(PAGE)) {
            b.ste(1, 1 | 0b101 << 1 | CD | 4L << 59 /* S1CDMax 4 */, StreamTableEntry.S1DSS_TERMINATE);
            assertThrows(DmaFault.class, () -> b.stream(1).readInt(IOVA, WHO));
            SmmuEvent e = b.nextEvent();
            assertEquals(SmmuEventType.F_STREAM_DISABLED, e.type());
            assertEquals(IOVA, e.inputAddress());
            b.ste(1, 1 | 0b101 << 1 | CD | 4L << 59, StreamTableEntry.S1DSS_SSID0);
            b.cmd(CMD_CFGI_STE | 1L << 32, 0);
            b.cmd(CMD_SYNC, 0);
            b.stream(1).writeInt(IOVA, 5, WHO);
            assertEquals(5, b.ram.readInt(TARGET), "S1DSS = SSID0: CD 0 of the linear table");
        }
    }

    @Test
    void aTwoLevelStreamTableFindsItsSteAndASpanOfZeroIsBadStreamId() {
        try (SmmuBench b = mapped(PAGE)) {
            long l1 = RAM + 0x50_0000, l2 = RAM + 0x51_0000;
            b.w32(CR0, CR0_CMDQEN | CR0_EVENTQEN);
            b.w64(STRTAB_BASE, l1);
            b.w32(STRTAB_BASE_CFG, 1 << 16 | 8 << 6 | 16); // 2-level, SPLIT 8, 2^16 streams
            b.w32(CR0, CR0_CMDQEN | CR0_EVENTQEN | CR0_SMMUEN);
            b.ram.writeLong(l1 + 2 * 8, l2 | 9);           // streams 0x200-0x2ff: Span 9 = 256 STEs
            int sid = 0x205;
            b.ram.writeLong(l2 + 5 * 64, 1 | 0b101 << 1 | CD);
            b.stream(sid).writeInt(IOVA, 6, WHO);
            assertEquals(6, b.ram.readInt(TARGET));
            assertThrows(DmaFault.class, () -> b.stream(0x305).readInt(IOVA, WHO));
            SmmuEvent e = b.nextEvent();
            assertEquals(SmmuEventType.C_BAD_STREAMID, e.type());
            assertEquals(0x305, e.streamId());
        }
    }

    @Test
    void aTwoLevelCdTableFindsCdZeroThroughItsLevelOneDescriptor() {
        try (SmmuBench b = mapped(PAGE)) {
            long l1cd = RAM + 0x60_0000, l2cd = RAM + 0x61_0000;
            for (int i = 0; i < 64; i += 8) {
                b.ram.writeLong(l2cd + i, b.ram.readLong(CD + i));
            }
            b.ram.writeLong(l1cd, l2cd | 1);
            b.ste(1, 1 | 0b101 << 1 | StreamTableEntry.S1FMT_2LVL_4K << 4 | l1cd | 8L << 59, StreamTableEntry.S1DSS_SSID0);
            b.stream(1).writeInt(IOVA, 8, WHO);
            assertEquals(8, b.ram.readInt(TARGET));
            b.ram.writeLong(l1cd, l2cd); // L1CD.V = 0
            b.cmd(CMD_CFGI_CD_ALL | 1L << 32, 0);
            b.cmd(CMD_SYNC, 0);
            assertThrows(DmaFault.class, () -> b.stream(1).writeInt(IOVA, 8, WHO));
            assertEquals(SmmuEventType.C_BAD_CD, b.nextEvent().type());
        }
    }

    @Test
    void aRemovedMappingIsStillUsedUntilTheTlbiAndGoneAfterIt() {
        try (SmmuBench b = mapped(PAGE | NG)) {
            b.stream(1).writeInt(IOVA, 1, WHO);
            long leaf = b.map(b.ram.readLong(CD + 8), IOVA, TARGET, PAGE | NG);
            b.ram.writeLong(leaf, 0); // unmapped, no TLBI yet
            b.stream(1).writeInt(IOVA + 4, 2, WHO);
            assertEquals(2, b.ram.readInt(TARGET + 4), "the stale translation is still used, as on hardware");
            b.cmd(CMD_CFGI_STE | 1L << 32, 0); // configuration invalidation leaves the TLB alone
            b.cmd(CMD_SYNC, 0);
            b.stream(1).writeInt(IOVA + 8, 3, WHO);
            assertEquals(3, b.ram.readInt(TARGET + 8));
            b.tlbiVa(7, IOVA);
            assertThrows(DmaFault.class, () -> b.stream(1).writeInt(IOVA + 12, 4, WHO));
            assertEquals(0, b.ram.readInt(TARGET + 12));
            assertEquals(SmmuEventType.F_TRANSLATION, b.nextEvent().type());
        }
    }

    @Test
    void tlbiByAsidDropsThatAsidOnlyAndGlobalEntriesNeedTlbiAll() {
        try (SmmuBench b = mapped(PAGE | NG)) {
            long l0 = b.ram.readLong(CD + 8);
            long global = IOVA + 0x20_0000;
            long gleaf = b.map(l0, global, TARGET + 0x1000, PAGE);
            b.stream(1).readInt(IOVA, WHO);
            b.stream(1).readInt(global, WHO);
            assertEquals(2, b.smmu.iotlb().size());
            b.cmd(CMD_TLBI_NH_ASID | 8L << 48, 0);
            assertEquals(2, b.smmu.iotlb().size(), "another ASID");
            b.cmd(CMD_TLBI_NH_ASID | 7L << 48, 0);
            assertEquals(1, b.smmu.iotlb().size(), "the global entry stays");
            b.ram.writeLong(gleaf, 0);
            b.stream(1).readInt(global, WHO);
            b.cmd(CMD_TLBI_NH_ALL, 0);
            assertEquals(0, b.smmu.iotlb().size());
            assertThrows(DmaFault.class, () -> b.stream(1).readInt(global, WHO));
        }
    }

    @Test
    void anSteChangeIsSeenOnlyAfterCfgiSte() {
        try (SmmuBench b = mapped(PAGE)) {
            b.stream(1).writeInt(IOVA, 1, WHO);
            b.ste(1, 1, 0); // now abort, but still cached
            b.stream(1).writeInt(IOVA, 2, WHO);
            assertEquals(2, b.ram.readInt(TARGET));
            b.cmd(CMD_CFGI_STE | 1L << 32, 0);
            b.cmd(CMD_SYNC, 0);
            assertThrows(DmaFault.class, () -> b.stream(1).writeInt(IOVA, 3, WHO));
            assertEquals(2, b.ram.readInt(TARGET));
        }
    }

    @Test
    void anAccessAcrossPagesIsAllOrNothing() {
        try (SmmuBench b = mapped(PAGE)) {
            byte[] data = new byte[64];
            java.util.Arrays.fill(data, (byte) 0x11);
            assertThrows(DmaFault.class, () -> b.stream(1).write(IOVA + 4096 - 32, data, 0, 64, WHO));
            assertEquals(0, b.ram.readLong(TARGET + 4096 - 32), "the mapped half was not written");
            long l0 = b.ram.readLong(CD + 8);
            b.map(l0, IOVA + 4096, TARGET + 0x10_0000, PAGE);
            b.stream(1).write(IOVA + 4096 - 32, data, 0, 64, WHO);
            assertEquals(0x1111_1111_1111_1111L, b.ram.readLong(TARGET + 4096 - 32));
            assertEquals(0x1111_1111_1111_1111L, b.ram.readLong(TARGET + 0x10_0000 + 24));
        }
    }
}
