package dev.aarvark.devices.virtio.mmio;

import dev.aarvark.devices.ProtocolError;
import dev.aarvark.devices.virtio.queue.QueueLayout;
import dev.aarvark.devices.virtio.testkit.DriverQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static dev.aarvark.devices.virtio.DeviceStatus.ACKNOWLEDGE;
import static dev.aarvark.devices.virtio.DeviceStatus.DRIVER;
import static dev.aarvark.devices.virtio.testkit.MmioDriver.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

class TransportQueueConfigurationTest {
    final TransportFixture f = new TransportFixture();

    @AfterEach
    void free() {
        f.close();
    }

    @Test
    void queueNumMaxComesFromTheDeviceAndIsZeroForAMissingQueue() {
        int[] expected = RecordingDevice.MAX_SIZES;
        for (int i = 0; i < expected.length; i++) {
            f.driver.write(QUEUE_SEL, i);
            assertEquals(expected[i], f.driver.read(QUEUE_NUM_MAX));
            assertEquals(0, f.driver.read(QUEUE_READY));
        }
        f.driver.write(QUEUE_SEL, expected.length);
        assertEquals(0, f.driver.read(QUEUE_NUM_MAX));
    }

    @Test
    void queueRegistersAreIgnoredBeforeFeaturesOk() {
        f.driver.reset();
        f.driver.addStatus(ACKNOWLEDGE | DRIVER);
        DriverQueue q = DriverQueue.modern(f.mem, 0, 8);
        f.driver.setupModernQueue(q);
        assertEquals(0, f.driver.read(QUEUE_READY));
        assertEquals(8, f.errors(ProtocolError.QUEUE_TOO_EARLY), "QueueNum, 6 addresses, QueueReady");
    }

    @Test
    void queueConfigurationIsImmutableAfterDriverOk() {
        DriverQueue q = f.liveQueue(0, 8);
        DriverQueue other = DriverQueue.modern(f.mem, 0, 4);
        f.driver.write(QUEUE_SEL, 0);
        f.driver.write(QUEUE_NUM, 4);
        f.driver.write(QUEUE_DESC_LOW, other.desc);
        f.driver.write(QUEUE_DRIVER_LOW, other.avail);
        f.driver.write(QUEUE_DEVICE_LOW, other.used);
        f.driver.write(QUEUE_READY, 0);
        assertEquals(5, f.errors(ProtocolError.QUEUE_AFTER_DRIVER_OK));
        assertEquals(1, f.driver.read(QUEUE_READY), "still enabled");
        QueueLayout l = f.device.session.queue(0).layout();
        assertEquals(new QueueLayout(8, q.desc, q.avail, q.used), l, "the device still uses the first layout");

        long buf = f.mem.alloc(8, 8);
        q.add(DriverQueue.Buffer.out(buf, 8));
        f.driver.notify(0);
        assertEquals(1, q.usedIdx(), "and serves it");
    }

    @Test
    void queueRegistersAreIgnoredWhileTheQueueIsEnabled() {
        f.driver.negotiate(TransportFixture.DRIVER_FEATURES, true);
        DriverQueue q = DriverQueue.modern(f.mem, 0, 8);
        f.driver.setupModernQueue(q);
        f.driver.write(QUEUE_NUM, 4);
        f.driver.write(QUEUE_READY, 1);
        assertEquals(2, f.errors(ProtocolError.QUEUE_ENABLED));
        f.driver.write(QUEUE_READY, 0);
        assertEquals(0, f.driver.read(QUEUE_READY), "stopping the queue is allowed before DRIVER_OK");
        f.driver.write(QUEUE_NUM, 4);
        f.driver.write(QUEUE_READY, 1);
        f.driver.driverOk();
        assertEquals(4, f.device.session.queue(0).size());
    }

    @Test
    void disablingAQueueThatIsNotEnabledIsSilentAsLinuxDoesAfterAReset() {
        f.driver.reset();
        for (int i = 0; i < 3; i++) {
            f.driver.write(QUEUE_SEL, i);
            f.driver.write(QUEUE_READY, 0);
        }
        assertEquals(0, f.errors(ProtocolError.QUEUE_TOO_EARLY));
    }

