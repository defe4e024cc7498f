package dev.aarvark.devices.virtio.console;

import dev.aarvark.devices.ProtocolError;
import dev.aarvark.devices.virtio.mmio.VirtioMmioVersion;
import dev.aarvark.devices.virtio.testkit.DriverQueue;
import dev.aarvark.devices.virtio.testkit.FakeHostStream;
import dev.aarvark.devices.virtio.testkit.MmioDriver;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A driver that does not negotiate VIRTIO_CONSOLE_F_MULTIPORT (kvm-unit-tests' chr-testdev, old kernels). */
class ConsoleSinglePortTest {
    @Test
    void withoutMultiportPortZeroUsesQueuesZeroAndOneAndIsOpenFromDriverOk() {
        try (ConsoleHarness h = ConsoleHarness.twoPorts()) {
            h.probe(false, false);
            assertEquals(2, h.queues.size());
            assertTrue(h.console.guestOpened(0));
            h.transmit(0, "out");
            assertEquals("out", h.host(0).output());
            h.postReceiveBuffers(0, 1);
            h.host(0).type("in");
            assertEquals("in", h.takeReceived(0));
            assertEquals(0, h.host(1).type("port 1 does not exist for this driver"));
            assertEquals("", h.host(1).output());
        }
    }

    @Test
    void controlQueuesEnabledWithoutMultiportAreIgnored() {
        try (ConsoleHarness h = ConsoleHarness.twoPorts()) {
            h.driver.negotiate(1L << 32, true);
            DriverQueue c = DriverQueue.modern(h.mem, 3, 32);
            h.driver.setupModernQueue(c);
            h.driver.driverOk();
            c.add(DriverQueue.Buffer.out(h.mem.alloc(8, 8), 8));
            h.driver.notify(3);
            assertEquals(0, c.usedIdx());
            assertEquals(1, h.errors(ProtocolError.NO_MULTIPORT));
        }
    }

    @Test
    void aOnePortConsoleWorksOverALegacyTransport() {
        try (ConsoleHarness h = new ConsoleHarness(List.of(ConsolePortSpec.console(new FakeHostStream())), 1,
                ConsoleLimits.DEFAULT, VirtioMmioVersion.LEGACY)) {
            h.driver.write(MmioDriver.GUEST_PAGE_SIZE, 4096);
            h.driver.negotiate(1L << 29, false);
            DriverQueue rx = DriverQueue.legacy(h.mem, 0, 128, 4096, 4096);
            DriverQueue tx = DriverQueue.legacy(h.mem, 1, 128, 4096, 4096);
            h.driver.setupLegacyQueue(rx, 4096);
            h.driver.setupLegacyQueue(tx, 4096);
            h.driver.driverOk();
            h.queues.put(0, rx);
            h.queues.put(1, tx);
            h.transmit(0, "legacy out");
            assertEquals("legacy out", h.host(0).output());
            h.postReceiveBuffers(0, 2);
            h.host(0).type("legacy in");
            assertEquals("legacy in", h.takeReceived(0));
            assertEquals(1, tx.availEvent(), "EVENT_IDX works on the legacy layout");
        }
    }
}
