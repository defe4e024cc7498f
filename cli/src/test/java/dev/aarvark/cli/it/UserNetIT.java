package dev.aarvark.cli.it;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --net user}: user-mode networking through Debian's passt, as QEMU's {@code -nic user} is
 * used. A Linux guest gets its address by DHCP, fetches a page from an HTTP server this test runs
 * on the host's loopback (reached at the guest's gateway address), and a host client reaches the
 * guest's busybox httpd through {@code hostfwd}. passt lives exactly as long as aarvark: gone after
 * a power-off and after a SIGKILL. passt missing or a forward on a port in use is one line, exit 3.
 * Addresses only, never names: passt is told of no DNS server.
 */
class UserNetIT {
    private static final String PROMPT = "aarvark:~# ";

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static Interactive boot(String net) throws Exception {
        return new Interactive("boot", "--kernel", Interactive.linux("Image").toString(),
                "--initrd", Interactive.linux("initramfs-shell.cpio.gz").toString(), "--append", "console=ttyAMA0",
                "--timeout", "200s", "--net", net);
    }

    /** The passt processes below {@code vm}'s aarvark. */
    private static List<ProcessHandle> passts(Interactive vm) {
        List<ProcessHandle> out = new ArrayList<>();
        ProcessHandle.of(vm.pid()).ifPresent(h -> h.descendants()
                .filter(d -> d.info().command().map(c -> c.contains("passt")).orElse(false)).forEach(out::add));
        return out;
    }

    private static boolean gone(ProcessHandle h, int seconds) throws InterruptedException {
        for (int i = 0; i < seconds * 10 && h.isAlive(); i++) {
            Thread.sleep(100);
        }
        return !h.isAlive();
    }

    /** Waits for the guest's DHCP lease; returns its gateway. */
    private static String gateway(Interactive vm) throws Exception {
        vm.type("n=0; until ip route | grep -q default || [ $n -ge 150 ]; do sleep 0.2; n=$((n+1)); done;"
                + " ip -4 addr show eth0 | grep inet; ip route | awk '/^default/ {print \"GW=\" $3 \"=\"}'");
        return vm.await("GW=([0-9.]+)=", 60).group(1);
    }

    @Test
    void theGuestGetsAnAddressFetchesAHostPageAndServesOneThroughHostfwd() throws Exception {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        byte[] page = "a-page-from-the-host\n".getBytes(StandardCharsets.UTF_8);
        http.createContext("/page", x -> {
            x.sendResponseHeaders(200, page.length);
            x.getResponseBody().write(page);
            x.close();
        });
        http.start();
        int forwarded = freePort();
        try (Interactive vm = boot("user,hostfwd=tcp::" + forwarded + "-:8080")) {
            vm.await(PROMPT, 150);
            List<ProcessHandle> passt = passts(vm);
            assertEquals(1, passt.size(), "aarvark started one passt: " + passt);
            String gw = gateway(vm);
            assertTrue(vm.console().matches("(?s).*inet \\d+\\.\\d+\\.\\d+\\.\\d+/\\d+.*"), "an address by DHCP: " + vm.console());

            vm.type("wget -q -O - http://" + gw + ":" + http.getAddress().getPort() + "/page; echo WGET-$((1+1))");
            vm.await("a-page-from-the-host", 60);
            vm.await("WGET-2", 20);

            vm.type("mkdir -p /tmp/www; echo a-page-from-the-guest > /tmp/www/index.html; httpd -p 8080 -h /tmp/www; echo HTTPD-$((2+1))");
            vm.await("HTTPD-3", 20);
            String got = get(forwarded);
            assertTrue(got.contains("a-page-from-the-guest"), "through hostfwd: " + got);

            vm.type("poweroff -f");
            assertEquals(0, vm.waitForExit(60), vm.console());
            assertTrue(gone(passt.getFirst(), 5), "passt ended with aarvark");
        } finally {
            http.stop(0);
        }
    }

    /** A plain HTTP/1.0 GET of / on 127.0.0.1:{@code port}, retried while the guest's server starts. */
    private static String get(int port) throws Exception {
        Exception last = null;
        for (int i = 0; i < 20; i++) {
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
                s.setSoTimeout(10_000);
                s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                try (InputStream in = s.getInputStream()) {
                    String r = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                    if (!r.isEmpty()) {
                        return r;
                    }
                }
            } catch (java.io.IOException e) {
                last = e;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no answer through the forward", last);
    }

    @Test
    void anAarvarkKilledBySigkillLeavesNoPasst() throws Exception {
        ProcessHandle passt;
        try (Interactive vm = boot("user")) {
            vm.await(PROMPT, 150);
            List<ProcessHandle> p = passts(vm);
            assertEquals(1, p.size(), p.toString());
            passt = p.getFirst();
            ProcessHandle.of(vm.pid()).orElseThrow().destroyForcibly();     // SIGKILL: no cleanup runs
        }
        assertTrue(gone(passt, 10), "passt quit when its one client went away");
    }

    @Test
    void passtMissingOrAForwardOnAPortInUseIsOneLine() throws Exception {
        String k = Aarvark.guest("hello").toString();
        Result missing = run(Optional.of("/nonexistent/passt"), "--net", "user", "--kernel", k);
        assertEquals(3, missing.status, missing.err);
        assertEquals(1, missing.err.lines().count(), missing.err);
        assertTrue(missing.err.startsWith("aarvark: --net user: cannot start /nonexistent/passt ("), missing.err);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int port = taken.getLocalPort();
            String flag = "user,hostfwd=tcp::" + port + "-:80";
            Result inUse = run(Optional.empty(), "--net", flag, "--kernel", k);
            assertEquals(3, inUse.status, inUse.err);
            assertEquals(1, inUse.err.lines().count(), inUse.err);
            assertTrue(inUse.err.startsWith("aarvark: --net " + flag + ": passt exited with status 1: Failed to bind"), inUse.err);
        }
    }

    private record Result(int status, String err) {
    }

    private static Result run(Optional<String> passt, String... args) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xss4m",
                "-Daarvark.root=" + Aarvark.root(), "-jar", Aarvark.root().resolve("cli/target/aarvark.jar").toString(),
                "boot", "--quiet", "--semihosting"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        passt.ifPresent(p -> pb.environment().put("AARVARK_PASST", p));
        Process p = pb.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> {
            try {
                return new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
            } catch (java.io.IOException e) {
                return e.toString();
            }
        });
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "aarvark ended");
        return new Result(p.exitValue(), err.join());
    }
}
