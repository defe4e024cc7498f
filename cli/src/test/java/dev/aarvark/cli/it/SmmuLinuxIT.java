package dev.aarvark.cli.it;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Debian's Linux 6.1 (CONFIG_ARM_SMMU_V3=y) on a board with {@code --iommu smmuv3}, unchanged: the
 * arm-smmu-v3 driver probes the SMMU without an error, every virtio-mmio device lands in an IOMMU
 * group of the domain type the command line asks for, and the console and the network work through
 * it (two smoke guests on a stream socket ping each other) with {@code iommu.strict=1},
 * {@code iommu.strict=0} and {@code iommu.passthrough=1}. NetPeersIT moves 16 MiB each way in strict mode.
 */
class SmmuLinuxIT {
    private static final Pattern PROBE = Pattern.compile("arm-smmu-v3 9050000\\.smmuv3: ias 48-bit, oas 48-bit \\(features 0x[0-9a-f]+\\)");
    private static final Pattern SMMU_TROUBLE = Pattern.compile("arm-smmu-v3 9050000\\.smmuv3: .*(fail|error|timeout|unable|not supported|unexpected)",
            Pattern.CASE_INSENSITIVE);

    @TempDir
    Path dir;

    private static CompletableFuture<Aarvark.Run> boot(String ip, String peer, String mac, String net, String mode) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return Aarvark.run(170, "boot", "--iommu", "smmuv3", "--virtio-console",
                        "--kernel", Interactive.linux("Image").toString(),
                        "--initrd", Interactive.linux("initramfs-smoke.cpio.gz").toString(),
                        "--append", "console=ttyAMA0 " + mode + " aarvark.ip=" + ip + "/24 aarvark.ping=" + peer,
                        "--net", net + ",mac=" + mac, "--timeout", "160s");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, task -> Thread.ofPlatform().daemon().start(task));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"iommu.strict=1, DMA", "iommu.strict=0, DMA-FQ", "iommu.passthrough=1, identity"})
    void linuxProbesTheSmmuAndItsDevicesWorkThroughIt(String mode, String domainType) throws Exception {
        Path sock = dir.resolve("net.sock");
        CompletableFuture<Aarvark.Run> a = boot("10.0.3.1", "10.0.3.2", "52:54:00:12:34:56", "stream:listen=unix:" + sock, mode);
        for (int i = 0; i < 300 && !Files.exists(sock); i++) {
            Thread.sleep(100);
        }
        CompletableFuture<Aarvark.Run> b = boot("10.0.3.2", "10.0.3.1", "52:54:00:12:34:57", "stream:connect=unix:" + sock, mode);
        for (Aarvark.Run r : new Aarvark.Run[] {a.get(), b.get()}) {
            String out = r.stdout();
            assertEquals(0, r.status(), r.toString());
            assertTrue(PROBE.matcher(out).find(), "the driver's probe line: " + r);
            Matcher trouble = SMMU_TROUBLE.matcher(out);
            assertFalse(trouble.find(), () -> "an SMMU error: " + trouble.group());
            // The console is slot 31 (stream 31), the card slot 30; every other slot has a group too.
            assertTrue(out.contains("group 31 type=" + domainType + ": a003e00.virtio_mmio"), r.toString());
            assertTrue(out.contains("group 30 type=" + domainType + ": a003c00.virtio_mmio"), r.toString());
            assertEquals(32, Pattern.compile("group \\d+ type=" + Pattern.quote(domainType) + ": a0[0-3][0-9a-f]{2}00\\.virtio_mmio")
                    .matcher(out).results().count(), r.toString());
            assertTrue(out.contains("wrote to /dev/hvc0"), r.toString());
            assertTrue(out.contains("3 packets transmitted, 3 packets received"), r.toString());
            assertTrue(out.contains("GUEST-CHECKS-DONE"), r.toString());
            assertFalse(r.stderr().contains("DMA fault"), r.stderr());
            assertFalse(r.stderr().contains("guest error"), r.stderr());
        }
    }
}