    @Test
    void anInvalidLayoutLeavesTheQueueDisabled() {
        f.driver.negotiate(TransportFixture.DRIVER_FEATURES, true);
        DriverQueue q = DriverQueue.modern(f.mem, 0, 8);
        f.driver.write(QUEUE_SEL, 0);
        f.driver.write(QUEUE_NUM, 6);
        f.driver.write(QUEUE_DESC_LOW, q.desc);
        f.driver.write(QUEUE_DRIVER_LOW, q.avail);
        f.driver.write(QUEUE_DEVICE_LOW, q.used);
        f.driver.write(QUEUE_READY, 1);
        assertEquals(0, f.driver.read(QUEUE_READY), "size 6 is not a power of two");
        f.driver.write(QUEUE_NUM, 16);
        f.driver.write(QUEUE_READY, 1);
        assertEquals(0, f.driver.read(QUEUE_READY), "above QueueNumMax 8");
        f.driver.write(QUEUE_NUM, 8);
        f.driver.write(QUEUE_DESC_LOW, q.desc + 8);
        f.driver.write(QUEUE_READY, 1);
        assertEquals(0, f.driver.read(QUEUE_READY), "misaligned descriptor table");
        f.driver.write(QUEUE_READY, 2);
        assertEquals(4, f.errors(ProtocolError.QUEUE_CONFIG));
        f.driver.write(QUEUE_DESC_LOW, q.desc);
        f.driver.write(QUEUE_READY, 1);
        assertEquals(1, f.driver.read(QUEUE_READY));
    }

    @Test
    void queueNumDefaultsToQueueNumMaxAsInQemu() {
        f.driver.negotiate(TransportFixture.DRIVER_FEATURES, true);
        DriverQueue q = DriverQueue.modern(f.mem, 1, 16);
        f.driver.write(QUEUE_SEL, 1);
        f.driver.write(QUEUE_DESC_LOW, q.desc);
        f.driver.write(QUEUE_DRIVER_LOW, q.avail);
        f.driver.write(QUEUE_DEVICE_LOW, q.used);
        f.driver.write(QUEUE_READY, 1);
        f.driver.driverOk();
        assertEquals(16, f.device.session.queue(1).size());
    }

    @Test
    void registersOfAQueueTheDeviceDoesNotHaveAreErrors() {
        f.driver.negotiate(TransportFixture.DRIVER_FEATURES, true);
        f.driver.write(QUEUE_SEL, 7);
        f.driver.write(QUEUE_NUM, 8);
        f.driver.write(QUEUE_READY, 1);
        assertEquals(0, f.driver.read(QUEUE_READY));
        assertEquals(2, f.errors(ProtocolError.NO_SUCH_QUEUE));
    }

    @Test
    void sixtyFourBitAddressesAreAssembledFromBothHalves() {
        f.driver.negotiate(TransportFixture.DRIVER_FEATURES, true);
        f.driver.write(QUEUE_SEL, 2);
        f.driver.write(QUEUE_NUM, 4);
        f.driver.write(QUEUE_DESC_LOW, 0x1000);
        f.driver.write(QUEUE_DESC_HIGH, 0x1);
        f.driver.write(QUEUE_DRIVER_LOW, 0x2000);
        f.driver.write(QUEUE_DRIVER_HIGH, 0x1);
        f.driver.write(QUEUE_DEVICE_LOW, 0x3000);
        f.driver.write(QUEUE_DEVICE_HIGH, 0x1);
        f.driver.write(QUEUE_READY, 1);
        f.driver.driverOk();
        assertNotNull(f.device.session.queue(2));
        assertEquals(new QueueLayout(4, 0x1_0000_1000L, 0x1_0000_2000L, 0x1_0000_3000L), f.device.session.queue(2).layout());
        assertNull(f.device.session.queue(1));
    }
}
