package dev.aarvark.cli;

import dev.aarvark.emulator.Machine;
import dev.aarvark.emulator.MachineConfig;
import dev.aarvark.emulator.MachineStats;
import dev.aarvark.emulator.board.GicVersion;
import dev.aarvark.emulator.console.ConsoleOutput;
import dev.aarvark.emulator.console.ConsoleWatcher;
import dev.aarvark.emulator.cpu.CpuModel;
import dev.aarvark.emulator.cpu.SyncExceptionHandler;
import dev.aarvark.emulator.run.MachineExit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * {@code aarvark bench-boot}: boots a Linux kernel and initramfs N times with aarvark and with
 * {@code qemu-system-aarch64 -M virt -cpu cortex-a57 -m 512M} (same GIC version), interleaved, and
 * prints the median wall time from process start to the marker line for each and the ratio
 * aarvark/QEMU. Both are timed the same way, as a user sees them: a separate process, started to
 * marker, including aarvark's JVM start and preemption self-test. Then one more aarvark run,
 * in-process with profiling, prints where the work and the time went. Prints figures only.
 */
@Command(name = "bench-boot", mixinStandardHelpOptions = true, description = "Benchmark the boot of a Linux guest against QEMU.")
public final class BenchBootCommand implements Callable<Integer> {
    @Option(names = "--kernel", required = true, paramLabel = "FILE", description = "Linux arm64 Image.")
    Path kernel;

    @Option(names = "--initrd", required = true, paramLabel = "FILE", description = "Initramfs that prints the marker.")
    Path initrd;

    @Option(names = "--append", paramLabel = "TEXT", description = "Kernel command line. Default: ${DEFAULT-VALUE}.")
    String append = "console=ttyAMA0 earlycon panic=-1";

    @Option(names = "--marker", paramLabel = "TEXT", description = "Console line that ends a run. Default: ${DEFAULT-VALUE}.")
    String marker = "GUEST-READY";

    @Option(names = "--runs", paramLabel = "N", description = "Runs of each emulator. Default: ${DEFAULT-VALUE}.")
    int runs = 5;

    @Option(names = "--gic", paramLabel = "VERSION", description = "2 or 3 (both emulators). Default: ${DEFAULT-VALUE}.")
    String gic = "2";

    @Option(names = "--no-qemu", description = "Time aarvark only.")
    boolean noQemu;

    @Option(names = "--debug", description = "Debug logging.")
    boolean debug;

