package dev.aarvark.cli.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --net tap:IFNAME}: the test makes a network namespace with a TAP in it (10.9.0.1/24),
 * runs aarvark inside it with a Linux guest at 10.9.0.2, pings the guest from the namespace, and
 * moves 16 MiB each way over TCP between the guest's busybox nc and a host peer process in the
 * namespace ({@link TcpPeer}), with matching SHA-256 sums. The card offers the checksum and
 * segmentation offloads (the TAP carries the virtio-net header), so the guest's TCP sends large
 * segments with partial checksums that the host kernel completes. Needs root; skipped otherwise.
 */
class TapNetIT {
    private static final String PROMPT = "aarvark:~# ";
    private final String ns = "aarvark-it-" + ProcessHandle.current().pid();

    private static String sh(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", cmd));
        assertEquals(0, p.exitValue(), String.join(" ", cmd) + ": " + out);
        return out;
    }

    @BeforeEach
    void namespace() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "TAP devices need root (CAP_NET_ADMIN)");
        sh("ip", "netns", "add", ns);
        sh("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
        sh("ip", "netns", "exec", ns, "ip", "tuntap", "add", "dev", "tap0", "mode", "tap");
        sh("ip", "netns", "exec", ns, "ip", "addr", "add", "10.9.0.1/24", "dev", "tap0");
        sh("ip", "netns", "exec", ns, "ip", "link", "set", "tap0", "up");
    }

    @AfterEach
    void removeNamespace() throws Exception {
        if ("root".equals(System.getProperty("user.name"))) {
            new ProcessBuilder("ip", "netns", "del", ns).start().waitFor(30, TimeUnit.SECONDS);
        }
    }

    private List<String> inNamespace(List<String> cmd) {
        List<String> all = new ArrayList<>(List.of("ip", "netns", "exec", ns));
        all.addAll(cmd);
        return all;
    }

    private List<String> java(String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xss4m"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    /** A {@link TcpPeer} in the namespace, once it listens. */
    private Interactive peer(String... args) throws Exception {
        List<String> a = new ArrayList<>(List.of("-cp", Aarvark.root().resolve("cli/target/test-classes").toString(),
                TcpPeer.class.getName()));
        a.addAll(List.of(args));
        Interactive p = Interactive.program(inNamespace(java(a.toArray(String[]::new))));
        p.await("LISTENING", 30);
        return p;
    }

    @Test
    void aGuestOnATapInANamespaceAnswersPingsAndMoves16MiBEachWay() throws Exception {
        long bytes = 16L << 20;
        List<String> boot = java("-Daarvark.root=" + Aarvark.root(), "-jar", Aarvark.root().resolve("cli/target/aarvark.jar").toString(),
                "boot", "--debug", "--kernel", Interactive.linux("Image").toString(),
                "--initrd", Interactive.linux("initramfs-shell.cpio.gz").toString(),
                "--append", "console=ttyAMA0 aarvark.ip=10.9.0.2/24", "--timeout", "200s", "--net", "tap:tap0");
        try (Interactive vm = Interactive.program(inNamespace(boot))) {
            vm.await(PROMPT, 150);
            vm.type("echo CSUM=$(cut -c1 /sys/class/net/eth0/device/features)-TSO4=$(cut -c12 /sys/class/net/eth0/device/features)");
            Matcher f = vm.await("CSUM=(\\d)-TSO4=(\\d)", 20);
            assertEquals("1 1", f.group(1) + " " + f.group(2), "the offloads a vnet-header TAP carries are negotiated");

            String ping = sh("ip", "netns", "exec", ns, "ping", "-c", "3", "-W", "5", "10.9.0.2");
            assertTrue(ping.contains("3 packets transmitted, 3 received"), ping);

            try (Interactive sink = peer("sink", "10.9.0.1", "5001")) {
                vm.type("dd if=/dev/urandom of=/tmp/d bs=1M count=16 2>/dev/null; sha256sum /tmp/d | sed 's/^/SENT-/';"
                        + " nc 10.9.0.1 5001 < /tmp/d; echo SEND-$((30+1))");
                String sent = vm.await("SENT-([0-9a-f]{64})", 60).group(1);
                vm.await("SEND-31", 120);
                Matcher got = sink.await("SINK (\\d+) ([0-9a-f]{64})", 60);
                assertEquals(bytes + " " + sent, got.group(1) + " " + got.group(2), "guest to host");
            }
            try (Interactive source = peer("source", "10.9.0.1", "5002", Long.toString(bytes), "7")) {
                vm.type("nc 10.9.0.1 5002 | sha256sum | sed 's/^/RECEIVED-/'; echo RECV-$((20+1))");
                String received = vm.await("RECEIVED-([0-9a-f]{64})", 120).group(1);
                String sent = source.await("SOURCE ([0-9a-f]{64})", 60).group(1);
                assertEquals(sent, received, "host to guest");
            }
            vm.type("poweroff -f");
            assertEquals(0, vm.waitForExit(60), vm.console());
            Matcher rx = Pattern.compile("virtio-net@\\w+ 52:54:00:12:34:56 tap:tap0: rx (\\d+) frames (\\d+) B").matcher(vm.stderr());
            assertTrue(rx.find(), vm.stderr());
            assertTrue(vm.stderr().matches("(?s).*tap:tap0: TUNSETOFFLOAD 0x[01]f.*"),
                    "the TAP's receive offloads follow the driver's (CSUM, TSO4, TSO6, ECN and UFO if the kernel has it): " + vm.stderr());
            assertTrue(Long.parseLong(rx.group(2)) >= bytes,
                    "the receive counter holds at least the 16 MiB the guest took: " + rx.group(0));
        }
    }

    @Test
    void withoutCapNetAdminATapIsOneLineAndExitStatus3() throws Exception {
        List<String> cmd = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"));
        cmd.addAll(java("-Daarvark.root=" + Aarvark.root(), "-Xshare:off", "-jar", Aarvark.root().resolve("cli/target/aarvark.jar").toString(),
                "boot", "--quiet", "--semihosting", "--kernel", Aarvark.guest("hello").toString(), "--net", "tap:tap0"));
        Process p = new ProcessBuilder(inNamespace(cmd)).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(3, p.exitValue(), err);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("aarvark: --net tap:tap0: cannot open /dev/net/tun (permission denied): a TAP needs CAP_NET_ADMIN")
                || err.startsWith("aarvark: --net tap:tap0: cannot attach to TAP tap0 (operation not permitted): a TAP needs CAP_NET_ADMIN"), err);
    }
}
