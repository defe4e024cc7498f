package dev.aarvark.cli;

import dev.aarvark.devices.io.HostStreamException;
import dev.aarvark.devices.io.net.NetBackendException;
import dev.aarvark.emulator.Machine;
import dev.aarvark.emulator.DmaConfig;
import dev.aarvark.emulator.MachineConfig;
import dev.aarvark.iommu.DmaFaultLog;
import dev.aarvark.emulator.NicConfig;
import dev.aarvark.emulator.board.PortBackend;
import dev.aarvark.emulator.VirtioConsoleConfig;
import dev.aarvark.emulator.board.VirtBoard;
import dev.aarvark.emulator.board.GicVersion;
import dev.aarvark.devices.io.ConsoleInput;
import dev.aarvark.emulator.console.ConsoleOutput;
import dev.aarvark.emulator.console.ConsoleWatcher;
import dev.aarvark.emulator.cpu.CpuModel;
import dev.aarvark.emulator.run.MachineExit;
import dev.aarvark.emulator.run.RunControl;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * {@code aarvark boot}: builds a {@code virt} machine from the options, runs the guest, and exits
 * with a status a CI job can use (see {@link ExitStatus}).
 */
@Command(name = "boot", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Boot a guest built for QEMU's virt board.",
        footer = {"", "Exit status: 0 success (all --expect patterns seen; or, without --expect, the guest powered off",
                "or exited 0 through semihosting), 1 guest failure (a --fail pattern, a nonzero guest exit status, or",
                "the guest ended before every --expect pattern appeared), 2 timeout, 3 emulator or input error."})
public final class BootCommand implements Callable<Integer> {
    private static final Logger LOG = LoggerFactory.getLogger("aarvark");

    @Option(names = "--kernel", required = true, paramLabel = "FILE",
            description = "Kernel to boot: an AArch64 ELF, a Linux arm64 Image, or a raw binary.")
    Path kernel;

    @Option(names = "--initrd", paramLabel = "FILE", description = "Initial ramdisk.")
    Path initrd;

    @Option(names = "--append", paramLabel = "TEXT", description = "Kernel command line.")
    String append = "";

    @Option(names = "--dtb", paramLabel = "FILE", description = "Use this device tree instead of the generated one.")
    Path dtb;

    @Option(names = "--memory", paramLabel = "SIZE", description = "RAM size, e.g. 512M or 2G (bare number: MiB). Default: ${DEFAULT-VALUE}.")
    String memory = "512M";

    @Option(names = "--cpu", paramLabel = "MODEL", description = "cortex-a53, cortex-a57 or cortex-a72. Default: ${DEFAULT-VALUE}.")
    String cpu = "cortex-a57";

    @Option(names = "--serial", paramLabel = "BACKEND", description = "UART host side: stdio, file:PATH or none. Default: ${DEFAULT-VALUE}.")
    String serial = "stdio";

    @Option(names = "--semihosting", description = "Serve Arm semihosting calls (HLT #0xF000).")
    boolean semihosting;

    @Option(names = "--gic", paramLabel = "VERSION", description = "Interrupt controller: 2 (GICv2, QEMU's default) or 3. Default: ${DEFAULT-VALUE}.")
    String gic = "2";

    @Option(names = "--virtio-console", description = "Add a virtio-console device (port 0 is the console, /dev/hvc0).")
    boolean virtioConsole;

    @Option(names = "--hvc", paramLabel = "BACKEND", description = "Host side of /dev/hvc0: stdio, file:PATH, unix:PATH, tcp:PORT or none. Default: none.")
    String hvc;

    @Option(names = "--port", paramLabel = "NAME=BACKEND", description = "Add a named virtio-console port with this host side (repeatable).")
    List<String> ports = new ArrayList<>();

    @Option(names = "--net", paramLabel = "BACKEND[,mac=MAC][,pcap=FILE]", description = "Add a virtio-net card (repeatable): "
            + "none, stream:connect=unix:PATH|tcp:HOST:PORT, stream:listen=unix:PATH|tcp:[HOST:]PORT, "
            + "dgram:local=HOST:PORT,remote=HOST:PORT, user[,hostfwd=tcp::HOSTPORT-:GUESTPORT]..., tap:IFNAME.")
    List<String> nets = new ArrayList<>();

