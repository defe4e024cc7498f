package dev.aarvark.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code aarvark bench-console}: guest-to-host throughput through a virtio-console port. Boots the
 * Linux shell image with a named port whose host side is a file, types {@code dd} of 256 MiB from
 * /dev/zero into the port, and reads dd's own timing from the console; then the same on
 * {@code qemu-system-aarch64} with {@code virtio-serial-device} and a {@code virtserialport} on a
 * file chardev, in the same run. Prints both rates and the ratio; asserts nothing.
 */
@Command(name = "bench-console", mixinStandardHelpOptions = true, description = "Benchmark virtio-console throughput against QEMU.")
public final class BenchConsoleCommand implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--kernel", required = true, paramLabel = "FILE")
    Path kernel;

    @Option(names = "--initrd", required = true, paramLabel = "FILE", description = "The shell initramfs.")
    Path initrd;

    @Option(names = "--mib", paramLabel = "N", description = "MiB to write. Default: ${DEFAULT-VALUE}.")
    int mib = 256;

    @Option(names = "--no-qemu", description = "Measure aarvark only.")
    boolean noQemu;

    @Option(names = "--virtio-version", paramLabel = "N", description = "aarvark's transport: 2 or 1. Default: ${DEFAULT-VALUE}.")
    int virtioVersion = 2;

    @Option(names = "--quiet", description = "Only warnings and errors on standard error.")
    boolean quiet;

    @Option(names = "--debug", description = "Debug logging.")
    boolean debug;

    /** The guest prints the uptime before and after dd (busybox dd reports no timing of its own). */
    private static final Pattern DD = Pattern.compile("DD-TIMES ([0-9.]+) ([0-9.]+) (\\d+)");

    @Override
    public Integer call() throws Exception {
        Path dir = Files.createTempDirectory("aarvark-bench-console");
        System.out.printf("virtio-console throughput: dd %d MiB from /dev/zero to a named port whose host side is a file%n", mib);
        double a = run(aarvark(dir.resolve("aarvark.out"), false), dir.resolve("aarvark.out"));
        System.out.printf("aarvark:              %8.1f MB/s%n", a);
        // The same run behind the SMMU (Linux's DMA API, strict TLB invalidation: Debian's default).
        double s = run(aarvark(dir.resolve("aarvark-smmu.out"), true), dir.resolve("aarvark-smmu.out"));
        System.out.printf("aarvark --iommu smmuv3: %6.1f MB/s%nratio smmuv3/bypass: %.2f%n", s, s / a);
        if (!noQemu) {
            Path theirs = dir.resolve("qemu.out");
            List<String> qemu = List.of("qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a57", "-m", "512M",
                    "-nographic", "-net", "none", "-no-reboot", "-kernel", kernel.toString(), "-initrd", initrd.toString(),
                    "-append", "console=ttyAMA0", "-device", "virtio-serial-device",
                    "-chardev", "file,id=bench,path=" + theirs, "-device", "virtserialport,chardev=bench,name=bench");
            double q = run(qemu, theirs);
            System.out.printf("QEMU:                 %8.1f MB/s%nratio aarvark/QEMU: %.2f%n", q, a / q);
        }
        return ExitStatus.SUCCESS;
    }

    /** The aarvark command line, with the port's host side at {@code out}, behind the SMMU if {@code smmu}. */
    private List<String> aarvark(Path out, boolean smmu) {
        List<String> args = new java.util.ArrayList<>(List.of("boot", "--quiet", "--kernel", kernel.toString(), "--initrd",
                initrd.toString(), "--append", "console=ttyAMA0" + (smmu ? " iommu.strict=1" : ""), "--virtio-console",
                "--virtio-version", Integer.toString(virtioVersion), "--port", "bench=file:" + out, "--timeout", "600s"));
        if (smmu) {
            args.addAll(List.of("--iommu", "smmuv3"));
        }
        return ChildAarvark.command(args);
    }

    /** Boots, runs dd into the port, checks the host file got every byte, returns MB/s (10^6 bytes). */
    private double run(List<String> cmd, Path out) throws IOException, InterruptedException {
        String who = cmd.get(0).contains("qemu") ? "QEMU" : "aarvark";
        try (GuestConsole guest = new GuestConsole(who, cmd)) {
            guest.await("aarvark:~# ", 120);
            String port = "$(grep -l bench /sys/class/virtio-ports/*/name | cut -d/ -f5)";
            guest.type("P=" + port + "; a=$(cut -d' ' -f1 /proc/uptime); dd if=/dev/zero of=/dev/$P bs=64k count="
                    + (mib * 16) + " 2>/dev/null; b=$(cut -d' ' -f1 /proc/uptime); echo DD-TIMES $a $b " + ((long) mib << 20));
            Matcher m = guest.await(DD.pattern(), 600);
            long bytes = Long.parseLong(m.group(3));
            double seconds = Double.parseDouble(m.group(2)) - Double.parseDouble(m.group(1));
            guest.powerOff();
            long got = Files.size(out);
            System.out.printf("  %s: %d bytes in %.2f s (guest clock)%n", who, bytes, seconds);
            if (got != bytes) {
                throw new IllegalStateException(cmd.get(0) + ": the host file has " + got + " bytes, the guest wrote " + bytes);
            }
            return bytes / seconds / 1e6;
        }
    }
}
