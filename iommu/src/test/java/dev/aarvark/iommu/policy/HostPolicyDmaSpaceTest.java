package dev.aarvark.iommu.policy;

import dev.aarvark.iommu.BypassDmaSpace;
import dev.aarvark.iommu.DmaFault;
import dev.aarvark.iommu.DmaFaultRecord;
import dev.aarvark.iommu.DmaRequester;
import dev.aarvark.memory.GuestRam;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostPolicyDmaSpaceTest {
    private static final long RAM = 0x4000_0000L;
    private static final long WINDOW = RAM + 0x30_0000;
    private static final DmaRequester WHO = DmaRequester.descriptor("virtio-net@a003e00", 0, 2, 2);

    private final Arena arena = Arena.ofConfined();
    private final GuestRam ram = GuestRam.allocate(arena, RAM, 8 << 20);
    private final List<DmaFaultRecord> records = new ArrayList<>();

    @AfterEach
    void close() {
        arena.close();
    }

    private HostPolicyDmaSpace space(DmaPolicy policy, DmaWindow... windows) {
        HostPolicyDmaSpace s = new HostPolicyDmaSpace(new BypassDmaSpace(ram, records::add), "virtio-net0", policy,
                List.of(windows), records::add);
        s.driverReady(true);
        return s;
    }

    @Test
    void anAccessInsideAWindowGoesThroughAndIsNotRecorded() {
        HostPolicyDmaSpace s = space(DmaPolicy.STRICT, new DmaWindow(WINDOW, 0x1000, true));
        s.write(WINDOW + 0x10, new byte[] {1, 2, 3}, 0, 3, WHO);
        s.writeLong(WINDOW + 0xff8, 0x1122334455667788L, WHO);
        assertEquals(0x030201, ram.readInt(WINDOW + 0x10) & 0xffffff);
        assertEquals(0x1122334455667788L, s.readLong(WINDOW + 0xff8, WHO));
        assertTrue(records.isEmpty());
    }

    @Test
    void strictRefusesAWriteOutsideEveryWindowBeforeItTouchesRam() {
        HostPolicyDmaSpace s = space(DmaPolicy.STRICT, new DmaWindow(WINDOW, 0x1000, true));
        ram.writeLong(WINDOW + 0x1000, 0x9ddf1ce5f00dbeefL);
        DmaFault f = assertThrows(DmaFault.class, () -> s.write(WINDOW + 0x1000, new byte[8], 0, 8, WHO));
        assertEquals(0x9ddf1ce5f00dbeefL, ram.readLong(WINDOW + 0x1000), "the canary outside the window is intact");
        assertEquals(WINDOW + 0x1000, f.address());
        assertEquals(1, records.size());
        DmaFaultRecord r = records.getFirst();
        assertEquals(HostPolicyDmaSpace.OUTSIDE_WINDOWS, r.cause());
        assertTrue(r.refused() && r.write());
        assertEquals(WHO, r.requester());
        assertTrue(r.describe().contains("virtio-net@a003e00 queue 0 descriptor 2 buffer: DMA write of 8 bytes at 0x40301000 refused"
                + ": outside the DMA windows (virtio-net0 may use [0x40300000, 0x40301000) rw)"), r.describe());
    }

    @Test
    void anAccessThatRunsPastTheEndOfAWindowIsRefusedWhole() {
        HostPolicyDmaSpace s = space(DmaPolicy.STRICT, new DmaWindow(WINDOW, 0x1000, true));
        byte[] frame = new byte[1548];
        java.util.Arrays.fill(frame, (byte) 0x5a);
        assertThrows(DmaFault.class, () -> s.write(WINDOW + 0xa00, frame, 0, frame.length, WHO));
        assertEquals(0, ram.readLong(WINDOW + 0xa00), "not even the part inside the window was written");
        assertThrows(DmaFault.class, () -> s.writeLong(WINDOW + 0xffc, 1, WHO), "an 8-byte write across the end");
    }

    @Test
    void adjacentWindowsAreOneRange() {
        HostPolicyDmaSpace s = space(DmaPolicy.STRICT, new DmaWindow(WINDOW + 0x1000, 0x1000, true),
                new DmaWindow(WINDOW, 0x1000, true));
        s.write(WINDOW + 0xffc, new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, 0, 8, WHO);
        assertEquals(0x0807060504030201L, ram.readLong(WINDOW + 0xffc));
        assertTrue(records.isEmpty());
    }

    @Test
    void aReadOnlyWindowAllowsReadsAndRefusesWrites() {
        HostPolicyDmaSpace s = space(DmaPolicy.STRICT, new DmaWindow(WINDOW, 0x1000, false));
        ram.writeInt(WINDOW, 0xcafe);
        assertEquals(0xcafe, s.readInt(WINDOW, WHO));
        assertThrows(DmaFault.class, () -> s.writeInt(WINDOW, 0, WHO));
        assertEquals(0xcafe, ram.readInt(WINDOW));
        assertEquals(1, records.size());
        assertTrue(records.getFirst().write());
    }

    @Test
    void strictRefusesEveryAccessUntilTheDriverIsReadyAndAgainAfterAReset() {
        HostPolicyDmaSpace s = new HostPolicyDmaSpace(new BypassDmaSpace(ram), "virtio-net0", DmaPolicy.STRICT,
                List.of(new DmaWindow(WINDOW, 0x1000, true)), records::add);
        assertThrows(DmaFault.class, () -> s.writeShort(WINDOW, 7, WHO));
        assertEquals(HostPolicyDmaSpace.BEFORE_READY, records.getFirst().cause());
        assertEquals(0, ram.readInt(WINDOW));
        s.driverReady(true);
        s.writeShort(WINDOW, 7, WHO);
        assertEquals(7, ram.readInt(WINDOW));
        s.driverReady(false);
        assertThrows(DmaFault.class, () -> s.readShort(WINDOW, WHO));
        assertEquals(2, records.size());
    }

    @Test
    void permissiveLetsTheAccessThroughAndRecordsIt() {
        HostPolicyDmaSpace s = space(DmaPolicy.PERMISSIVE, new DmaWindow(WINDOW, 0x1000, true));
        s.writeLong(WINDOW + 0x2000, 0xf0000000000001c9L, WHO);
        assertEquals(0xf0000000000001c9L, ram.readLong(WINDOW + 0x2000), "the write happened");
        assertEquals(1, records.size());
        assertFalse(records.getFirst().refused());
        assertTrue(records.getFirst().describe().contains("allowed but flagged: outside the DMA windows"), records.getFirst().describe());
    }

    @Test
    void permissiveReportsDmaBeforeTheDriverIsReady() {
        HostPolicyDmaSpace s = new HostPolicyDmaSpace(new BypassDmaSpace(ram), "virtio-net0", DmaPolicy.PERMISSIVE,
                List.of(new DmaWindow(WINDOW, 0x1000, true)), records::add);
        s.write(WINDOW, new byte[] {9}, 0, 1, WHO);
        assertEquals(9, ram.readByte(WINDOW));
        assertEquals(HostPolicyDmaSpace.BEFORE_READY, records.getFirst().cause());
    }

    @Test
    void aDeviceWithNoWindowMayReachNothing() {
        HostPolicyDmaSpace s = space(DmaPolicy.STRICT);
        assertThrows(DmaFault.class, () -> s.read(RAM, new byte[4], 0, 4, WHO));
        assertTrue(records.getFirst().detail().contains("virtio-net0 has no DMA window"));
    }

    @Test
    void aWindowOverNonRamStillFailsInTheRamPath() {
        HostPolicyDmaSpace s = space(DmaPolicy.STRICT, new DmaWindow(0x0900_0000L, 0x1000, true));
        assertThrows(DmaFault.class, () -> s.readInt(0x0900_0000L, WHO));
        assertEquals(BypassDmaSpace.NOT_RAM, records.getFirst().cause());
    }

    @Test
    void windowsRejectEmptyAndWrappingRanges() {
        assertThrows(IllegalArgumentException.class, () -> new DmaWindow(WINDOW, 0, true));
        assertThrows(IllegalArgumentException.class, () -> new DmaWindow(-0x1000, 0x2000, true));
        DmaWindow top = new DmaWindow(-0x1000, 0x1000, true);
        assertTrue(top.contains(-1));
        assertArrayEquals(new long[] {-0x1000, 0}, new long[] {top.base(), top.end()});
    }
}
