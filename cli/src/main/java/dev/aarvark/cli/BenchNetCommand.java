package dev.aarvark.cli;

import dev.aarvark.devices.io.net.PasstProcess;
import dev.aarvark.devices.io.net.PortForward;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

/**
 * {@code aarvark bench-net}: virtio-net throughput and small-packet rate, aarvark against QEMU 7.2
 * with the same backend and the same guest (the Linux shell image), in the same run. For each
 * backend ({@code user}: passt; {@code tap}: a TAP in a network namespace this command makes) and
 * each emulator, one boot measures:
 * <ul>
 *   <li>guest to host: {@code dd} of N MiB of zeros through busybox {@code nc} to a host sink,
 *       timed by the guest's clock ({@code /proc/uptime}), checked on the host by count and
 *       SHA-256;</li>
 *   <li>host to guest: a host source sends N MiB of a seeded stream, the guest's {@code nc}
 *       reads it into {@code sha256sum}, timed by the guest's clock, the sum checked against the
 *       host's;</li>
 *   <li>small packets: the host sends 64-byte frames (18-byte UDP payloads) as fast as it can for
 *       a fixed time; the guest kernel's eth0 rx_packets counts what the card delivered.</li>
 * </ul>
 * Prints every row side by side with the ratio aarvark/QEMU (above 1 means aarvark is faster);
 * asserts nothing about speed. A transfer whose data does not arrive whole gives no figure (NaN,
 * with the reason printed); the others still run.
 *
 * <p>QEMU runs {@code -device virtio-net-device} with {@code -netdev stream} to a passt it is given
 * (the same passt options aarvark's {@code --net user} uses) or {@code -netdev tap} on the same TAP.
 * The TAP rows re-run this command inside the namespace ({@code ip netns exec}), so that every
 * socket of the benchmark lives there; the namespace is deleted at the end.
 */
@Command(name = "bench-net", mixinStandardHelpOptions = true, description = "Benchmark virtio-net against QEMU over user (passt) and tap.")
public final class BenchNetCommand implements java.util.concurrent.Callable<Integer> {
    @Option(names = "--kernel", required = true, paramLabel = "FILE")
    Path kernel;

    @Option(names = "--initrd", required = true, paramLabel = "FILE", description = "The shell initramfs.")
    Path initrd;

    @Option(names = "--mib", paramLabel = "N", description = "MiB each way. Default: ${DEFAULT-VALUE}.")
    int mib = 256;

    @Option(names = "--small-seconds", paramLabel = "S", description = "Seconds of small packets. Default: ${DEFAULT-VALUE}.")
    int smallSeconds = 5;

    @Option(names = "--backend", paramLabel = "NAME", split = ",", description = "user, tap or both. Default: user,tap.")
    List<String> backends = new ArrayList<>(List.of("user", "tap"));

    @Option(names = "--smmu", description = "Also boot aarvark with --iommu smmuv3 (iommu.strict=1) and print smmuv3/bypass ratios.")
    boolean smmu;

    @Option(names = "--no-qemu", description = "Measure aarvark only.")
    boolean noQemu;

    @Option(names = "--quiet", description = "Only warnings and errors on standard error.")
    boolean quiet;

    @Option(names = "--debug", description = "Debug logging.")
    boolean debug;

    /** Internal: this process already runs inside the benchmark's network namespace. */
    @Option(names = "--inside-namespace", hidden = true)
    boolean insideNamespace;

    private static final String PROMPT = "aarvark:~# ";
    private static final int SINK_PORT = 5101;
    private static final int SOURCE_PORT = 5102;
    private static final int UDP_PORT = 5103;
    private static final String TAP_HOST = "10.77.0.1";
    private static final String TAP_GUEST = "10.77.0.2";

    /** One measured boot: MB/s each way (10^6 bytes per second) and small packets per second received. */
    private record Figures(double toHost, double toGuest, double smallPps) {
    }

