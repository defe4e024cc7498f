package dev.aarvark.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code aarvark bench-soak}: boots the same guest N times in a row with each preemption strategy,
 * each boot a separate {@code aarvark boot} process as a CI job would run it, and prints how many
 * passed and failed. A boot passes when it exits 0: the marker appeared and none of the kernel's
 * failure lines did (an oops, a BUG, a WARNING, a panic, a module that did not load). The console
 * log of every failed boot is kept. A soak prints figures; it is a benchmark, not a test.
 */
@Command(name = "bench-soak", mixinStandardHelpOptions = true,
        description = "Boot a guest N times per preemption strategy and count passes and failures.")
public final class BenchSoakCommand implements Callable<Integer> {
    /** Kernel lines that mean the boot went wrong even if the marker appears later. */
    static final List<String> FAILURE_LINES = List.of("Unable to handle kernel", "Internal error:", "Call trace:",
            "Kernel panic", "BUG:", "WARNING:", "insmod .* failed");

    @Option(names = "--kernel", required = true, paramLabel = "FILE", description = "Kernel to boot.")
    Path kernel;

    @Option(names = "--initrd", paramLabel = "FILE", description = "Initial ramdisk.")
    Path initrd;

    @Option(names = "--append", paramLabel = "TEXT", description = "Kernel command line. Default: ${DEFAULT-VALUE}.")
    String append = "console=ttyAMA0 earlycon panic=-1";

    @Option(names = "--expect", paramLabel = "REGEX", description = "Console pattern that ends a good boot. Default: ${DEFAULT-VALUE}.")
    String expect = "GUEST-CHECKS-DONE";

    @Option(names = "--boots", paramLabel = "N", description = "Boots per strategy. Default: ${DEFAULT-VALUE}.")
    int boots = 100;

    @Option(names = "--preempt", paramLabel = "MODES", split = ",", description = "Strategies, in order. Default: kick,count.")
    List<String> strategies = List.of("kick", "count");

    @Option(names = "--gic", paramLabel = "VERSION", description = "2 or 3. Default: ${DEFAULT-VALUE}.")
    String gic = "2";

    @Option(names = "--timeout", paramLabel = "DURATION", description = "Per boot. Default: ${DEFAULT-VALUE}.")
    String timeout = "120s";

    @Option(names = "--logs", paramLabel = "DIR", description = "Where failed boots' console logs go. Default: .cache/soak.")
    Path logs;

    @Override
    public Integer call() throws Exception {
        if (boots < 1 || boots > 100_000) {
            throw new IllegalArgumentException("--boots " + boots + ": use 1 to 100000");
        }
        for (String s : strategies) {
            if (!s.equals("kick") && !s.equals("count")) {
                throw new IllegalArgumentException("--preempt " + s + ": use kick and/or count");
            }
        }
        Flags.gic(gic);
        long perBoot = DurationParser.parse("--timeout", timeout).toMillis();
        Path dir = logs != null ? logs : Path.of(System.getProperty("aarvark.root", "."), ".cache", "soak");
        Files.createDirectories(dir);
        System.out.printf("soak: %s%s, GICv%s, %d boots per strategy (%s), one process each; pass = exit 0 ('%s' seen, "
                        + "no kernel failure line)%n", kernel.getFileName(), initrd == null ? "" : " + " + initrd.getFileName(), gic,
                boots, String.join(", ", strategies), expect);
        int failedTotal = 0;
        List<String> summary = new ArrayList<>();
        for (String strategy : strategies) {
            double[] seconds = new double[boots];
            int failed = 0;
            for (int i = 0; i < boots; i++) {
                Path log = dir.resolve("boot-" + strategy + ".log");
                long t0 = System.nanoTime();
                int status = boot(strategy, log, perBoot);
                seconds[i] = (System.nanoTime() - t0) / 1e9;
                if (status != ExitStatus.SUCCESS) {
                    failed++;
                    Path kept = dir.resolve("failed-" + strategy + "-" + (i + 1) + ".log");
                    Files.move(log, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    System.out.printf("%s boot %d: FAILED, exit %d: %s (log: %s)%n", strategy, i + 1, status, firstFailure(kept), kept);
                }
                if ((i + 1) % Math.max(1, boots / 10) == 0 || i + 1 == boots) {
                    System.out.printf("%s: %d/%d boots, %d failed%n", strategy, i + 1, boots, failed);
                }
            }
            Files.deleteIfExists(dir.resolve("boot-" + strategy + ".log"));
            double[] s = seconds.clone();
            Arrays.sort(s);
            summary.add(String.format("--preempt %-5s %6d boots  %6d passed  %4d failed   median %.2f s, slowest %.2f s",
                    strategy, boots, boots - failed, failed, s[s.length / 2], s[s.length - 1]));
            failedTotal += failed;
        }
        System.out.println("result:");
        summary.forEach(l -> System.out.println("  " + l));
        return failedTotal == 0 ? ExitStatus.SUCCESS : ExitStatus.GUEST_FAILURE;
    }

    /** One boot as its own process; its console and log lines go to {@code log}. */
    private int boot(String strategy, Path log, long timeoutMillis) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("boot", "--quiet", "--preempt", strategy, "--gic", gic,
                "--kernel", kernel.toString(), "--append", append, "--expect", expect, "--timeout", timeout));
        if (initrd != null) {
            args.add("--initrd");
            args.add(initrd.toString());
        }
        for (String f : FAILURE_LINES) {
            args.add("--fail");
            args.add(f);
        }
        Process p = new ProcessBuilder(ChildAarvark.command(args)).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        // The boot enforces its own --timeout; this bound only catches an emulator that does not.
        if (!p.waitFor(timeoutMillis + 30_000, TimeUnit.MILLISECONDS)) {
            p.destroyForcibly().waitFor();
            Files.writeString(log, "\nbench-soak: the boot did not end within its timeout + 30 s; killed\n",
                    StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.APPEND);
            return ExitStatus.TIMEOUT;
        }
        return p.exitValue();
    }

    /** The first kernel failure line of a log, else its last non-empty line. */
    static String firstFailure(Path log) throws IOException {
        Pattern any = Pattern.compile(String.join("|", FAILURE_LINES));
        String last = "(empty log)";
        for (String l : Files.readAllLines(log, StandardCharsets.ISO_8859_1)) {
            Matcher m = any.matcher(l);
            if (m.find()) {
                return l.strip();
            }
            if (!l.isBlank()) {
                last = l.strip();
            }
        }
        return last;
    }
}
