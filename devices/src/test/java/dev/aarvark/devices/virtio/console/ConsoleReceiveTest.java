package dev.aarvark.devices.virtio.console;

import dev.aarvark.devices.QueueError;
import dev.aarvark.devices.virtio.DeviceStatus;
import dev.aarvark.devices.virtio.mmio.VirtioMmioVersion;
import dev.aarvark.devices.virtio.testkit.DriverQueue;
import dev.aarvark.devices.virtio.testkit.DriverQueue.Buffer;
import dev.aarvark.devices.virtio.testkit.FakeHostStream;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Host-to-guest data: waiting for buffers and an open port, caps, and hostile receive chains. */
class ConsoleReceiveTest {
    @Test
    void hostInputWaitsForReceiveBuffersAndIsDeliveredWhenTheyArrive() {
        try (ConsoleHarness h = ConsoleHarness.twoPorts()) {
            h.probe(true, false);
            h.postControlBuffers(8);
            h.sendControl(-1, ControlEvent.DEVICE_READY, 1);
            h.takeControlMessages();
            h.sendControl(0, ControlEvent.PORT_READY, 1);
            h.sendControl(0, ControlEvent.PORT_OPEN, 1);
            FakeHostStream host = h.host(0);
            h.driver.takeInterrupt();
            assertEquals(0, host.type("hello"), "no receive buffers yet");
            assertEquals(5, host.pendingInput(), "the host keeps it");
            assertEquals(0, h.driver.read(dev.aarvark.devices.virtio.testkit.MmioDriver.INTERRUPT_STATUS), "nothing moved, no interrupt");
            assertFalse(h.irq.level());

            h.postReceiveBuffers(0, 2);
            assertEquals(1, host.inputSpaceCalls(), "the device asks the host to offer again");
            assertEquals(0, host.pendingInput());
            assertEquals("hello", h.takeReceived(0));
        }
    }

    @Test
    void hostInputWaitsUntilTheGuestOpensAGenericPort() {
        try (ConsoleHarness h = ConsoleHarness.twoPorts()) {
            h.linuxMultiportBringUp(false);
            FakeHostStream host = h.host(1);
            assertEquals(0, host.type("for an app"), "port 1 has buffers, but no process opened it");
            assertEquals("", h.takeReceived(1));
            h.sendControl(1, ControlEvent.PORT_OPEN, 1);
            assertEquals("for an app", h.takeReceived(1));
            h.sendControl(1, ControlEvent.PORT_OPEN, 0);
            assertEquals(0, host.type("closed again"));
            assertEquals(12, host.pendingInput());
        }
    }

    @Test
    void inputLongerThanOneBufferFillsSeveralInOrder() {
        try (ConsoleHarness h = ConsoleHarness.twoPorts()) {
            h.linuxMultiportBringUp(false);
            String text = "x".repeat(5000) + "y".repeat(5000);
            assertEquals(4 * ConsoleHarness.BUFFER, h.host(0).type(text.repeat(2)), "four posted buffers of 4 KiB");
            String got = h.takeReceived(0);
            assertEquals(text.repeat(2).substring(0, 4 * ConsoleHarness.BUFFER), got);
            h.postReceiveBuffers(0, 4);
            assertEquals(text.repeat(2).substring(4 * ConsoleHarness.BUFFER), h.takeReceived(0));
        }
    }

    @Test
    void aShortInputCompletesABufferWithTheBytesWritten() {
        try (ConsoleHarness h = ConsoleHarness.twoPorts()) {
            h.linuxMultiportBringUp(false);
            h.queue(0).takeUsed();
            h.host(0).type("ab");
            List<DriverQueue.Used> used = h.queue(0).takeUsed();
            assertEquals(1, used.size());
            assertEquals(2, used.getFirst().len(), "used length = bytes written (§2.7.8)");
        }
    }

    @Test
    void zeroLengthWriteOnlyBuffersCannotSpinTheDevice() {
        ConsoleLimits small = new ConsoleLimits(64 * 1024, 16, 8, 8, 4096, 16);
        try (ConsoleHarness h = new ConsoleHarness(List.of(ConsolePortSpec.console(new FakeHostStream())), 1, small,
                VirtioMmioVersion.MODERN)) {
            h.probe(false, false);
            DriverQueue rx = h.queue(0);
            long buf = h.mem.alloc(8, 8);
            for (int i = 0; i < 128; i++) {
                rx.add(Buffer.in(buf, 0));
            }
            h.driver.notify(0);
            assertEquals(0, h.host(0).type("data"), "eight empty chains, no bytes");
            assertEquals(8, rx.usedIdx(), "chains are counted, not bytes");
            assertTrue(h.transport.hasDeferredWork());
            int calls = 0;
            while (h.transport.hasDeferredWork()) {
                h.transport.runDeferredWork();
                assertTrue(++calls <= 16);
            }
            assertEquals(128, rx.usedIdx());
            assertEquals(4, h.host(0).pendingInput(), "the data still waits for a real buffer");
            h.postReceiveBuffers(0, 1);
            assertEquals("data", new String(h.mem.read(rx.firstBuffer(rx.usedElement(128).id()), 4)));
        }
    }

