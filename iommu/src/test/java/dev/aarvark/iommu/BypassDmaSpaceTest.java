package dev.aarvark.iommu;

import dev.aarvark.memory.GuestRam;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BypassDmaSpaceTest {
    private static final long RAM = 0x4000_0000L;
    private static final DmaRequester WHO = DmaRequester.descriptor("virtio-test", 1, 3, 4);

    @Test
    void deviceAddressesArePhysicalAddresses() {
        try (Arena a = Arena.ofConfined()) {
            GuestRam ram = GuestRam.allocate(a, RAM, 1 << 20);
            BypassDmaSpace dma = new BypassDmaSpace(ram);
            dma.writeLong(RAM + 8, 0x1122334455667788L, WHO);
            dma.writeShort(RAM + 16, 0xbeef, WHO);
            assertEquals(0x1122334455667788L, ram.readLong(RAM + 8));
            assertEquals(0xbeef, dma.readShort(RAM + 16, WHO));
            assertEquals(0x55667788, dma.readInt(RAM + 8, WHO));
        }
    }

    @Test
    void anAccessReachingPastRamIsRefusedWhole() {
        try (Arena a = Arena.ofConfined()) {
            GuestRam ram = GuestRam.allocate(a, RAM, 1 << 20);
            BypassDmaSpace dma = new BypassDmaSpace(ram);
            long last = RAM + (1 << 20) - 4;
            byte[] data = {1, 2, 3, 4, 5, 6, 7, 8};
            DmaFault f = assertThrows(DmaFault.class, () -> dma.write(last, data, 0, 8, WHO));
            assertEquals(0, ram.readInt(last), "nothing written");
            assertEquals(last, f.address());
            assertTrue(f.getMessage().contains("virtio-test queue 1 descriptor 4 (chain head 3)"), f.getMessage());
            assertThrows(DmaFault.class, () -> dma.readLong(0x0900_0000L, WHO), "MMIO is not DMA-able");
        }
    }

    @Test
    void aRefusedAccessIsRecordedAsNotGuestRam() {
        try (Arena a = Arena.ofConfined()) {
            GuestRam ram = GuestRam.allocate(a, RAM, 1 << 20);
            java.util.List<DmaFaultRecord> records = new java.util.ArrayList<>();
            BypassDmaSpace dma = new BypassDmaSpace(ram, records::add);
            assertThrows(DmaFault.class, () -> dma.writeInt(0x1000, 5, WHO));
            assertEquals(1, records.size());
            DmaFaultRecord r = records.getFirst();
            assertEquals(BypassDmaSpace.NOT_RAM, r.cause());
            assertEquals(0x1000, r.address());
            assertTrue(r.refused() && r.write() && r.length() == 4);
            dma.writeInt(RAM, 5, WHO);
            assertEquals(1, records.size(), "a good access is not recorded");
        }
    }
}
