package dev.aarvark.devices.virtio.console;

import dev.aarvark.devices.RegisterError;
import dev.aarvark.devices.virtio.mmio.VirtioMmioVersion;
import dev.aarvark.devices.virtio.testkit.FakeHostStream;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** emerg_wr (virtio 1.2 §5.3.4): one character at a time, even on an unconfigured device. */
class ConsoleEmergencyWriteTest {
    @Test
    void anEmergencyWriteReachesTheConsolePortBeforeAnyDriverSetup() {
        FakeHostStream generic = new FakeHostStream();
        FakeHostStream console = new FakeHostStream();
        try (ConsoleHarness h = new ConsoleHarness(List.of(ConsolePortSpec.named("p", generic), ConsolePortSpec.console(console)),
                2, ConsoleLimits.DEFAULT, VirtioMmioVersion.MODERN)) {
            h.driver.writeConfig(ConsoleConfigSpace.EMERG_WR, 4, 0x1234_5641L);
            h.driver.writeConfig(ConsoleConfigSpace.EMERG_WR, 1, 'B');
            assertEquals("AB", console.output(), "the low byte, to the console port");
            assertEquals("", generic.output());
            assertEquals(0, h.driver.readConfig(ConsoleConfigSpace.EMERG_WR, 4));
        }
    }

    @Test
    void emergencyCharactersWaitWhileTheHostIsFullAndOverflowIsCounted() {
        ConsoleLimits limits = new ConsoleLimits(64 * 1024, 128, 128, 32, 4096, 16);
        FakeHostStream host = new FakeHostStream();
        try (ConsoleHarness h = new ConsoleHarness(List.of(ConsolePortSpec.console(host)), 1, limits, VirtioMmioVersion.MODERN)) {
            host.limitWrites(0);
            for (int i = 0; i < 20; i++) {
                h.driver.writeConfig(ConsoleConfigSpace.EMERG_WR, 4, 'a' + i);
            }
            assertEquals("", host.output());
            host.drain(Long.MAX_VALUE);
            assertEquals("abcdefghijklmnop", host.output(), "the first 16 in order");
            assertEquals(20, h.console.counters().emergencyBytes());
            assertEquals(4, h.console.counters().emergencyBytesDropped());
        }
    }

    @Test
    void writesToTheOtherConfigurationFieldsAreErrors() {
        try (ConsoleHarness h = ConsoleHarness.twoPorts()) {
            h.driver.writeConfig(ConsoleConfigSpace.MAX_NR_PORTS, 4, 9);
            h.driver.writeConfig(ConsoleConfigSpace.COLS, 2, 80);
            assertEquals(2, h.driver.readConfig(ConsoleConfigSpace.MAX_NR_PORTS, 4));
            assertEquals(0, h.driver.readConfig(ConsoleConfigSpace.COLS, 2));
            assertEquals(2, h.errors(RegisterError.WRITE_READ_ONLY));
        }
    }

    @Test
    void aByteWiseWriteOfEmergWrEmitsOnlyItsLowByteAsALegacyLinuxDriverWouldSendIt() {
        try (ConsoleHarness h = ConsoleHarness.twoPorts()) {
            for (int i = 0; i < 4; i++) {
                h.driver.writeConfig(ConsoleConfigSpace.EMERG_WR + i, 1, i == 0 ? 'Z' : 0);
            }
            assertEquals("Z", h.host(0).output());
            assertEquals(0, h.errors(RegisterError.WRITE_READ_ONLY));
        }
    }
}
