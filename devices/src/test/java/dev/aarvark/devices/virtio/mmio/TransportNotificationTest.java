package dev.aarvark.devices.virtio.mmio;

import dev.aarvark.devices.RegisterError;
import dev.aarvark.devices.ProtocolError;
import dev.aarvark.devices.virtio.DeviceStatus;
import dev.aarvark.devices.virtio.testkit.DriverQueue;
import dev.aarvark.devices.virtio.testkit.DriverQueue.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.aarvark.devices.virtio.testkit.MmioDriver.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TransportNotificationTest {
    final TransportFixture f = new TransportFixture();

    @AfterEach
    void free() {
        f.close();
    }

    @Test
    void aNotificationBeforeDriverOkIsReportedAndDeliveredRightAfterDriverOk() {
        f.driver.negotiate(TransportFixture.DRIVER_FEATURES, true);
        DriverQueue q = DriverQueue.modern(f.mem, 0, 8);
        f.driver.setupModernQueue(q);
        long buf = f.mem.alloc(64, 8);
        q.add(Buffer.in(buf, 64));
        f.driver.notify(0);
        f.driver.notify(0);

        assertEquals(List.of(), f.device.notified, "no device work before DRIVER_OK");
        assertEquals(0, q.usedIdx(), "no DMA before DRIVER_OK");
        assertEquals(2, f.errors(ProtocolError.NOTIFY_BEFORE_DRIVER_OK));
        assertEquals(2, f.transport.counters().notifiesBeforeDriverOk());

        f.driver.driverOk();
        assertEquals(List.of(0), f.device.notified, "one pending notification, delivered once");
        assertEquals(1, q.usedIdx());
    }

    @Test
    void aPendingNotificationIsForgottenByAReset() {
        f.driver.negotiate(TransportFixture.DRIVER_FEATURES, true);
        DriverQueue q = DriverQueue.modern(f.mem, 0, 8);
        f.driver.setupModernQueue(q);
        f.driver.notify(0);
        f.liveQueue(0, 8);
        assertEquals(List.of(), f.device.notified);
    }

    @Test
    void notificationsNamingMissingOrDisabledQueuesAreErrors() {
        f.liveQueue(0, 8);
        f.driver.notify(3);
        f.driver.notify(0x10000);
        f.driver.notify(1);
        assertEquals(2, f.errors(ProtocolError.NO_SUCH_QUEUE));
        assertEquals(1, f.errors(ProtocolError.NOTIFY_DISABLED));
        assertEquals(List.of(), f.device.notified);
    }

    @Test
    void theLineIsHighExactlyWhileInterruptStatusIsNonZero() {
        DriverQueue q = f.liveQueue(0, 8);
        long buf = f.mem.alloc(8, 8);
        q.add(Buffer.out(buf, 8));
        f.driver.notify(0);
        assertEquals(1, f.driver.read(INTERRUPT_STATUS));
        assertTrue(f.irq.level());
        assertEquals(1, f.transport.counters().usedBufferInterrupts());
        f.driver.write(INTERRUPT_ACK, 1);
        assertFalse(f.irq.level());
        assertEquals(0, f.driver.read(INTERRUPT_STATUS));
        f.driver.write(INTERRUPT_ACK, 4);
        assertEquals(1, f.errors(RegisterError.RESERVED_VALUE));
    }

    @Test
    void aNotificationThatCompletesNothingRaisesNoInterrupt() {
        f.liveQueue(0, 8);
        f.driver.notify(0);
        assertEquals(List.of(0), f.device.notified);
        assertEquals(0, f.driver.read(INTERRUPT_STATUS));
        assertEquals(0, f.irq.raises());
    }

    @Test
    void eventIdxSuppressionIsAppliedByTheTransport() {
        DriverQueue q = f.liveQueue(0, 8);
        long buf = f.mem.alloc(64, 8);
        q.setUsedEvent(1);
        q.add(Buffer.out(buf, 8));
        f.driver.notify(0);
        assertEquals(0, f.driver.read(INTERRUPT_STATUS), "used idx 0 -> 1 does not pass used_event 1");
        assertEquals(1, f.transport.counters().suppressedUsedNotifications());
        q.add(Buffer.out(buf, 8));
        f.driver.notify(0);
        assertEquals(1, f.driver.read(INTERRUPT_STATUS), "1 -> 2 passes it");
        assertEquals(2, q.availEvent(), "the device asks for a notification at the next entry");
    }

    @Test
    void aQueueStoppedByRingCorruptionSetsNeedsResetAndSendsAConfigurationChange() {
        DriverQueue q = f.liveQueue(0, 8);
        q.setAvailIdx(200);
        f.driver.notify(0);
        assertEquals(DeviceStatus.DEVICE_NEEDS_RESET, f.driver.status() & DeviceStatus.DEVICE_NEEDS_RESET);
        assertEquals(2, f.driver.takeInterrupt(), "configuration change notification (§2.1.2)");
        assertEquals(1, f.transport.counters().configChangeInterrupts());
        f.driver.notify(0);
        assertEquals(1, f.errors(ProtocolError.NOTIFY_STOPPED));
        assertEquals(1, f.device.notified.size(), "the stopped queue is not handed to the device again");

        f.driver.reset();
        assertEquals(0, f.driver.status(), "a reset clears DEVICE_NEEDS_RESET");
        DriverQueue again = f.liveQueue(0, 8);
        again.add(Buffer.out(f.mem.alloc(8, 8), 8));
        f.driver.notify(0);
        assertEquals(1, again.usedIdx(), "and the queue works again");
    }

    @Test
    void aConfigurationChangeOfTheDeviceAdvancesTheGenerationAndSetsInterruptBitOne() {
        f.liveQueue(0, 8);
        long before = f.driver.read(CONFIG_GENERATION);
        f.device.session.notifyConfigChange();
        assertEquals(2, f.driver.read(INTERRUPT_STATUS), "configuration change notification (§2.3)");
        assertTrue(f.irq.level());
        assertEquals(before + 1, f.driver.read(CONFIG_GENERATION), "the driver sees the change (§2.5.1)");
        assertEquals(1, f.transport.counters().configChangeInterrupts());
        f.driver.write(INTERRUPT_ACK, 2);
        assertFalse(f.irq.level());
    }

    @Test
    void aConfigurationChangeAfterTheSessionEndedDoesNothing() {
        f.liveQueue(0, 8);
        var old = f.device.session;
        f.driver.reset();
        long generation = f.driver.read(CONFIG_GENERATION);
        old.notifyConfigChange();
        assertEquals(0, f.driver.read(INTERRUPT_STATUS), "no notification without a live driver (QEMU: DRIVER_OK only)");
        assertEquals(generation, f.driver.read(CONFIG_GENERATION));
        assertEquals(0, f.transport.counters().configChangeInterrupts());
    }
}
