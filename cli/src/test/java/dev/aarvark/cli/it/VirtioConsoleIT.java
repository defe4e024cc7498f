package dev.aarvark.cli.it;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The multiport virtio-console with Debian's Linux, on the modern and the legacy virtio-mmio
 * transport: named ports appear with their names, guest data reaches a host file intact, host data
 * reaches the guest through a Unix socket, and /dev/hvc0 carries a shell reachable from a socket.
 */
class VirtioConsoleIT {
    private static final String PROMPT = "aarvark:~# ";

    @TempDir
    Path dir;

    private static SocketChannel connect(Path sock) throws Exception {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (true) {
            SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
            try {
                c.connect(UnixDomainSocketAddress.of(sock));
                return c;
            } catch (java.io.IOException e) {
                c.close();
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    @ParameterizedTest(name = "named ports, guest->host file and host->guest socket (virtio-mmio version {0})")
    @ValueSource(strings = {"2", "1"})
    void namedPortsCarryDataBothWays(String version) throws Exception {
        Path out = dir.resolve("port.out");
        Path sock = dir.resolve("in.sock");
        int mib = version.equals("2") ? 64 : 8;
        try (Interactive vm = new Interactive("boot", "--virtio-version", version, "--kernel", Interactive.linux("Image").toString(),
                "--initrd", Interactive.linux("initramfs-shell.cpio.gz").toString(), "--append", "console=ttyAMA0",
                "--virtio-console", "--port", "org.aarvark.out=file:" + out, "--port", "org.aarvark.in=unix:" + sock,
                "--timeout", "300s");
             SocketChannel host = connect(sock)) {
            vm.await(PROMPT, 120);
            vm.type("cat /sys/class/virtio-ports/*/name");
            vm.await("org\\.aarvark\\.out\\s+org\\.aarvark\\.in", 20);

            vm.type("head -c " + (mib << 20) + " /dev/urandom > /tmp/x; md5sum /tmp/x; cat /tmp/x > /dev/vport0p1; echo WROTE-$?");
            Matcher sum = vm.await("([0-9a-f]{32})  /tmp/x", 240);
            vm.await("WROTE-0", 240);
            // The file is written by its own writer thread: the last bytes may land just after.
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (Files.size(out) < (mib << 20) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertEquals(mib << 20, Files.size(out), "every byte arrived");
            assertEquals(sum.group(1), md5(out), "and intact");

            vm.type("head -c 11 /dev/vport0p2 | tr a-z A-Z; echo; echo READ-DONE");
            Thread.sleep(1000);
            host.write(ByteBuffer.wrap("from-host!\n".getBytes(StandardCharsets.UTF_8)));
            vm.await("FROM-HOST!", 30);
            vm.await("READ-DONE", 30);

            vm.type("echo to-the-host > /dev/vport0p2");
            ByteBuffer got = ByteBuffer.allocate(12);
            host.configureBlocking(true);
            while (got.hasRemaining()) {
                if (host.read(got) < 0) {
                    break;
                }
            }
            assertEquals("to-the-host\n", new String(got.array(), StandardCharsets.UTF_8));
            vm.type("poweroff -f");
            assertEquals(0, vm.waitForExit(60), vm.console());
        }
    }

    @Test
    void aGuestFloodingAPortWhoseHostDoesNotReadIsHeldBackWithBoundedHostMemory() throws Exception {
        Path sock = dir.resolve("slow.sock");
        try (Interactive vm = new Interactive("boot", "--kernel", Interactive.linux("Image").toString(),
                "--initrd", Interactive.linux("initramfs-shell.cpio.gz").toString(), "--append", "console=ttyAMA0",
                "--port", "org.aarvark.slow=unix:" + sock, "--timeout", "120s");
             SocketChannel neverReads = connect(sock)) {
            vm.await(PROMPT, 120);
            vm.type("dd if=/dev/zero of=/dev/vport0p1 bs=64k count=16384 2>/tmp/dd.log & echo FLOODING");
            vm.await("FLOODING", 20);
            Thread.sleep(5000);
            long before = vm.rssKib();
            Thread.sleep(5000);
            long after = vm.rssKib();
            assertTrue(after - before < 32 * 1024, "host memory grew by " + (after - before) + " KiB while the guest flooded");
            vm.type("cat /tmp/dd.log; jobs; echo JOBS-DONE");
            String console = vm.await("JOBS-DONE", 20).group();
            assertTrue(!vm.console().contains("copied"), "dd cannot finish a 1 GiB write the host never reads: " + console);
            vm.type("poweroff -f");
            assertEquals(0, vm.waitForExit(60), vm.console());
        }
    }

    @Test
    void aFileBackendOnAPipeNobodyReadsStopsNeitherTheGuestsUartNorItsTimer() throws Exception {
        Path fifo = dir.resolve("nobody-reads.fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor());
        try (Interactive vm = new Interactive("boot", "--kernel", Interactive.linux("Image").toString(),
                "--initrd", Interactive.linux("initramfs-shell.cpio.gz").toString(), "--append", "console=ttyAMA0",
                "--port", "org.aarvark.stuck=file:" + fifo, "--timeout", "120s")) {
            vm.await(PROMPT, 120);
            vm.type("dd if=/dev/zero of=/dev/vport0p1 bs=64k count=16384 2>/tmp/dd.log & echo FLOODING");
            vm.await("FLOODING", 20);
            Thread.sleep(3000);
            long before = vm.rssKib();
            // The UART answers and the timer fires (sleep) while the port's output waits.
            for (int i = 0; i < 3; i++) {
                vm.type("sleep 1; echo ALIVE-$((40+" + i + "))");
                vm.await("ALIVE-4" + i, 30);
            }
            long after = vm.rssKib();
            assertTrue(after - before < 32 * 1024, "host memory grew by " + (after - before) + " KiB while output waited");
            vm.type("cat /tmp/dd.log; echo DD-CHECKED");
            vm.await("DD-CHECKED", 20);
            assertTrue(!vm.console().contains("copied"), "dd cannot finish a 1 GiB write nobody reads");
            vm.type("poweroff -f");
            // Closing waits a bounded time for the pipe, then says what it could not write.
            assertEquals(0, vm.waitForExit(60), vm.console());
        }
    }

    @Test
    void hvc0CarriesAShellReachableFromAHostSocket() throws Exception {
        Path sock = dir.resolve("hvc.sock");
        try (Interactive vm = new Interactive("boot", "--kernel", Interactive.linux("Image").toString(),
                "--initrd", Interactive.linux("initramfs-shell.cpio.gz").toString(), "--append", "console=ttyAMA0",
                "--hvc", "unix:" + sock, "--timeout", "120s");
             SocketChannel host = connect(sock)) {
            vm.await("a second shell runs on /dev/hvc0", 120);
            host.write(ByteBuffer.wrap("echo via-hvc-$((40+2)) $(tty)\n".getBytes(StandardCharsets.UTF_8)));
            String seen = readUntil(Channels.newInputStream(host), "via-hvc-42 /dev/hvc0", 30);
            assertTrue(seen.contains("via-hvc-42 /dev/hvc0"), seen);
            vm.await(PROMPT, 30);
            vm.type("poweroff -f");
            assertEquals(0, vm.waitForExit(60), vm.console());
        }
    }

    @Test
    void theSmokeChecksWriteToHvc0WhoseHostSideIsAFile() throws Exception {
        Path out = dir.resolve("hvc0.out");
        Aarvark.Run r = Aarvark.run(120, "boot", "--kernel", Interactive.linux("Image").toString(),
                "--initrd", Interactive.linux("initramfs-smoke.cpio.gz").toString(), "--append", "console=ttyAMA0 panic=-1",
                "--hvc", "file:" + out, "--expect", "GUEST-CHECKS-DONE", "--timeout", "90s");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.stdout().contains("virtio0(id=3,virtio_console)"), r.toString());
        // hvc0 is a tty: its line discipline turns \n into \r\n (onlcr), as on QEMU.
        assertEquals("hello from the aarvark guest on hvc0\r\n", Files.readString(out));
    }

    private static String readUntil(InputStream in, String text, int seconds) throws Exception {
        StringBuilder sb = new StringBuilder();
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        byte[] b = new byte[4096];
        while (!sb.toString().contains(text) && System.nanoTime() < deadline) {
            int n = in.read(b);
            if (n < 0) {
                break;
            }
            sb.append(new String(b, 0, n, StandardCharsets.UTF_8));
        }
        return sb.toString();
    }

    private static String md5(Path f) throws Exception {
        MessageDigest md = MessageDigest.getInstance("MD5");
        try (InputStream in = Files.newInputStream(f)) {
            byte[] b = new byte[1 << 16];
            for (int n; (n = in.read(b)) > 0; ) {
                md.update(b, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
