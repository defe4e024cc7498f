package dev.aarvark.cli;

import dev.aarvark.emulator.Machine;
import dev.aarvark.emulator.MachineConfig;
import dev.aarvark.emulator.board.GicVersion;
import dev.aarvark.emulator.cpu.CpuModel;
import dev.aarvark.emulator.run.MachineExit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code aarvark bench}: the CPU-core micro-benchmarks. Boots each benchmark guest of
 * guest-images/baremetal (bench-alu, bench-memcpy, bench-svc, bench-mmio, bench-sysreg), times
 * each phase between the marker lines the guest prints, and prints the rates computed from the
 * exact instruction / operation counts the guests announce. Prints figures only; it asserts
 * nothing about time. With {@code --qemu}, the same guests run on {@code qemu-system-aarch64} in
 * the same session (timed the same way, from its console) and the ratio aarvark/QEMU is printed.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Run the CPU-core micro-benchmarks and print figures.")
public final class BenchCommand implements Callable<Integer> {
    @Option(names = "--guests", required = true, paramLabel = "DIR", description = "Folder with the bench-*.elf guests.")
    Path guests;

    @Option(names = "--preempt", paramLabel = "MODES", split = ",", description = "Preemption strategies to measure (default: kick,count).")
    List<String> preempt = List.of("kick", "count");

    @Option(names = "--cpu", paramLabel = "MODEL", description = "CPU model. Default: ${DEFAULT-VALUE}.")
    String cpu = "cortex-a57";

    @Option(names = "--qemu", description = "Also run the guests on qemu-system-aarch64 (TCG) and print the ratio.")
    boolean qemu;

    @Option(names = {"--debug"}, description = "Debug logging.")
    boolean debug;

    @Option(names = "--quiet", description = "Only warnings and errors on standard error.")
    boolean quiet;

    /** A phase: its label, what it did, and the time it took. */
    private record Phase(String label, String unit, long count, long nanos) {
    }

    private static final Pattern INSNS = Pattern.compile("(\\d+) insns");
    private static final Pattern OPS = Pattern.compile(": (\\d+) (svc round trips|reads|cntv_ctl_el0 reads)");
    private static final Pattern MEMCPY = Pattern.compile("size=(\\d+) reps=\\d+ bytes_total=(\\d+) insns=(\\d+)");

    @Override
    public Integer call() throws Exception {
        CpuModel model = CpuModel.parse(cpu);
        List<String> names = List.of("bench-alu", "bench-memcpy", "bench-svc", "bench-mmio", "bench-sysreg");
        for (String n : names) {
            if (!Files.isRegularFile(guests.resolve(n + ".elf"))) {
                throw new IllegalArgumentException("--guests " + guests + ": " + n + ".elf is missing (run 'make guests')");
            }
        }
        System.out.printf("aarvark micro-benchmarks: %s, %s%n", model.cliName(), Runtime.version());
        List<List<Phase>> qemuRuns = new ArrayList<>();
        if (qemu) {
            for (String n : names) {
                qemuRuns.add(phases(runQemu(guests.resolve(n + ".elf"), model)));
            }
        }
        for (String mode : preempt) {
            MachineConfig.PreemptMode pm = MachineConfig.PreemptMode.valueOf(mode.toUpperCase(Locale.ROOT));
            System.out.printf("%n== aarvark, --preempt %s%n", mode);
            System.out.printf("%-26s %14s %10s %16s%s%n", "benchmark", "work", "time", "rate", qemu ? "   QEMU rate     aarvark/QEMU" : "");
            for (int i = 0; i < names.size(); i++) {
                List<Phase> ours = phases(runAarvark(guests.resolve(names.get(i) + ".elf"), model, pm));
                for (int j = 0; j < ours.size(); j++) {
                    Phase p = ours.get(j);
                    String q = "";
                    if (qemu && j < qemuRuns.get(i).size()) {
                        Phase qp = qemuRuns.get(i).get(j);
                        q = String.format("   %14s  %8.2f", rate(qp), rateValue(p) / rateValue(qp));
                    }
                    System.out.printf("%-26s %14s %8.3f s %16s%s%n", p.label(), String.format("%,d", p.count()),
                            p.nanos() / 1e9, rate(p), q);
                }
            }
        }
        return ExitStatus.SUCCESS;
    }

    private static double rateValue(Phase p) {
        return p.count() / (p.nanos() / 1e9);
    }

    private static String rate(Phase p) {
        double r = rateValue(p);
        String scaled = r >= 1e9 ? String.format("%.2f G", r / 1e9) : r >= 1e6 ? String.format("%.1f M", r / 1e6)
                : String.format("%.1f k", r / 1e3);
        return scaled + p.unit() + "/s";
    }

    private List<ConsoleMarkers.Line> runAarvark(Path elf, CpuModel model, MachineConfig.PreemptMode mode) {
        ConsoleMarkers markers = new ConsoleMarkers();
        MachineConfig config = new MachineConfig(model, MachineConfig.DEFAULT_RAM, elf, null, "", null, true, mode, markers,
                GicVersion.V2);
        try (Machine m = Machine.create(config)) {
            MachineExit exit = m.run(java.time.Duration.ofMinutes(10));
            if (exit.reason() != MachineExit.Reason.SEMIHOSTING_EXIT || exit.guestStatus() != 0) {
                throw new IllegalStateException(elf.getFileName() + " did not finish: " + exit);
            }
        }
        return markers.lines();
    }

    private static List<ConsoleMarkers.Line> runQemu(Path elf, CpuModel model) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("qemu-system-aarch64", "-M", "virt", "-cpu", model.cliName(), "-m", "512M",
                "-nographic", "-net", "none", "-semihosting", "-kernel", elf.toString())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<ConsoleMarkers.Line> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = r.readLine()) != null; ) {
                lines.add(new ConsoleMarkers.Line(l, System.nanoTime()));
            }
        }
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("qemu-system-aarch64 failed on " + elf.getFileName());
        }
        return lines;
    }

    /**
     * Turns marker lines into phases: a line announcing work (instruction or operation count)
     * starts a phase; the next such line or "done" ends it.
     */
    private static List<Phase> phases(List<ConsoleMarkers.Line> lines) {
        List<Phase> out = new ArrayList<>();
        for (int i = 0; i < lines.size() - 1; i++) {
            String t = lines.get(i).text();
            long dt = lines.get(i + 1).nanos() - lines.get(i).nanos();
            Matcher mc = MEMCPY.matcher(t);
            Matcher ops = OPS.matcher(t);
            Matcher insns = INSNS.matcher(t);
            if (mc.find()) {
                long size = Long.parseLong(mc.group(1));
                out.add(new Phase("memcpy " + human(size), "B", Long.parseLong(mc.group(2)), dt));
                out.add(new Phase("  (memcpy " + human(size) + " insns)", " insn", Long.parseLong(mc.group(3)), dt));
            } else if (ops.find()) {
                String label = switch (ops.group(2)) {
                    case "svc round trips" -> "SVC round trips";
                    case "reads" -> "MMIO reads (PL011 FR)";
                    default -> "sysreg traps (CNTV_CTL)";
                };
                out.add(new Phase(label, "", Long.parseLong(ops.group(1)), dt));
            } else if (insns.find() && t.startsWith("bench-alu")) {
                out.add(new Phase("ALU loop", " insn", Long.parseLong(insns.group(1)), dt));
            }
        }
        return out;
    }

    private static String human(long bytes) {
        return bytes >= (1 << 20) ? (bytes >> 20) + " MiB" : (bytes >> 10) + " KiB";
    }
}