    @Option(names = "--iommu", paramLabel = "MODEL", description = "none, or smmuv3: an SMMUv3 at 0x9050000 (QEMU's place) "
            + "with every virtio-mmio slot behind it (stream ID = slot number, 31 for the first device); the devices offer "
            + "VIRTIO_F_ACCESS_PLATFORM and their DMA is aborted until the guest enables the SMMU. Default: ${DEFAULT-VALUE}.")
    String iommu = "none";

    @Option(names = "--dma-policy", paramLabel = "POLICY", description = "How devices reach RAM when the guest programs no IOMMU: "
            + "bypass (all of RAM), strict (only their --dma-window ranges, and nothing before DRIVER_OK; the rest is aborted and recorded) "
            + "or permissive (the same records, but the access happens). Default: ${DEFAULT-VALUE}.")
    String dmaPolicy = "bypass";

    @Option(names = "--dma-window", paramLabel = "DEVICE=BASE+LEN[:ro|:rw]", description = "A range a device may reach under --dma-policy (repeatable), "
            + "e.g. virtio-net0=0x40300000+64K. Devices: virtio-console0, virtio-net0, virtio-net1, ... or their virtio-net@ADDR names.")
    List<String> dmaWindows = new ArrayList<>();

    @Option(names = "--fail-on-dma-fault", description = "End the run with status 1 at the first refused or flagged device memory access.")
    boolean failOnDmaFault;

    @Option(names = "--virtio-version", paramLabel = "N", description = "virtio-mmio transport of every virtio device: 2 (modern) or 1 (legacy). Default: ${DEFAULT-VALUE}.")
    int virtioVersion = 2;

    @Option(names = "--console-log", paramLabel = "FILE", description = "Also write the whole guest console to FILE.")
    Path consoleLog;

    @Option(names = "--dump-dtb", paramLabel = "FILE", description = "Write the device tree the guest would get to FILE and exit (as QEMU's dumpdtb).")
    Path dumpDtb;

    @Option(names = "--expect", paramLabel = "REGEX", description = "A console pattern that must appear (repeatable, in order); the run succeeds when the last one appears.")
    List<String> expects = new ArrayList<>();

    @Option(names = "--fail", paramLabel = "REGEX", description = "A console pattern that makes the run fail (repeatable).")
    List<String> fails = new ArrayList<>();

    @Option(names = "--timeout", paramLabel = "DURATION", description = "End the run with status 2 after this long, e.g. 60s, 500ms, 2m.")
    String timeout;

    @Option(names = "--preempt", paramLabel = "MODE", description = "How the emulator regains control from the guest: auto, count or kick. Default: ${DEFAULT-VALUE}.")
    String preempt = "auto";

    @Option(names = "--reboot", description = "On a guest reset (PSCI SYSTEM_RESET) boot again instead of exiting.")
    boolean reboot;

    @Option(names = "--debug", description = "Debug logging; stack traces for errors.")
    boolean debug;

    @Option(names = "--quiet", description = "Only warnings and errors on standard error.")
    boolean quiet;

    @Override
    public Integer call() throws Exception {
        Options o = validate();
        long start = System.nanoTime();
        OutputStream hostOut = openSerial(o.serialFile());
        try {
            while (true) {
                int status = runOnce(o, hostOut, start);
                if (status != REBOOT) {
                    return status;
                }
                LOG.info("guest reset: booting again (--reboot)");
            }
        } finally {
            if (hostOut != System.out) {
                hostOut.close();
            }
        }
    }

    private static final int REBOOT = -1;

