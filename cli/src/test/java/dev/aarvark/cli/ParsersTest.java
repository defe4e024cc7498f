package dev.aarvark.cli;

import dev.aarvark.emulator.board.PortBackend;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParsersTest {
    @Test
    void sizesUseBinaryUnitsAndBareNumbersAreMebibytesAsInQemu() {
        assertEquals(512L << 20, SizeParser.parse("--memory", "512"));
        assertEquals(512L << 20, SizeParser.parse("--memory", "512M"));
        assertEquals(2L << 30, SizeParser.parse("--memory", "2g"));
        assertEquals(1L << 30, SizeParser.parse("--memory", "1GiB"));
        assertEquals(4096, SizeParser.parse("--memory", "4096b"));
        assertEquals(64L << 10, SizeParser.parse("--memory", "64K"));
    }

    @Test
    void badSizesNameTheFlagAndTheText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SizeParser.parse("--memory", "12x"));
        assertTrue(e.getMessage().startsWith("--memory 12x: not a size"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SizeParser.parse("--memory", "-5M"));
        assertThrows(IllegalArgumentException.class, () -> SizeParser.parse("--memory", "99999999999999999999"));
        assertThrows(IllegalArgumentException.class, () -> SizeParser.parse("--memory", "9999999999T"));
    }

    @Test
    void durationsAcceptCommonUnitsAndBareSeconds() {
        assertEquals(Duration.ofSeconds(60), DurationParser.parse("--timeout", "60s"));
        assertEquals(Duration.ofSeconds(60), DurationParser.parse("--timeout", "60"));
        assertEquals(Duration.ofMillis(500), DurationParser.parse("--timeout", "500ms"));
        assertEquals(Duration.ofMinutes(2), DurationParser.parse("--timeout", "2m"));
        assertEquals(Duration.ofMillis(1500), DurationParser.parse("--timeout", "1.5s"));
    }

    @Test
    void badDurationsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> DurationParser.parse("--timeout", "soon"));
        assertThrows(IllegalArgumentException.class, () -> DurationParser.parse("--timeout", "0s"));
    }

    @Test
    void theEmulatorsTypedConfigErrorsBecomeOneLineNamingTheFlag() {
        dev.aarvark.emulator.MachineConfigException e = assertThrows(dev.aarvark.emulator.MachineConfigException.class,
                () -> dev.aarvark.emulator.cpu.CpuModel.parse("max"));
        assertEquals(dev.aarvark.emulator.MachineConfigException.Field.CPU, e.field());
        assertTrue(Flags.message(e).startsWith("--cpu max: not offered"), Flags.message(e));
        assertEquals("--preempt kick: the self-test failed", Flags.message(new dev.aarvark.emulator.MachineConfigException(
                dev.aarvark.emulator.MachineConfigException.Field.PREEMPT, "kick", "the self-test failed")));
    }

    @Test
    void gicIsTwoOrThree() {
        assertEquals(dev.aarvark.emulator.board.GicVersion.V2, Flags.gic("2"));
        assertEquals(dev.aarvark.emulator.board.GicVersion.V3, Flags.gic("3"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Flags.gic("4"));
        assertEquals("--gic 4: use 2 or 3", e.getMessage());
    }

    @Test
    void portBackendsReadAndPrintTheSameText() {
        for (String t : new String[] {"stdio", "none", "file:/tmp/x", "unix:/run/a.sock", "tcp:8080"}) {
            assertEquals(t, PortBackendParser.parse("--hvc", t).spec());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> PortBackendParser.parse("--hvc", "tcp:0"));
        assertEquals("--hvc tcp:0: tcp needs a port from 1 to 65535", e.getMessage());
    }
}