    @Override
    public Integer call() throws Exception {
        for (String b : backends) {
            if (!b.equals("user") && !b.equals("tap")) {
                throw new IllegalArgumentException("--backend " + b + ": use user or tap");
            }
        }
        if (!insideNamespace) {
            System.out.printf("virtio-net: %d MiB each way through busybox nc (guest clock, SHA-256 checked), "
                    + "%d s of 64-byte UDP frames host to guest; ratio = aarvark / QEMU (above 1: aarvark faster)%n", mib, smallSeconds);
        }
        for (String backend : backends) {
            if (backend.equals("tap") && !insideNamespace) {
                runInNamespace();
            } else {
                measure(backend);
            }
        }
        return ExitStatus.SUCCESS;
    }

    private void measure(String backend) throws Exception {
        Map<String, Figures> figures = new LinkedHashMap<>();
        figures.put("aarvark", boot(backend, false, false));
        if (smmu) {
            figures.put("smmuv3", boot(backend, false, true));
        }
        if (!noQemu) {
            figures.put("QEMU", boot(backend, true, false));
        }
        Figures a = figures.get("aarvark");
        Figures q = figures.get("QEMU");
        row(backend, "TCP guest->host MB/s", a.toHost, q == null ? Double.NaN : q.toHost);
        row(backend, "TCP host->guest MB/s", a.toGuest, q == null ? Double.NaN : q.toGuest);
        row(backend, "64-byte UDP frames/s", a.smallPps, q == null ? Double.NaN : q.smallPps);
        Figures m = figures.get("smmuv3");
        if (m != null) {
            smmuRow(backend, "TCP guest->host MB/s", m.toHost, a.toHost);
            smmuRow(backend, "TCP host->guest MB/s", m.toGuest, a.toGuest);
            smmuRow(backend, "64-byte UDP frames/s", m.smallPps, a.smallPps);
        }
    }

    private static void smmuRow(String backend, String what, double s, double a) {
        System.out.printf("%-4s %-22s smmuv3  %10.1f   bypass %8.1f   ratio %5.2f%n", backend, what, s, a, s / a);
    }

    private static void row(String backend, String what, double a, double q) {
        System.out.printf("%-4s %-22s aarvark %10.1f   QEMU %10.1f   ratio %5.2f%n", backend, what, a, q, a / q);
    }

    /** Makes a namespace with a TAP in it, runs this command there for the tap rows, deletes it. */
    private void runInNamespace() throws Exception {
        String ns = "aarvark-bench-" + ProcessHandle.current().pid();
        sh("ip", "netns", "add", ns);
        try {
            sh("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
            sh("ip", "netns", "exec", ns, "ip", "tuntap", "add", "dev", "tap0", "mode", "tap");
            sh("ip", "netns", "exec", ns, "ip", "addr", "add", TAP_HOST + "/24", "dev", "tap0");
            sh("ip", "netns", "exec", ns, "ip", "link", "set", "tap0", "up");
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
            List<String> args = new ArrayList<>(List.of("bench-net", "--inside-namespace", "--backend", "tap",
                    "--kernel", kernel.toString(), "--initrd", initrd.toString(), "--mib", Integer.toString(mib),
                    "--small-seconds", Integer.toString(smallSeconds)));
            if (noQemu) {
                args.add("--no-qemu");
            }
            if (smmu) {
                args.add("--smmu");
            }
            if (quiet) {
                args.add("--quiet");
            } else if (debug) {
                args.add("--debug");
            }
            cmd.addAll(ChildAarvark.command(args));
            Process p = new ProcessBuilder(cmd).inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("the tap rows failed (exit status " + p.exitValue() + ")");
            }
        } finally {
            sh("ip", "netns", "del", ns);
        }
    }

