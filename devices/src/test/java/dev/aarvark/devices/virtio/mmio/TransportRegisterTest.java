package dev.aarvark.devices.virtio.mmio;

import dev.aarvark.devices.virtio.testkit.MmioDriver;

import dev.aarvark.devices.RegisterError;
import dev.aarvark.devices.virtio.VirtioFeature;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.aarvark.devices.virtio.testkit.MmioDriver.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TransportRegisterTest {
    final TransportFixture f = new TransportFixture();

    @AfterEach
    void free() {
        f.close();
    }

    @Test
    void identifiesAsAModernQemuTransportWithItsDevice() {
        assertEquals(0x74726976L, f.driver.read(MAGIC));
        assertEquals(2, f.driver.read(VERSION));
        assertEquals(RecordingDevice.ID, f.driver.read(DEVICE_ID));
        assertEquals(0x554D4551L, f.driver.read(VENDOR_ID));
        assertEquals(0x200, f.transport.size());
    }

    @Test
    void offersTheDevicesBitsTheRingFeaturesAndVersion1InTwoPages() {
        long expected = RecordingDevice.FEATURES | 1L << VirtioFeature.INDIRECT_DESC | 1L << VirtioFeature.EVENT_IDX
                | 1L << VirtioFeature.VERSION_1;
        assertEquals(expected, f.driver.deviceFeatures());
        f.driver.write(DEVICE_FEATURES_SEL, 2);
        assertEquals(0, f.driver.read(DEVICE_FEATURES), "pages above 1 are empty");
    }

    @Test
    void aModernTransportBehindAnIommuAlsoOffersAccessPlatformAndALegacyOneDoesNot() {
        dev.aarvark.devices.testkit.RecordingIrqLine irq = new dev.aarvark.devices.testkit.RecordingIrqLine();
        VirtioMmioTransport modern = new VirtioMmioTransport("t", new RecordingDevice(), f.mem.dma(), irq,
                VirtioMmioVersion.MODERN, true, f.guestErrors);
        assertEquals(f.driver.deviceFeatures() | 1L << VirtioFeature.ACCESS_PLATFORM, new MmioDriver(modern).deviceFeatures());
        VirtioMmioTransport legacy = new VirtioMmioTransport("t", new RecordingDevice(), f.mem.dma(), irq,
                VirtioMmioVersion.LEGACY, true, f.guestErrors);
        assertEquals(0, new MmioDriver(legacy).deviceFeatures() & 1L << VirtioFeature.ACCESS_PLATFORM,
                "VIRTIO_F_ACCESS_PLATFORM is a modern-only bit (virtio 1.2 §6.3)");
    }

    @Test
    void registersAreThirtyTwoBitsWideAndAligned() {
        f.driver.addStatus(1);
        assertEquals(0, f.transport.read(STATUS, 2));
        assertEquals(0, f.transport.read(STATUS, 1));
        assertEquals(0, f.transport.read(STATUS + 2, 4));
        f.transport.write(STATUS, 8, 0xFF);
        f.transport.write(STATUS, 2, 3);
        assertEquals(1, f.driver.status(), "only the 32-bit write counted");
        assertEquals(5, f.errors(RegisterError.BAD_WIDTH));
    }

    @Test
    void readOnlyRegistersIgnoreWritesAndWriteOnlyRegistersReadZero() {
        f.driver.write(MAGIC, 0);
        f.driver.write(INTERRUPT_STATUS, 3);
        assertEquals(0x74726976L, f.driver.read(MAGIC));
        assertEquals(2, f.errors(RegisterError.WRITE_READ_ONLY));
        f.driver.write(QUEUE_SEL, 1);
        assertEquals(0, f.driver.read(QUEUE_SEL));
        assertEquals(0, f.driver.read(QUEUE_NOTIFY));
        assertEquals(0, f.driver.read(DRIVER_FEATURES));
        assertEquals(3, f.errors(RegisterError.READ_WRITE_ONLY));
    }

    @Test
    void undefinedOffsetsAreGuestErrors() {
        assertEquals(0, f.driver.read(0x018));
        f.driver.write(0x0C0, 1);
        assertEquals(0, f.driver.read(0x0C0), "QueueReset does not exist without VIRTIO_F_RING_RESET");
        assertEquals(2, f.errors(RegisterError.READ_UNKNOWN));
        assertEquals(1, f.errors(RegisterError.WRITE_UNKNOWN));
    }

    @Test
    void legacyRegistersOnAModernTransportAreErrorsAndChangeNothing() {
        f.driver.negotiate(TransportFixture.DRIVER_FEATURES, true);
        f.driver.write(GUEST_PAGE_SIZE, 4096);
        f.driver.write(QUEUE_SEL, 0);
        f.driver.write(QUEUE_ALIGN, 4096);
        f.driver.write(QUEUE_PFN, 0x40010);
        assertEquals(0, f.driver.read(QUEUE_PFN));
        assertEquals(0, f.driver.read(QUEUE_READY), "QueuePFN did not enable the queue");
        assertEquals(4, f.errors(RegisterError.LEGACY_ON_MODERN));
    }

    @Test
    void sharedMemoryRegistersReportNoRegion() {
        f.driver.write(SHM_SEL, 0);
        assertEquals(0xFFFF_FFFFL, f.driver.read(SHM_LEN_LOW));
        assertEquals(0xFFFF_FFFFL, f.driver.read(SHM_LEN_HIGH));
        assertEquals(0xFFFF_FFFFL, f.driver.read(SHM_BASE_LOW));
        assertEquals(0xFFFF_FFFFL, f.driver.read(SHM_BASE_HIGH));
    }

    @Test
    void configurationSpaceTakesAlignedByteHalfwordAndWordAccesses() {
        assertEquals(0x01, f.driver.readConfig(0, 1));
        assertEquals(0x0403, f.driver.readConfig(2, 2));
        assertEquals(0x08070605L, f.driver.readConfig(4, 4));
        f.driver.writeConfig(2, 2, 0xBEEF);
        assertEquals(0xBEEF0201L, f.driver.readConfig(0, 4));
        assertEquals(0, f.driver.readConfig(1, 2), "misaligned");
        assertEquals(0, f.driver.readConfig(6, 4), "crosses the end of the configuration");
        assertEquals(0, f.driver.readConfig(0x20, 1), "beyond the configuration");
        assertEquals(0, f.driver.readConfig(0, 8), "64-bit fields are read as two 32-bit halves");
        f.driver.writeConfig(3, 4, 0);
        assertEquals(0xBEEF0201L, f.driver.readConfig(0, 4));
        assertEquals(5, f.errors(RegisterError.CONFIG_ACCESS));
        assertEquals(0, f.driver.read(CONFIG_GENERATION));
    }
}