    private int runOnce(Options o, OutputStream hostOut, long start) throws IOException {
        ConsoleOutput console = new ConsoleOutput();
        if (hostOut != null) {
            console.to(hostOut);
        }
        WatcherBridge bridge = new WatcherBridge();
        ConsoleWatcher watcher = new ConsoleWatcher(o.expects(), o.fails(), bridge, start);
        console.watchedBy(watcher);
        MachineConfig config = new MachineConfig(o.cpu(), o.ramBytes(), kernel, initrd, append, dtb, semihosting,
                o.preempt(), console, o.gic(), o.virtioConsole(), o.nics(), o.dma());
        MachineExit exit;
        try (Machine machine = Machine.create(config);
             OutputStream log = consoleLog == null ? null : openLog(consoleLog)) {
            if (dumpDtb != null) {
                writeDtb(machine.deviceTreeBlob());
                return ExitStatus.SUCCESS;
            }
            if (log != null) {
                console.to(log);
            }
            bridge.control = machine.runLoop();
            boolean interactive = o.serialFile() == null && hostOut == System.out;
            try (Terminal terminal = interactive ? Terminal.rawIfInteractive() : null) {
                Thread stdin = interactive ? startStdinReader(machine, terminal != null) : null;
                try {
                    exit = machine.run(o.timeout());
                } finally {
                    console.close(); // what the guest wrote reaches the terminal and the log, even after a failure
                }
                if (stdin != null) {
                    stdin.interrupt();
                }
            }
            // The vCPU thread has stopped, so the devices' counters are quiet: one line per NIC.
            machine.nics().forEach(nic -> LOG.debug("{}", nic.summary()));
            dmaFaultSummary = dmaFaultSummary(machine);
            if (exit.reason() == MachineExit.Reason.EMULATOR_ERROR && debug && machine.runLoop().exitCause() != null) {
                machine.runLoop().exitCause().printStackTrace();
            }
        } catch (HostStreamException e) {
            throw new IllegalArgumentException(flagNaming(e.backend()) + ": " + e.reason(), e);
        } catch (NetBackendException e) {
            throw new IllegalArgumentException(netFlagNaming(e.backend()) + ": " + e.reason(), e);
        }
        if (exit.reason() == MachineExit.Reason.RESET && reboot) {
            return REBOOT;
        }
        boolean expectsPending = watcher.expectsMatched() < o.expects().size();
        int status = ExitStatus.of(exit, expectsPending);
        summarize(exit, status, watcher, o, start);
        return status;
    }

    /** The flag (and its value) that asked for the host stream {@code backend}, e.g. "--hvc tcp:18080". */
    private String flagNaming(String backend) {
        if (hvc != null && PortBackendParser.parse("--hvc", hvc).spec().equals(backend)) {
            return "--hvc " + hvc;
        }
        for (String p : ports) {
            int eq = p.indexOf('=');
            if (PortBackendParser.parse("--port", p.substring(eq + 1)).spec().equals(backend)) {
                return "--port " + p;
            }
        }
        return backend;
    }

    /** The --net flag that asked for the network backend {@code backend}, e.g. "--net stream:connect=tcp:127.0.0.1:9". */
    private String netFlagNaming(String backend) {
        for (String n : nets) {
            if (NetFlagParser.parse(n).backend().spec().equals(backend)) {
                return "--net " + n;
            }
        }
        return nets.size() == 1 ? "--net " + nets.get(0) : "--net " + backend;
    }

    /** "; DMA faults: virtio-net0 (virtio-net@a003e00) 3", or "" for a run without any; logs the tallies of repeats. */
    private static String dmaFaultSummary(Machine machine) {
        DmaFaultLog faults = machine.dmaFaults();
        if (faults.total() == 0) {
            return "";
        }
        org.slf4j.Logger dma = org.slf4j.LoggerFactory.getLogger(DmaFaultLog.LOGGER);
        faults.repeatLines().forEach(line -> dma.warn("{}", line));
        StringBuilder sb = new StringBuilder("; DMA faults:");
        String sep = " ";
        for (Map.Entry<String, Long> e : faults.faultsByDevice().entrySet()) {
            sb.append(sep).append(machine.deviceLabel(e.getKey())).append(" (").append(e.getKey()).append(") ").append(e.getValue());
            sep = ", ";
        }
        return sb.toString();
    }

    private String dmaFaultSummary = "";

