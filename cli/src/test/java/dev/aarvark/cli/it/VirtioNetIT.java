package dev.aarvark.cli.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * virtio-net with real Linux guests: two aarvark machines wired to each other by QEMU's
 * {@code -netdev stream} framing over a Unix socket (one listens, one connects) ping each other;
 * and a network backend that cannot be set up is one line naming the flag, exit 3.
 */
class VirtioNetIT {
    @TempDir
    Path dir;

    private static CompletableFuture<Aarvark.Run> boot(String ip, String peer, String mac, String net) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return Aarvark.run(150, "boot", "--kernel", Interactive.linux("Image").toString(),
                        "--initrd", Interactive.linux("initramfs-smoke.cpio.gz").toString(),
                        "--append", "console=ttyAMA0 aarvark.ip=" + ip + "/24 aarvark.ping=" + peer,
                        "--net", net + ",mac=" + mac, "--timeout", "140s");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, task -> Thread.ofPlatform().daemon().start(task));   // not the common pool: both must run at once
    }

    @Test
    void twoGuestsOnAStreamSocketPingEachOther() throws Exception {
        String sock = dir.resolve("net.sock").toString();
        CompletableFuture<Aarvark.Run> a = boot("10.0.0.1", "10.0.0.2", "52:54:00:12:34:56", "stream:listen=unix:" + sock);
        // A connecting end needs its peer at start (as on QEMU): wait for the listener's socket.
        for (int i = 0; i < 300 && !java.nio.file.Files.exists(Path.of(sock)) && !a.isDone(); i++) {
            Thread.sleep(100);
        }
        CompletableFuture<Aarvark.Run> b = boot("10.0.0.2", "10.0.0.1", "52:54:00:12:34:57", "stream:connect=unix:" + sock);
        Aarvark.Run ra = a.get();
        Aarvark.Run rb = b.get();
        for (Aarvark.Run r : new Aarvark.Run[] {ra, rb}) {
            assertTrue(r.stdout().contains("virtio_net"), "the guest found its virtio-net card: " + r);
            assertTrue(r.stdout().contains("GUEST-CHECKS-DONE"), r.toString());
            assertEquals(0, r.status(), r.toString());
        }
        assertTrue(ra.stdout().contains("ping 10.0.0.2: ok"), ra.toString());
        assertTrue(rb.stdout().contains("ping 10.0.0.1: ok"), rb.toString());
        assertTrue(ra.stdout().contains("3 packets transmitted, 3 packets received"), ra.toString());
    }

    @Test
    void aStreamPeerThatIsNotThereIsOneLineNamingTheFlag() throws Exception {
        String sock = dir.resolve("nobody.sock").toString();
        Aarvark.Run r = Aarvark.run("boot", "--quiet", "--preempt", "count", "--kernel", Aarvark.guest("hello").toString(),
                "--net", "stream:connect=unix:" + sock);
        assertEquals(3, r.status(), r.toString());
        assertEquals(1, r.stderrLines().size(), r.toString());
        assertTrue(r.stderrLines().get(0).startsWith("aarvark: --net stream:connect=unix:" + sock + ": "), r.toString());
    }
}
