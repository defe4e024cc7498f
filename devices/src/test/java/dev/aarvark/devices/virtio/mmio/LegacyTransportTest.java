package dev.aarvark.devices.virtio.mmio;

import dev.aarvark.devices.RegisterError;
import dev.aarvark.devices.ProtocolError;
import dev.aarvark.devices.virtio.VirtioFeature;
import dev.aarvark.devices.virtio.queue.QueueLayout;
import dev.aarvark.devices.virtio.testkit.DriverQueue;
import dev.aarvark.devices.virtio.testkit.DriverQueue.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.aarvark.devices.virtio.DeviceStatus.ACKNOWLEDGE;
import static dev.aarvark.devices.virtio.DeviceStatus.DRIVER;
import static dev.aarvark.devices.virtio.DeviceStatus.DRIVER_OK;
import static dev.aarvark.devices.virtio.testkit.MmioDriver.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class LegacyTransportTest {
    static final long LEGACY_DRIVER_FEATURES = VirtioFeature.bit(VirtioFeature.EVENT_IDX) | RecordingDevice.FEATURES;

    final TransportFixture f = new TransportFixture(VirtioMmioVersion.LEGACY);

    @AfterEach
    void free() {
        f.close();
    }

    /** Linux's order for a Version 1 device: GuestPageSize at probe, then reset and the usual sequence. */
    DriverQueue linuxLegacyProbe(int index, int size) {
        f.driver.write(GUEST_PAGE_SIZE, 4096);
        f.driver.negotiate(LEGACY_DRIVER_FEATURES, false);
        DriverQueue q = DriverQueue.legacy(f.mem, index, size, 4096, 4096);
        f.driver.write(QUEUE_SEL, index);
        assertEquals(0, f.driver.read(QUEUE_PFN));
        f.driver.setupLegacyQueue(q, 4096);
        f.driver.driverOk();
        return q;
    }

    @Test
    void reportsVersion1AndOffersTheLegacyFeatureBitsInsteadOfVersion1() {
        assertEquals(1, f.driver.read(VERSION));
        long offered = f.driver.deviceFeatures();
        assertEquals(0, offered & VirtioFeature.bit(VirtioFeature.VERSION_1));
        assertEquals(VirtioFeature.bit(VirtioFeature.NOTIFY_ON_EMPTY) | VirtioFeature.bit(VirtioFeature.ANY_LAYOUT),
                offered & (VirtioFeature.bit(VirtioFeature.NOTIFY_ON_EMPTY) | VirtioFeature.bit(VirtioFeature.ANY_LAYOUT)));
    }

    @Test
    void aQueueIsPlacedByPfnPageSizeAndAlignWithoutFeaturesOk() {
        DriverQueue q = linuxLegacyProbe(1, 16);
        assertEquals(ACKNOWLEDGE | DRIVER | DRIVER_OK, f.driver.status());
        f.driver.write(QUEUE_SEL, 1);
        assertEquals(q.pfn(), f.driver.read(QUEUE_PFN));
        assertEquals(new QueueLayout(16, q.desc, q.avail, q.used), f.device.session.queue(1).layout());
        assertEquals(LEGACY_DRIVER_FEATURES, f.device.session.features());

        long buf = f.mem.alloc(8, 8);
        q.add(Buffer.out(buf, 8));
        f.driver.notify(1);
        assertEquals(1, q.usedIdx(), "the device found the used ring at the QueueAlign boundary");
        assertEquals(1, f.driver.takeInterrupt());
    }

    @Test
    void aSmallQueueAlignPacksTheUsedRing() {
        f.driver.write(GUEST_PAGE_SIZE, 4096);
        f.driver.negotiate(LEGACY_DRIVER_FEATURES, false);
        DriverQueue q = DriverQueue.legacy(f.mem, 0, 8, 4096, 16);
        f.driver.setupLegacyQueue(q, 16);
        f.driver.driverOk();
        long buf = f.mem.alloc(8, 8);
        q.add(Buffer.out(buf, 8));
        f.driver.notify(0);
        assertEquals(1, q.usedIdx());
    }

    @Test
    void guestPageSizeSurvivesADriverReset() {
        f.driver.write(GUEST_PAGE_SIZE, 4096);
        f.driver.reset();
        f.driver.negotiate(LEGACY_DRIVER_FEATURES, false);
        DriverQueue q = DriverQueue.legacy(f.mem, 0, 8, 4096, 4096);
        f.driver.setupLegacyQueue(q, 4096);
        f.driver.driverOk();
        assertEquals(q.desc, f.device.session.queue(0).layout().descTable());
    }

    @Test
    void queuePfnBeforeGuestPageSizeIsRefused() {
        f.driver.negotiate(LEGACY_DRIVER_FEATURES, false);
        DriverQueue q = DriverQueue.legacy(f.mem, 0, 8, 4096, 4096);
        f.driver.setupLegacyQueue(q, 4096);
        assertEquals(0, f.driver.read(QUEUE_PFN));
        assertEquals(1, f.errors(ProtocolError.QUEUE_CONFIG));
    }

    @Test
    void legacyQueueRegistersAreImmutableAfterDriverOk() {
        DriverQueue q = linuxLegacyProbe(0, 8);
        f.driver.write(QUEUE_SEL, 0);
        f.driver.write(QUEUE_PFN, q.pfn() + 1);
        f.driver.write(QUEUE_PFN, 0);
        f.driver.write(QUEUE_ALIGN, 16);
        assertEquals(3, f.errors(ProtocolError.QUEUE_AFTER_DRIVER_OK));
        assertEquals(q.pfn(), f.driver.read(QUEUE_PFN));
    }

    @Test
    void modernRegistersOnALegacyTransportAreErrors() {
        f.driver.write(GUEST_PAGE_SIZE, 4096);
        f.driver.negotiate(LEGACY_DRIVER_FEATURES, false);
        f.driver.write(QUEUE_SEL, 0);
        f.driver.write(QUEUE_DESC_LOW, 0x4001_0000L);
        f.driver.write(QUEUE_READY, 1);
        f.driver.read(QUEUE_READY);
        f.driver.read(CONFIG_GENERATION);
        f.driver.read(SHM_LEN_LOW);
        assertEquals(5, f.errors(RegisterError.MODERN_ON_LEGACY));
        f.driver.driverOk();
        assertNull(f.device.session.queue(0));
    }

    @Test
    void unofferedFeaturesOfALegacyDriverAreMaskedAtDriverOk() {
        f.driver.write(GUEST_PAGE_SIZE, 4096);
        f.driver.negotiate(LEGACY_DRIVER_FEATURES | 1L << 9, false);
        f.driver.driverOk();
        assertEquals(LEGACY_DRIVER_FEATURES, f.device.session.features());
        assertEquals(1, f.errors(ProtocolError.FEATURES_REFUSED));
    }
}