    private void summarize(MachineExit exit, int status, ConsoleWatcher watcher, Options o, long start) {
        StringBuilder sb = new StringBuilder();
        sb.append(exit.reason().name().toLowerCase(Locale.ROOT).replace('_', ' '));
        if (exit.reason() == MachineExit.Reason.SEMIHOSTING_EXIT) {
            sb.append(" (status ").append(exit.guestStatus()).append(')');
        }
        sb.append(String.format(" after %.2f s", (System.nanoTime() - start) / 1e9));
        List<Long> times = watcher.expectTimes();
        for (int i = 0; i < o.expects().size(); i++) {
            sb.append("; expect '").append(o.expects().get(i).pattern()).append("' ");
            sb.append(i < times.size() ? String.format("at %.2f s", times.get(i) / 1e9) : "not seen");
        }
        sb.append(dmaFaultSummary);
        sb.append("; exit status ").append(status);
        if (exit.reason() == MachineExit.Reason.EMULATOR_ERROR || exit.reason() == MachineExit.Reason.FAIL_PATTERN
                || exit.reason() == MachineExit.Reason.DMA_FAULT) {
            LOG.error("{}: {}", sb, exit.detail());
        } else {
            LOG.info("{}", sb);
        }
    }

    /** Options after validation: every error is one line naming the flag. */
    private record Options(CpuModel cpu, long ramBytes, Path serialFile, boolean serialNone, List<Pattern> expects,
                           List<Pattern> fails, Duration timeout, MachineConfig.PreemptMode preempt, GicVersion gic,
                           VirtioConsoleConfig virtioConsole, List<NicConfig> nics, DmaConfig dma) {
    }

