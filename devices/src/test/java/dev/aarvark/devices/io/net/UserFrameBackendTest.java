package dev.aarvark.devices.io.net;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link UserFrameBackend} and {@link PasstProcess}: passt's command line, its lifetime, its failures as one line. */
class UserFrameBackendTest {
    private static boolean havePasst() {
        return Optional.ofNullable(System.getenv("PATH")).stream().flatMap(p -> java.util.Arrays.stream(p.split(":")))
                .anyMatch(d -> Files.isExecutable(java.nio.file.Path.of(d, "passt")));
    }

    @Test
    void passtIsToldTheSocketNoDnsAndEachForward() {
        List<String> cmd = PasstProcess.command("passt", java.nio.file.Path.of("/d/passt.sock"), List.of(
                new PortForward(false, "127.0.0.1", 8080, 80), new PortForward(true, "0.0.0.0", 5353, 53)));
        assertEquals(List.of("passt", "--foreground", "--quiet", "--one-off", "--socket", "/d/passt.sock",
                "--no-dhcp-dns", "--no-dhcp-search", "-t", "127.0.0.1/8080:80", "-u", "0.0.0.0/5353:53"), cmd);
    }

    @Test
    void aPasstThatIsNotThereIsOneLineSayingWhichPackage() throws Exception {
        try (VcpuHarness h = new VcpuHarness()) {
            NetBackendException e = assertThrows(NetBackendException.class,
                    () -> UserFrameBackend.open(h.io, "/nonexistent/passt", List.of()));
            assertEquals("user", e.backend());
            assertTrue(e.reason().startsWith("cannot start /nonexistent/passt ("), e.reason());
            assertTrue(e.reason().contains("passt package"), e.reason());
            assertFalse(e.getMessage().contains("\n"));
        }
    }

    @Test
    void aForwardOnAPortInUseIsPasstsOwnLine() throws Exception {
        Assumptions.assumeTrue(havePasst(), "passt is not installed (scripts/setup.sh installs it)");
        try (VcpuHarness h = new VcpuHarness();
             ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            List<PortForward> f = List.of(new PortForward(false, "127.0.0.1", taken.getLocalPort(), 80));
            NetBackendException e = assertThrows(NetBackendException.class, () -> UserFrameBackend.open(h.io, "passt", f));
            assertEquals("user,hostfwd=tcp:127.0.0.1:" + taken.getLocalPort() + "-:80", e.backend());
            assertTrue(e.reason().startsWith("passt exited with status "), e.reason());
            assertTrue(e.reason().contains("Failed to bind"), e.reason());
        }
    }

    @Test
    void passtComesUpWithTheLinkAndLeavesNothingBehindWhenClosed() throws Exception {
        Assumptions.assumeTrue(havePasst(), "passt is not installed (scripts/setup.sh installs it)");
        try (VcpuHarness h = new VcpuHarness()) {
            UserFrameBackend user = UserFrameBackend.open(h.io, "passt", List.of());
            long pid = user.passt().pid();
            java.nio.file.Path dir = user.passt().socket().getParent();
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "passt runs");
            List<Boolean> links = new java.util.concurrent.CopyOnWriteArrayList<>();
            h.run(() -> user.start(new FrameBackend.Listener() {
                @Override
                public void received(byte[] frame) {
                }

                @Override
                public void writable() {
                }

                @Override
                public void linkChanged(boolean up) {
                    links.add(up);
                }
            }));
            for (int i = 0; i < 100 && links.isEmpty(); i++) {
                Thread.sleep(20);
            }
            assertEquals(List.of(true), links, "connected to passt: link up");
            h.run(user::close);
            for (int i = 0; i < 100 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false); i++) {
                Thread.sleep(20);
            }
            assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "passt is gone");
            assertFalse(Files.exists(dir), "its directory is gone");
        }
    }
}
