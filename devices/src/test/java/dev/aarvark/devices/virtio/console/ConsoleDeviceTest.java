package dev.aarvark.devices.virtio.console;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.virtio.VirtioFeature;
import dev.aarvark.devices.virtio.mmio.VirtioMmioVersion;
import dev.aarvark.devices.virtio.testkit.FakeHostStream;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.aarvark.devices.virtio.testkit.MmioDriver.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ConsoleDeviceTest {
    @Test
    void aTwoPortConsoleOffersMultiportAndEmergencyWriteButNotSizeLikeQemu() {
        try (ConsoleHarness h = ConsoleHarness.twoPorts()) {
            assertEquals(3, h.driver.read(DEVICE_ID));
            long features = h.driver.deviceFeatures();
            assertEquals(VirtioFeature.bit(VirtioConsole.F_MULTIPORT) | VirtioFeature.bit(VirtioConsole.F_EMERG_WRITE),
                    features & 0xFF_FFFF, "device-type bits");
            assertEquals(0, features & VirtioFeature.bit(VirtioConsole.F_SIZE));
        }
    }

    @Test
    void aOnePortConsoleOffersNoMultiportAndHasOnlyTwoQueues() {
        try (ConsoleHarness h = new ConsoleHarness(List.of(ConsolePortSpec.console(new FakeHostStream())), 1,
                ConsoleLimits.DEFAULT, VirtioMmioVersion.MODERN)) {
            assertEquals(VirtioFeature.bit(VirtioConsole.F_EMERG_WRITE), h.driver.deviceFeatures() & 0xFF_FFFF);
            h.driver.write(QUEUE_SEL, 1);
            assertEquals(128, h.driver.read(QUEUE_NUM_MAX));
            h.driver.write(QUEUE_SEL, 2);
            assertEquals(0, h.driver.read(QUEUE_NUM_MAX));
        }
    }

    @Test
    void queuesFollowQemusVirtioSerialLayoutAndSizes() {
        try (ConsoleHarness h = new ConsoleHarness(List.of(ConsolePortSpec.console(new FakeHostStream())), 4,
                ConsoleLimits.DEFAULT, VirtioMmioVersion.MODERN)) {
            int[] expected = {128, 128, 32, 32, 128, 128, 128, 128, 128, 128, 0};
            for (int q = 0; q < expected.length; q++) {
                h.driver.write(QUEUE_SEL, q);
                assertEquals(expected[q], h.driver.read(QUEUE_NUM_MAX), "queue " + q);
            }
        }
    }

    @Test
    void theConfigurationSpaceHoldsMaxNrPortsAndAZeroSize() {
        try (ConsoleHarness h = new ConsoleHarness(List.of(ConsolePortSpec.console(new FakeHostStream())), 5,
                ConsoleLimits.DEFAULT, VirtioMmioVersion.MODERN)) {
            assertEquals(0, h.driver.readConfig(ConsoleConfigSpace.COLS, 2));
            assertEquals(0, h.driver.readConfig(ConsoleConfigSpace.ROWS, 2));
            assertEquals(5, h.driver.readConfig(ConsoleConfigSpace.MAX_NR_PORTS, 4));
            assertEquals(5, h.driver.readConfig(ConsoleConfigSpace.MAX_NR_PORTS, 1));
            assertEquals(0, h.driver.readConfig(ConsoleConfigSpace.MAX_NR_PORTS + 2, 2));
            assertEquals(0, h.driver.readConfig(ConsoleConfigSpace.EMERG_WR, 4));
            assertEquals(0, h.driver.readConfig(12, 1), "12 bytes of configuration");
        }
    }

    @Test
    void eachPortsStreamIsStartedOnceAndItsConnectionStateRead() {
        FakeHostStream a = new FakeHostStream(true);
        FakeHostStream b = new FakeHostStream(false);
        new VirtioConsole("c", List.of(ConsolePortSpec.console(a), ConsolePortSpec.named("x", b)), new GuestErrorLog());
        assertEquals(1, a.startCalls());
        assertEquals(1, b.startCalls());
    }

    @Test
    void portNamesAreBoundedAndPortCountsChecked() {
        FakeHostStream s = new FakeHostStream();
        assertThrows(IllegalArgumentException.class, () -> ConsolePortSpec.named("", s));
        assertThrows(IllegalArgumentException.class, () -> ConsolePortSpec.named("a\0b", s));
        assertThrows(IllegalArgumentException.class, () -> ConsolePortSpec.named("x".repeat(256), s));
        assertThrows(IllegalArgumentException.class,
                () -> new VirtioConsole("c", List.of(ConsolePortSpec.console(s), ConsolePortSpec.console(s)), 1, ConsoleLimits.DEFAULT, new GuestErrorLog()));
        assertThrows(IllegalArgumentException.class, () -> new VirtioConsole("c", List.of(), 0, ConsoleLimits.DEFAULT, new GuestErrorLog()));
    }
}