    private Options validate() {
        if (virtioVersion != 1 && virtioVersion != 2) {
            throw new IllegalArgumentException("--virtio-version " + virtioVersion + ": use 1 (legacy) or 2 (modern)");
        }
        CpuModel model = CpuModel.parse(cpu);
        long ram = SizeParser.parse("--memory", memory);
        long maxRam = VirtBoard.RAM_MAX;
        if (ram < (16L << 20) || ram > maxRam || ram % 4096 != 0) {
            throw new IllegalArgumentException("--memory " + memory + ": must be a multiple of 4 KiB from 16M to "
                    + (maxRam >> 30) + "G (the virt board's RAM window)");
        }
        Path serialFile = null;
        boolean none = false;
        if (serial.equals("none")) {
            none = true;
        } else if (serial.startsWith("file:") && serial.length() > 5) {
            serialFile = Path.of(serial.substring(5));
        } else if (!serial.equals("stdio")) {
            throw new IllegalArgumentException("--serial " + serial + ": use stdio, file:PATH or none");
        }
        Duration t = timeout == null ? null : DurationParser.parse("--timeout", timeout);
        MachineConfig.PreemptMode mode;
        try {
            mode = MachineConfig.PreemptMode.valueOf(preempt.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--preempt " + preempt + ": use auto, count or kick");
        }
        GicVersion gicVersion = Flags.gic(gic.trim());
        return new Options(model, ram, serialFile, none, compile("--expect", expects), compile("--fail", fails), t, mode,
                gicVersion, virtioConsoleConfig(), nets.stream().map(n -> NetFlagParser.parse(n).withTransportVersion(virtioVersion)).toList(),
                DmaFlagParser.parse(iommu, dmaPolicy, dmaWindows, failOnDmaFault));
    }

    /** The virtio-console the flags ask for, or null. --hvc and --port imply --virtio-console. */
    private VirtioConsoleConfig virtioConsoleConfig() {
        if (!virtioConsole && hvc == null && ports.isEmpty()) {
            return null;
        }
        List<VirtioConsoleConfig.Port> list = new ArrayList<>();
        list.add(new VirtioConsoleConfig.Port(null, hvc == null ? new PortBackend.None() : PortBackendParser.parse("--hvc", hvc)));
        java.util.Set<String> names = new java.util.HashSet<>();
        for (String p : ports) {
            int eq = p.indexOf('=');
            if (eq <= 0 || eq == p.length() - 1) {
                throw new IllegalArgumentException("--port " + p + ": use NAME=BACKEND, e.g. org.example.log=file:/tmp/log");
            }
            String name = p.substring(0, eq);
            if (!names.add(name)) {
                throw new IllegalArgumentException("--port " + p + ": the name " + name + " is used twice");
            }
            list.add(new VirtioConsoleConfig.Port(name, PortBackendParser.parse("--port " + name + "=", p.substring(eq + 1))));
        }
        return new VirtioConsoleConfig(list, virtioVersion);
    }

    private static List<Pattern> compile(String flag, List<String> regexes) {
        List<Pattern> out = new ArrayList<>();
        for (String r : regexes) {
            try {
                out.add(Pattern.compile(r));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(flag + " " + r + ": not a regular expression (" + e.getDescription() + ")");
            }
        }
        return out;
    }

    private OutputStream openSerial(Path file) throws IOException {
        if (serial.equals("none")) {
            return null;
        }
        if (file == null) {
            return System.out;
        }
        try {
            return new FileOutputStream(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("--serial file:" + file + ": cannot open for writing (" + e.getMessage() + ")");
        }
    }

    private static OutputStream openLog(Path file) {
        try {
            return new java.io.BufferedOutputStream(new FileOutputStream(file.toFile()));
        } catch (IOException e) {
            throw new IllegalArgumentException("--console-log " + file + ": cannot open for writing (" + e.getMessage() + ")");
        }
    }

    private void writeDtb(byte[] blob) {
        try {
            java.nio.file.Files.write(dumpDtb, blob);
        } catch (IOException e) {
            throw new IllegalArgumentException("--dump-dtb " + dumpDtb + ": cannot write (" + e.getMessage() + ")");
        }
        LOG.info("wrote the device tree ({} bytes) to {}", blob.length, dumpDtb);
    }

    /**
     * Forwards standard input to the guest's UART. On an interactive terminal, QEMU's escape keys
     * apply (Ctrl-A x quits, Ctrl-A h helps).
     */
    private static Thread startStdinReader(Machine machine, boolean escapes) {
        ConsoleInput input = machine.consoleInput();
        ConsoleEscape escape = new ConsoleEscape();
        return Thread.ofPlatform().daemon().name("aarvark-stdin").start(() -> {
            byte[] buf = new byte[4096];
            InputStream in = System.in;
            boolean[] open = {true};
            ConsoleEscape.Actions actions = new ConsoleEscape.Actions() {
                @Override
                public void toGuest(byte[] data, int off, int len) {
                    try {
                        open[0] = input.offer(data, off, len);
                    } catch (InterruptedException e) {
                        open[0] = false;
                    }
                }

                @Override
                public void quit() {
                    machine.runLoop().requestExit(MachineExit.of(MachineExit.Reason.USER_QUIT, "Ctrl-A x"));
                    open[0] = false;
                }

                @Override
                public void help() {
                    System.out.print(ConsoleEscape.HELP);
                    System.out.flush();
                }
            };
            try {
                for (int n; open[0] && (n = in.read(buf)) > 0; ) {
                    if (escapes) {
                        escape.feed(buf, 0, n, actions);
                    } else {
                        actions.toGuest(buf, 0, n);
                    }
                }
            } catch (IOException e) {
                // End of input: nothing more to forward.
            }
        });
    }

    /** Turns watcher events into the end of the run. */
    private static final class WatcherBridge implements ConsoleWatcher.Listener {
        volatile RunControl control;

        @Override
        public void expectMatched(int index, String pattern, String matchedText, long nanos) {
            LOG.debug("expect {} '{}' matched at {} ms", index, pattern, nanos / 1_000_000);
        }

        @Override
        public void allExpectsMatched(long nanos) {
            control.requestExit(MachineExit.of(MachineExit.Reason.EXPECT_MET, "all --expect patterns appeared"));
        }

        @Override
        public void failMatched(String pattern, String line, long nanos) {
            control.requestExit(MachineExit.of(MachineExit.Reason.FAIL_PATTERN, "--fail '" + pattern + "' matched: " + line.strip()));
        }
    }
}