    private static void sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
    }

    /** One boot of one emulator on one backend; returns its figures. */
    private Figures boot(String backend, boolean qemu, boolean behindSmmu) throws Exception {
        boolean tap = backend.equals("tap");
        String append = "console=ttyAMA0" + (tap ? " aarvark.ip=" + TAP_GUEST + "/24" : "");
        PasstProcess passt = null;
        List<String> cmd;
        if (qemu) {
            String netdev;
            if (tap) {
                netdev = "tap,id=n0,ifname=tap0,script=no,downscript=no";
            } else {
                passt = startPasstForQemu();
                netdev = "stream,id=n0,server=off,addr.type=unix,addr.path=" + passt.socket();
            }
            cmd = List.of("qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a57", "-m", "512M", "-nographic",
                    "-no-reboot", "-kernel", kernel.toString(), "-initrd", initrd.toString(), "-append", append + " panic=-1",
                    "-netdev", netdev, "-device", "virtio-net-device,netdev=n0");
        } else {
            String net = tap ? "tap:tap0" : "user,hostfwd=udp::" + UDP_PORT + "-:" + UDP_PORT;
            List<String> args = new ArrayList<>(List.of("boot", "--quiet", "--kernel", kernel.toString(), "--initrd", initrd.toString(),
                    "--append", append + (behindSmmu ? " iommu.strict=1" : ""), "--net", net, "--timeout", "1200s"));
            if (behindSmmu) {
                args.addAll(List.of("--iommu", "smmuv3"));
            }
            cmd = ChildAarvark.command(args);
        }
        String who = qemu ? "QEMU" : behindSmmu ? "aarvark-smmuv3" : "aarvark";
        try (GuestConsole guest = new GuestConsole(who, cmd)) {
            guest.await(PROMPT, 180);
            String host;
            if (tap) {
                host = TAP_HOST;
            } else {
                // The shell image asks for an address by DHCP in the background; the gateway is the host.
                guest.type("n=0; until ip route | grep -q default || [ $n -ge 100 ]; do sleep 0.2; n=$((n+1)); done;"
                        + " ip route | awk '/^default/ {print \"GW=\" $3 \"=\"}'");
                host = guest.await("GW=([0-9.]+)=", 60).group(1);
            }
            InetAddress bind = InetAddress.getByName(tap ? TAP_HOST : "127.0.0.1");
            double toHost = measured(backend, who, "guest->host", () -> toHost(guest, who, host, bind));
            double toGuest = measured(backend, who, "host->guest", () -> toGuest(guest, who, host, bind));
            double pps = small(guest, tap ? new InetSocketAddress(TAP_GUEST, UDP_PORT) : new InetSocketAddress(bind, UDP_PORT), bind);
            if (passt != null) {
                passt.expectExit();
            }
            guest.powerOff();
            if (!quiet) {
                System.out.printf("  %s %s: %.1f MB/s to host, %.1f MB/s to guest, %.0f small frames/s%n", backend, who, toHost, toGuest, pps);
            }
            return new Figures(toHost, toGuest, pps);
        } finally {
            if (passt != null) {
                passt.close();
            }
        }
    }

    private interface Measurement {
        double run() throws Exception;
    }

    /**
     * One figure, or NaN with the reason printed when the data did not arrive whole (the row is
     * then not comparable; the benchmark goes on with the next).
     */
    private static double measured(String backend, String who, String what, Measurement m) throws Exception {
        try {
            return m.run();
        } catch (IllegalStateException e) {
            System.out.printf("  %s %s %s: no figure: %s%n", backend, who, what, e.getMessage());
            return Double.NaN;
        }
    }

    /** Guest to host: returns MB/s by the guest's clock after checking count and SHA-256 on the host. */
    private double toHost(GuestConsole guest, String who, String host, InetAddress bind) throws Exception {
        long bytes = (long) mib << 20;
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(bind, SINK_PORT));
        var received = NetBenchPeer.sink(server, bytes, 600_000);
        // The guest never ends its side first: nc reads a FIFO the shell holds open, so the
        // connection ends when the host has every byte and closes. (passt 0.0~git20230309 loses
        // the tail of a stream when the guest's FIN comes while data is still buffered, with
        // QEMU as with aarvark.)
        guest.type("rm -f /tmp/tx.fifo; mkfifo /tmp/tx.fifo; nc " + host + " " + SINK_PORT + " < /tmp/tx.fifo & exec 3>/tmp/tx.fifo;"
                + " a=$(cut -d' ' -f1 /proc/uptime); dd if=/dev/zero bs=64k count=" + (mib * 16) + " 2>/dev/null >&3; wait $!;"
                + " b=$(cut -d' ' -f1 /proc/uptime); exec 3>&-; echo TX-TIMES $a $b");
        Matcher m = guest.await("TX-TIMES ([0-9.]+) ([0-9.]+)", 1200);
        NetBenchPeer.Received r;
        try {
            r = received.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(who + ": " + e.getCause().getMessage(), e);
        }
        if (r.bytes() != bytes || !r.sha256().equals(NetBenchPeer.zerosSha256(bytes))) {
            throw new IllegalStateException("the connection ended after " + r.bytes() + " of " + bytes + " bytes"
                    + (r.bytes() == bytes ? " with a wrong SHA-256 " + r.sha256() : ""));
        }
        return bytes / (Double.parseDouble(m.group(2)) - Double.parseDouble(m.group(1))) / 1e6;
    }

    /** Host to guest: returns MB/s by the guest's clock after checking the guest's SHA-256. */
    private double toGuest(GuestConsole guest, String who, String host, InetAddress bind) throws Exception {
        long bytes = (long) mib << 20;
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(bind, SOURCE_PORT));
        var sent = NetBenchPeer.source(server, bytes, 42, 600_000);
        guest.type("a=$(cut -d' ' -f1 /proc/uptime); nc " + host + " " + SOURCE_PORT
                + " | sha256sum > /tmp/rx.sum; b=$(cut -d' ' -f1 /proc/uptime); echo RX-TIMES $a $b $(cut -c1-64 /tmp/rx.sum)");
        Matcher m = guest.await("RX-TIMES ([0-9.]+) ([0-9.]+) ([0-9a-f]{64})", 1200);
        String want;
        try {
            want = sent.get(60, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(who + ": " + e.getCause().getMessage(), e);
        }
        if (!want.equals(m.group(3))) {
            throw new IllegalStateException(who + ": the guest's SHA-256 of the " + bytes + " bytes is " + m.group(3)
                    + ", the host sent " + want);
        }
        return bytes / (Double.parseDouble(m.group(2)) - Double.parseDouble(m.group(1))) / 1e6;
    }

    /**
     * Host floods small datagrams for {@code smallSeconds}; returns the frames per second the
     * guest's eth0 received meanwhile (its kernel's rx_packets: busybox has no UDP receiver).
     */
    private double small(GuestConsole guest, InetSocketAddress target, InetAddress from) throws Exception {
        String count = "cat /sys/class/net/eth0/statistics/rx_packets";
        guest.type("echo RXP-$(" + count + ")-BEFORE");
        long before = Long.parseLong(guest.await("RXP-(\\d+)-BEFORE", 30).group(1));
        NetBenchPeer.sendSmallDatagrams(target, from, smallSeconds * 1000L);
        Thread.sleep(1000);     // what is still queued for the guest arrives
        guest.type("echo RXP-$(" + count + ")-AFTER");
        long after = Long.parseLong(guest.await("RXP-(\\d+)-AFTER", 60).group(1));
        return (after - before) / (double) smallSeconds;
    }

    /** passt for QEMU: the same {@link PasstProcess} (and options) aarvark's --net user starts, with the UDP forward. */
    private static PasstProcess startPasstForQemu() {
        return PasstProcess.start("passt", List.of(new PortForward(true, PortForward.DEFAULT_HOST, UDP_PORT, UDP_PORT)), "user (for QEMU)");
    }
}
