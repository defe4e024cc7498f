package dev.aarvark.cli.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Debian's arm64 Linux 6.1 with the busybox initramfs (guest-images/linux) on both GIC versions:
 * the smoke boot, the console probe lines QEMU prints, an interactive shell, and the endings a CI
 * job relies on (power-off, panic, timeout).
 */
class LinuxBootIT {
    private static final String APPEND = "console=ttyAMA0 earlycon panic=-1";

    /** Probe lines of a good boot on QEMU 7.2 (QEMU 7.2's console log of the same kernel and initramfs), per GIC version. */
    private static final List<String> COMMON_PROBE_LINES = List.of(
            "psci: PSCIv1.1 detected in firmware.",
            "arch_timer: cp15 timer(s) running at 62.50MHz (virt).",
            "Serial: AMBA PL011 UART driver",
            "9000000.pl011: ttyAMA0 at MMIO 0x9000000 (irq = 13, base_baud = 0) is a PL011 rev1",
            "rtc-pl031 9010000.pl031: registered as rtc0",
            "hw perfevents: enabled with armv8_pmuv3 PMU driver");
    private static final List<String> GICV3_PROBE_LINES = List.of(
            "CPU features: detected: GIC system register CPU interface",
            "GICv3: 224 SPIs implemented",
            "GICv3: GICv3 features: 16 PPIs",
            "GICv3: CPU0: found redistributor 0 region 0:0x00000000080a0000");

    @ParameterizedTest(name = "smoke boot reaches GUEST-READY and powers off (GICv{0})")
    @ValueSource(strings = {"2", "3"})
    void smokeBootRunsItsChecksAndPowersOff(String gic) throws Exception {
        Path log = Files.createTempFile("aarvark-linux", ".log");
        Aarvark.Run r = Aarvark.run(120, "boot", "--gic", gic, "--kernel", Interactive.linux("Image").toString(),
                "--initrd", Interactive.linux("initramfs-smoke.cpio.gz").toString(), "--append", APPEND,
                "--expect", "GUEST-READY", "--expect", "GUEST-CHECKS-DONE", "--timeout", "90s",
                "--console-log", log.toString());
        assertEquals(0, r.status(), r.toString());
        String console = Files.readString(log);
        for (String line : COMMON_PROBE_LINES) {
            assertTrue(console.contains(line), "probe line '" + line + "' missing:\n" + console);
        }
        if (gic.equals("3")) {
            for (String line : GICV3_PROBE_LINES) {
                assertTrue(console.contains(line), "probe line '" + line + "' missing:\n" + console);
            }
        } else {
            assertTrue(console.contains("Root IRQ handler: gic_handle_irq"), "GICv2 probe line missing:\n" + console);
            assertTrue(console.contains("GIC-0  23 Level     arm-pmu"), "PMU on PPI 7 as on QEMU:\n" + console);
        }
        Matcher timer = java.util.regex.Pattern.compile("(\\d+)\\s+GICv?[23]?\\S*\\s+27 Level\\s+arch_timer").matcher(console);
        assertTrue(timer.find() && Long.parseLong(timer.group(1)) > 10, "the arch timer interrupted the guest:\n" + console);
        assertTrue(!console.contains("WARNING:") && !console.contains("Oops") && !console.contains("BUG:"), console);
    }

    @Test
    void theShellRunsCommandsTheTimerTicksTheClockIsRightAndPoweroffExitsZero() throws Exception {
        try (Interactive vm = new Interactive("boot", "--gic", "3", "--kernel", Interactive.linux("Image").toString(),
                "--initrd", Interactive.linux("initramfs-shell.cpio.gz").toString(), "--append", APPEND, "--timeout", "120s")) {
            vm.await("GUEST-READY", 90);
            vm.await("aarvark:~# ", 30);
            vm.type("echo hello-$((6*7))");
            vm.await("hello-42", 20);
            vm.type("grep arch_timer /proc/interrupts; sleep 1; grep arch_timer /proc/interrupts");
            Matcher first = vm.await("(\\d+)\\s+\\S+\\s+27 Level\\s+arch_timer", 20);
            Matcher second = vm.await("(\\d+)\\s+\\S+\\s+27 Level\\s+arch_timer", 20);
            long a = Long.parseLong(first.group(1));
            long b = Long.parseLong(second.group(1));
            assertTrue(b > a, "arch timer count rises across a 1 s sleep (a tickless idle kernel takes few ticks): " + a + " -> " + b);
            vm.type("date +%s");
            Matcher date = vm.await("\\n(\\d{10})\\r?\\n", 20);
            long guest = Long.parseLong(date.group(1));
            assertTrue(Math.abs(guest - Instant.now().getEpochSecond()) < 30, "guest date " + guest + " close to the host's");
            vm.type("poweroff -f");
            assertEquals(0, vm.waitForExit(30), vm.console());
        }
    }

    @Test
    void aKernelPanicEndsTheRunWithGuestFailure() throws Exception {
        Aarvark.Run r = Aarvark.run(120, "boot", "--kernel", Interactive.linux("Image").toString(),
                "--initrd", Interactive.linux("initramfs-smoke.cpio.gz").toString(),
                "--append", APPEND + " init=/nonexistent", "--fail", "Kernel panic", "--timeout", "90s");
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.stdout().contains("Kernel panic"), r.toString());
    }
}
