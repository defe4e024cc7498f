package dev.aarvark.devices.virtio.mmio;

import dev.aarvark.devices.ProtocolError;
import dev.aarvark.devices.virtio.DeviceStatus;
import dev.aarvark.devices.virtio.VirtioFeature;
import dev.aarvark.devices.testkit.RecordingIrqLine;
import dev.aarvark.devices.virtio.testkit.DriverQueue;
import dev.aarvark.devices.virtio.testkit.MmioDriver;
import dev.aarvark.devices.virtio.testkit.RecordingDmaSpace;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.aarvark.devices.virtio.DeviceStatus.ACKNOWLEDGE;
import static dev.aarvark.devices.virtio.DeviceStatus.DRIVER;
import static dev.aarvark.devices.virtio.DeviceStatus.DRIVER_OK;
import static dev.aarvark.devices.virtio.DeviceStatus.FEATURES_OK;
import static dev.aarvark.devices.virtio.testkit.MmioDriver.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransportStatusTest {
    final TransportFixture f = new TransportFixture();

    @AfterEach
    void free() {
        f.close();
    }

    @Test
    void theLinuxInitialisationSequenceReachesDriverOkAndActivatesTheDevice() {
        assertEquals(ACKNOWLEDGE | DRIVER | FEATURES_OK, f.driver.negotiate(TransportFixture.DRIVER_FEATURES, true));
        DriverQueue q = DriverQueue.modern(f.mem, 1, 16);
        f.driver.setupModernQueue(q);
        f.driver.driverOk();
        assertEquals(0x0F, f.driver.status());
        assertEquals(1, f.device.activations);
        assertEquals(TransportFixture.DRIVER_FEATURES, f.device.session.features());
        assertEquals(16, f.device.session.queue(1).size());
        assertNull(f.device.session.queue(0), "queue 0 was not enabled");
    }

    @Test
    void theDmaSpaceIsToldWhenTheDriverSetsDriverOkAndWhenItResetsTheDevice() {
        RecordingDmaSpace dma = new RecordingDmaSpace(f.mem.dma());
        VirtioMmioTransport t = new VirtioMmioTransport("virtio-mmio-ready", new RecordingDevice(), dma,
                new RecordingIrqLine(), VirtioMmioVersion.MODERN, f.guestErrors);
        MmioDriver driver = new MmioDriver(t);
        driver.negotiate(TransportFixture.DRIVER_FEATURES, true);
        driver.setupModernQueue(DriverQueue.modern(f.mem, 1, 16));
        assertFalse(dma.readiness().contains(true), "never ready before DRIVER_OK: " + dma.readiness());
        driver.driverOk();
        assertEquals(true, dma.readiness().getLast());
        driver.reset();
        assertEquals(false, dma.readiness().getLast());
    }

    @Test
    void featuresOkIsRefusedWhenTheDriverAcceptsAFeatureThatWasNotOffered() {
        int status = f.driver.negotiate(TransportFixture.DRIVER_FEATURES | 1L << 7, true);
        assertEquals(ACKNOWLEDGE | DRIVER, status, "FEATURES_OK stays clear; Linux then fails the probe");
        assertEquals(1, f.errors(ProtocolError.FEATURES_REFUSED));
    }

    @Test
    void featuresOkIsRefusedWithoutVersion1OnAModernTransport() {
        int status = f.driver.negotiate(TransportFixture.DRIVER_FEATURES & ~VirtioFeature.bit(VirtioFeature.VERSION_1), true);
        assertEquals(ACKNOWLEDGE | DRIVER, status);
        assertEquals(1, f.errors(ProtocolError.FEATURES_REFUSED));
    }

    @Test
    void featuresAcceptedAbovePageOneAreRefused() {
        f.driver.reset();
        f.driver.addStatus(ACKNOWLEDGE | DRIVER);
        f.driver.writeDriverFeatures(TransportFixture.DRIVER_FEATURES);
        f.driver.write(DRIVER_FEATURES_SEL, 2);
        f.driver.write(DRIVER_FEATURES, 1);
        f.driver.addStatus(FEATURES_OK);
        assertEquals(ACKNOWLEDGE | DRIVER, f.driver.status());
    }

    @Test
    void driverOkIsRefusedWithoutFeaturesOkOnAModernTransport() {
        f.driver.negotiate(TransportFixture.DRIVER_FEATURES | 1L << 7, true);
        f.driver.driverOk();
        assertEquals(ACKNOWLEDGE | DRIVER, f.driver.status());
        assertEquals(0, f.device.activations);
    }

    @Test
    void driverFeaturesAreFinalOnceFeaturesOkIsSet() {
        f.driver.negotiate(TransportFixture.DRIVER_FEATURES, true);
        f.driver.writeDriverFeatures(TransportFixture.DRIVER_FEATURES & ~VirtioFeature.bit(VirtioFeature.EVENT_IDX));
        assertEquals(2, f.errors(ProtocolError.FEATURES_FINAL));
        f.driver.driverOk();
        assertEquals(TransportFixture.DRIVER_FEATURES, f.device.session.features());
    }

    @Test
    void theDriverCannotClearStatusBitsOrSetNeedsReset() {
        f.driver.negotiate(TransportFixture.DRIVER_FEATURES, true);
        f.driver.write(STATUS, ACKNOWLEDGE);
        assertEquals(ACKNOWLEDGE | DRIVER | FEATURES_OK, f.driver.status());
        f.driver.write(STATUS, ACKNOWLEDGE | DRIVER | FEATURES_OK | DeviceStatus.DEVICE_NEEDS_RESET);
        assertEquals(ACKNOWLEDGE | DRIVER | FEATURES_OK, f.driver.status());
        assertEquals(2, f.errors(ProtocolError.STATUS));
    }

    @Test
    void failedIsRecordedUntilTheDriverResetsTheDevice() {
        f.driver.negotiate(TransportFixture.DRIVER_FEATURES, true);
        f.driver.addStatus(DeviceStatus.FAILED);
        assertEquals(ACKNOWLEDGE | DRIVER | FEATURES_OK | DeviceStatus.FAILED, f.driver.status());
        assertEquals(0, f.errors(ProtocolError.STATUS));
        f.driver.reset();
        assertEquals(0, f.driver.status());
    }

    @Test
    void outOfOrderStatusBitsAreReported() {
        f.driver.write(STATUS, DRIVER);
        assertEquals(DRIVER, f.driver.status(), "kept, but reported");
        assertEquals(1, f.errors(ProtocolError.STATUS));
    }

    @Test
    void writingZeroResetsEverythingAndReleasesTheQueues() {
        DriverQueue q = f.liveQueue(0, 8);
        long buf = f.mem.alloc(8, 8);
        q.add(DriverQueue.Buffer.out(buf, 8));
        f.driver.notify(0);
        assertTrue(f.irq.level());
        var session = f.device.session;

        f.driver.reset();
        assertEquals(0, f.driver.status());
        assertEquals(2, f.device.resets, "the reset at the start of negotiation, and this one");
        assertNull(f.device.session);
        assertNull(session.queue(0), "the old session hands out no queue");
        assertEquals(0, f.driver.read(INTERRUPT_STATUS));
        assertFalse(f.irq.level(), "the line drops");
        f.driver.write(QUEUE_SEL, 0);
        assertEquals(0, f.driver.read(QUEUE_READY));
        assertEquals(8, f.driver.read(QUEUE_NUM_MAX));
        f.driver.write(DEVICE_FEATURES_SEL, 1);
        f.driver.reset();
        assertEquals(f.transport.offeredFeatures() & 0xFFFF_FFFFL, f.driver.read(DEVICE_FEATURES), "selectors reset too");
    }

    @Test
    void aDriverCanGoThroughTheSequenceAgainAfterAReset() {
        f.liveQueue(0, 8);
        f.driver.reset();
        DriverQueue again = f.liveQueue(0, 4);
        assertEquals(2, f.device.activations);
        assertEquals(4, f.device.session.queue(0).size());
        assertEquals(again.desc, f.device.session.queue(0).layout().descTable());
    }
}