    @Test
    void aDeviceReadableBufferInAReceiveQueueIsReturnedUnused() {
        try (ConsoleHarness h = ConsoleHarness.twoPorts()) {
            h.linuxMultiportBringUp(false);
            DriverQueue rx = h.queue(0);
            rx.takeUsed();
            h.host(0).type("abcdefghijklmnopq".repeat(1000));
            rx.takeUsed();
            long buf = h.mem.alloc(64, 8);
            h.mem.write(buf, new byte[] {7, 7, 7});
            rx.add(Buffer.out(buf, 3));
            h.driver.notify(0);
            List<DriverQueue.Used> used = rx.takeUsed();
            assertEquals(1, used.size());
            assertEquals(0, used.getFirst().len());
            assertEquals(7, h.mem.read(buf, 1)[0], "not written");
            assertEquals(1, h.errors(QueueError.READABLE_IN_RECEIVE));
        }
    }

    @Test
    void aReceiveBufferOutsideRamGoesBackEmptyAndTheDeviceNeedsAReset() {
        try (ConsoleHarness h = ConsoleHarness.twoPorts()) {
            h.linuxMultiportBringUp(false);
            DriverQueue rx = h.queue(0);
            h.host(0).type("z".repeat(4 * ConsoleHarness.BUFFER));
            rx.takeUsed();
            rx.add(Buffer.in(0x1000, 16));
            long good = h.mem.alloc(16, 8);
            rx.add(Buffer.in(good, 16));
            h.driver.notify(0);
            h.host(0).type("payload");
            List<DriverQueue.Used> used = rx.takeUsed();
            assertEquals(List.of(0L), used.stream().map(DriverQueue.Used::len).toList(),
                    "the refused chain goes back with nothing written, and the queue stops there");
            assertEquals(0, h.mem.read(good, 1)[0], "the next buffer is not used by a device that was aborted");
            assertEquals(DeviceStatus.DEVICE_NEEDS_RESET, h.driver.status() & DeviceStatus.DEVICE_NEEDS_RESET);
            assertEquals(1, h.errors(QueueError.DMA_FAULT));
            assertEquals(1, h.errors(QueueError.QUEUE_STOPPED));
        }
    }

    @Test
    void eventIdxSuppressesReceiveInterruptsUntilTheDriversUsedEvent() {
        try (ConsoleHarness h = ConsoleHarness.twoPorts()) {
            h.linuxMultiportBringUp(true);
            h.driver.takeInterrupt();
            DriverQueue rx = h.queue(0);
            rx.takeUsed();
            rx.setUsedEvent(1);
            h.host(0).type("a");
            assertEquals(0, h.driver.takeInterrupt(), "used idx 0 -> 1 does not pass used_event 1");
            h.host(0).type("b");
            assertEquals(1, h.driver.takeInterrupt(), "1 -> 2 passes it");
            assertEquals("ab", h.takeReceived(0));
        }
    }

    @Test
    void eventIdxTellsTheDriverWhenToNotifyAsBuffersAreConsumed() {
        try (ConsoleHarness h = ConsoleHarness.twoPorts()) {
            h.linuxMultiportBringUp(true);
            DriverQueue tx = h.queue(1);
            h.transmit(0, "1");
            h.transmit(0, "2");
            assertEquals(2, tx.availEvent(), "after consuming two entries, notify at the third");
            assertEquals("12", h.host(0).output());
        }
    }

    @Test
    void everyReceiveWriteNamesTheDeviceQueueChainAndDescriptor() {
        try (ConsoleHarness h = ConsoleHarness.twoPorts()) {
            h.linuxMultiportBringUp(false);
            h.sendControl(1, ControlEvent.PORT_OPEN, 1);
            h.dma.clear();
            h.host(1).type("attributed");
            DriverQueue rx = h.queue(ConsoleQueues.receiveq(1));
            DriverQueue.Used used = rx.takeUsed().getFirst();
            var buffers = h.dma.writes().stream().filter(w -> "buffer".equals(w.requester().what())).toList();
            assertEquals(1, buffers.size());
            var who = buffers.getFirst().requester();
            assertEquals(h.name, who.device());
            assertEquals(4, who.queue(), "port 1's receiveq");
            assertEquals(used.id(), who.descriptorHead());
            assertEquals(used.id(), who.descriptorIndex());
            assertEquals(rx.firstBuffer(used.id()), buffers.getFirst().address());
        }
    }

    @Test
    void aKickBeforeDriverOkCausesNoDmaUntilDriverOk() {
        try (ConsoleHarness h = new ConsoleHarness(List.of(ConsolePortSpec.console(new FakeHostStream())), 1,
                ConsoleLimits.DEFAULT, VirtioMmioVersion.MODERN)) {
            h.driver.negotiate(1L << 32, true);
            DriverQueue rx = DriverQueue.modern(h.mem, 0, 16);
            h.driver.setupModernQueue(rx);
            h.queues.put(0, rx);
            rx.add(Buffer.in(h.mem.alloc(64, 8), 64));
            h.driver.notify(0);
            h.dma.clear();
            assertEquals(0, h.host(0).type("early"), "the device is not live");
            assertEquals(List.of(), h.dma.writes(), "no DMA before DRIVER_OK");
            h.driver.driverOk();
            assertEquals("early", h.takeReceived(0), "the pending notification is served right after DRIVER_OK");
        }
    }

    @Test
    void noInputIsTakenBeforeDriverOk() {
        try (ConsoleHarness h = ConsoleHarness.twoPorts()) {
            assertEquals(0, h.host(0).type("early"));
            h.linuxMultiportBringUp(false);
            assertEquals("early", h.takeReceived(0), "delivered once the port is open and has buffers");
            assertFalse(h.transport.hasDeferredWork());
        }
    }
}