    @Option(names = "--quiet", description = "Only warnings and errors on standard error.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        if (runs < 1 || runs > 100) {
            throw new IllegalArgumentException("--runs " + runs + ": use 1 to 100");
        }
        GicVersion version = Flags.gic(gic);
        System.out.printf("boot benchmark: %s + %s, GICv%s, cortex-a57, 512 MiB, %d runs each, interleaved; time = process start to '%s'%n",
                kernel.getFileName(), initrd.getFileName(), gic, runs, marker);
        double[] ours = new double[runs];
        double[] qemu = new double[runs];
        for (int i = 0; i < runs; i++) {
            ours[i] = timeToMarker(aarvarkCommand());
            qemu[i] = noQemu ? Double.NaN : timeToMarker(qemuCommand());
            System.out.printf("run %2d: aarvark %6.2f s%s%n", i + 1, ours[i], noQemu ? "" : String.format("   QEMU %6.2f s", qemu[i]));
        }
        double mo = median(ours);
        System.out.printf("median: aarvark %.2f s", mo);
        if (!noQemu) {
            double mq = median(qemu);
            System.out.printf(", QEMU %.2f s, ratio aarvark/QEMU %.2f", mq, mo / mq);
        }
        System.out.println();
        breakdown(version);
        return ExitStatus.SUCCESS;
    }

    private List<String> aarvarkCommand() {
        return ChildAarvark.command(List.of("boot", "--quiet", "--gic", gic, "--kernel", kernel.toString(),
                "--initrd", initrd.toString(), "--append", append, "--expect", Pattern.quote(marker), "--timeout", "120s"));
    }

    private List<String> qemuCommand() {
        return List.of("qemu-system-aarch64", "-M", "virt,gic-version=" + gic, "-cpu", "cortex-a57", "-m", "512M",
                "-nographic", "-net", "none", "-no-reboot", "-kernel", kernel.toString(), "-initrd", initrd.toString(),
                "-append", append);
    }

    /** Seconds from starting {@code cmd} to the marker line on its standard output; kills it then. */
    private double timeToMarker(List<String> cmd) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        double seconds = Double.NaN;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) {
                if (l.contains(marker)) {
                    seconds = (System.nanoTime() - t0) / 1e9;
                    break;
                }
            }
        } finally {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        if (Double.isNaN(seconds)) {
            throw new IllegalStateException(cmd.get(0) + " ended without printing '" + marker + "'");
        }
        return seconds;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    /** One in-process run with profiling, stopped at the marker, then the breakdown. */
    private void breakdown(GicVersion version) {
        ConsoleOutput console = new ConsoleOutput();
        Machine[] holder = new Machine[1];
        ConsoleWatcher watcher = new ConsoleWatcher(List.of(Pattern.compile(Pattern.quote(marker))), List.of(),
                new ConsoleWatcher.Listener() {
                    @Override
                    public void expectMatched(int index, String pattern, String matchedText, long nanos) {
                    }

                    @Override
                    public void allExpectsMatched(long nanos) {
                        holder[0].runLoop().requestExit(MachineExit.of(MachineExit.Reason.EXPECT_MET, "marker"));
                    }

                    @Override
                    public void failMatched(String pattern, String line, long nanos) {
                    }
                }, System.nanoTime());
        console.watchedBy(watcher);
        MachineConfig config = new MachineConfig(CpuModel.CORTEX_A57, MachineConfig.DEFAULT_RAM, kernel, initrd, append,
                null, false, MachineConfig.PreemptMode.AUTO, console, version);
        long t0 = System.nanoTime();
        MachineExit exit;
        MachineStats s;
        try (Machine m = Machine.create(config)) {
            holder[0] = m;
            m.enableProfiling();
            long t1 = System.nanoTime();
            exit = m.run(Duration.ofMinutes(2));
            long wall = System.nanoTime() - t1;
            s = m.stats();
            System.out.printf("%nbreakdown of one aarvark run (in-process, profiling on; %s; machine set-up %.2f s, run %.2f s):%n",
                    exit.reason(), (t1 - t0) / 1e9, wall / 1e9);
            System.out.printf("  time inside uc_emu_start   %6.2f s  (guest code %.2f s + Java callbacks %.2f s in %,d calls)%n",
                    s.inEngineNanos() / 1e9, (s.inEngineNanos() - s.callbackNanos()) / 1e9, s.callbackNanos() / 1e9, s.callbacks());
            System.out.printf("  time between slices        %6.2f s  (run loop, devices, idle; %,d slices, %,d WFI idle waits)%n",
                    s.betweenSlicesNanos() / 1e9, s.slices(), s.idleWaits());
        }
        System.out.println("  exceptions handled in Java:");
        for (Map.Entry<SyncExceptionHandler.Counter, Long> e : s.exceptions().entrySet()) {
            if (e.getValue() > 0) {
                System.out.printf("    %-20s %,10d%n", e.getKey().name().toLowerCase().replace('_', ' '), e.getValue());
            }
        }
        System.out.printf("    %-20s %,10d  (interrupts raised to the CPU; QEMU takes them natively)%n", "irq raised", s.irqsRaised());
        System.out.printf("  system-register accesses emulated through the MRS/MSR hook: %,d%n", s.sysregHookAccesses());
        System.out.printf("  instruction-cache maintenance: %,d IC IVAU lines and %,d IC IALLU(IS) (%,d of them narrowed; %,d lines in all) dropped from the translation cache%n",
                s.icacheLineInvalidations(), s.icacheAllInvalidations(), s.icacheNarrowedAll(), s.icacheLinesDropped());
        System.out.println("  MMIO accesses by device (reads / writes):");
        List<String> names = new ArrayList<>(s.mmio().keySet());
        for (String n : names) {
            long[] c = s.mmio().get(n);
            if (c[0] + c[1] > 0) {
                System.out.printf("    %-20s %,10d / %,d%n", n, c[0], c[1]);
            }
        }
    }
}
