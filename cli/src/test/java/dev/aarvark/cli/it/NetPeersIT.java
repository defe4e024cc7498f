package dev.aarvark.cli.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * virtio-net against real peers, Linux guests on both ends, driven through their shells: two
 * aarvark guests (one card modern, one legacy) and an aarvark guest with a QEMU 7.2 guest ({@code -netdev stream} and
 * {@code -netdev dgram} with {@code -device virtio-net-device}) ping each other and move 16 MiB
 * over TCP (busybox {@code nc}) with matching SHA-256 sums; a {@code pcap=} capture of the pings
 * has the ICMP requests and replies, as {@code tcpdump -r} reads it. QEMU being the far end proves
 * the framing: nothing here is a mock of either.
 */
class NetPeersIT {
    private static final String PROMPT = "aarvark:~# ";
    private static final int MIB = 16;

    @TempDir
    Path dir;

    private static String[] shellBoot(String ip, String... more) {
        return shellBootWith(ip, "", more);
    }

    /** {@link #shellBoot} with {@code append} added to the kernel command line. */
    private static String[] shellBootWith(String ip, String append, String... more) {
        List<String> args = new ArrayList<>(List.of("boot", "--kernel", Interactive.linux("Image").toString(),
                "--initrd", Interactive.linux("initramfs-shell.cpio.gz").toString(),
                "--append", "console=ttyAMA0 aarvark.ip=" + ip + "/24" + append, "--timeout", "280s"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    /** QEMU 7.2 booting the same kernel and shell initramfs with one virtio-net-device on {@code netdev}. */
    private static Interactive qemu(String ip, String mac, String netdev) throws IOException {
        return Interactive.program(List.of("qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a57", "-m", "512M",
                "-nographic", "-no-reboot", "-kernel", Interactive.linux("Image").toString(),
                "-initrd", Interactive.linux("initramfs-shell.cpio.gz").toString(),
                "-append", "console=ttyAMA0 panic=-1 aarvark.ip=" + ip + "/24",
                "-netdev", netdev + ",id=n0", "-device", "virtio-net-device,netdev=n0,mac=" + mac));
    }

    private static void awaitFile(Path p) throws InterruptedException {
        for (int i = 0; i < 300 && !Files.exists(p); i++) {
            Thread.sleep(100);
        }
        assertTrue(Files.exists(p), p + " did not appear");
    }

    /** Pings {@code peer} from {@code vm} until it answers (at most 30 s), then 3 more that must all come back. */
    private static void pings(Interactive vm, String peer) throws Exception {
        vm.type("n=0; until ping -c 1 -W 1 " + peer + " >/dev/null 2>&1 || [ $n -ge 30 ]; do n=$((n+1)); done;"
                + " ping -c 3 -W 2 " + peer + "; echo PINGED-$((10+1))");
        Matcher m = vm.await("(\\d+) packets transmitted, (\\d+) packets received", 90);
        assertEquals("3 3", m.group(1) + " " + m.group(2), vm.console());
        vm.await("PINGED-11", 20);
    }

    /**
     * {@code receiver} listens on TCP port 5001 and {@code sender} sends it 16 MiB of random bytes;
     * both print the SHA-256 of what they hold, which must match.
     */
    private static void transfer(Interactive sender, Interactive receiver, String receiverIp) throws Exception {
        receiver.type("nc -l -p 5001 > /tmp/r; sha256sum /tmp/r | sed 's/^/RECEIVED-/'; echo RECV-$((20+1))");
        Thread.sleep(2000);     // the listener is up well before the sender connects
        sender.type("dd if=/dev/urandom of=/tmp/d bs=1M count=" + MIB + " 2>/dev/null; sha256sum /tmp/d | sed 's/^/SENT-/';"
                + " nc " + receiverIp + " 5001 < /tmp/d; echo SEND-$((30+1))");
        Matcher sent = sender.await("SENT-([0-9a-f]{64})", 60);
        String sentSum = sent.group(1);
        long t0 = System.nanoTime();
        sender.await("SEND-31", 240);
        System.out.printf("NetPeersIT: %d MiB to %s in %.1f s, sha256 %s%n", MIB, receiverIp, (System.nanoTime() - t0) / 1e9, sentSum);
        Matcher got = receiver.await("RECEIVED-([0-9a-f]{64})", 60);
        receiver.await("RECV-21", 20);
        assertEquals(sentSum, got.group(1), "the 16 MiB arrived intact");
    }

    /** The VERSION_1 bit (32) of the features the guest's driver negotiated for eth0. */
    private static String version1(Interactive vm) throws Exception {
        vm.type("echo VERSION_1=$(cut -c33 /sys/class/net/eth0/device/features)");
        return vm.await("VERSION_1=(\\d)", 20).group(1);
    }

    private static void powerOff(Interactive vm) throws Exception {
        vm.type("poweroff -f");
        assertEquals(0, vm.waitForExit(60), vm.console());
    }

    @Test
    void twoAarvarkGuestsMove16MiBOverAStreamSocketWithMatchingChecksums() throws Exception {
        Path sock = dir.resolve("net.sock");
        try (Interactive a = new Interactive(shellBoot("10.0.0.1", "--net", "stream:listen=unix:" + sock + ",mac=52:54:00:12:34:56",
                "--debug"))) {
            awaitFile(sock);
            // The second card sits behind the legacy transport (virtio 1.2 §4.2.4): a legacy driver
            // without VERSION_1, talking to a modern one.
            try (Interactive b = new Interactive(shellBoot("10.0.0.2", "--virtio-version", "1", "--net", "stream:connect=unix:" + sock
                    + ",mac=52:54:00:12:34:57"))) {
                a.await(PROMPT, 150);
                b.await(PROMPT, 150);
                assertEquals("1", version1(a), "modern");
                assertEquals("0", version1(b), "legacy");
                pings(b, "10.0.0.1");
                transfer(b, a, "10.0.0.1");
                powerOff(b);
            }
            powerOff(a);
            // --debug: the run summary has the NIC's counters, which saw the 16 MiB arrive.
            Matcher m = java.util.regex.Pattern.compile("virtio-net@\\w+ 52:54:00:12:34:56 stream:listen=unix:\\S+: rx (\\d+) frames (\\d+) B")
                    .matcher(a.stderr());
            assertTrue(m.find(), "the NIC's summary line: " + a.stderr());
            assertTrue(Long.parseLong(m.group(2)) > (long) MIB << 20, m.group());
        }
    }

    @Test
    void twoAarvarkGuestsBehindTheSmmuInStrictModeMove16MiBIntact() throws Exception {
        Path sock = dir.resolve("smmu.sock");
        String strict = " iommu.strict=1";
        try (Interactive a = new Interactive(shellBootWith("10.0.2.1", strict, "--iommu", "smmuv3",
                "--net", "stream:listen=unix:" + sock + ",mac=52:54:00:12:34:56"))) {
            awaitFile(sock);
            try (Interactive b = new Interactive(shellBootWith("10.0.2.2", strict, "--iommu", "smmuv3",
                    "--net", "stream:connect=unix:" + sock + ",mac=52:54:00:12:34:57"))) {
                a.await(PROMPT, 150);
                b.await(PROMPT, 150);
                // Linux drives the card through the DMA API: VIRTIO_F_ACCESS_PLATFORM (bit 33) negotiated.
                b.type("echo ACCESS_PLATFORM=$(cut -c34 /sys/class/net/eth0/device/features)");
                assertEquals("1", b.await("ACCESS_PLATFORM=(\\d)", 20).group(1));
                pings(b, "10.0.2.1");
                transfer(b, a, "10.0.2.1");
                transfer(a, b, "10.0.2.2");
                powerOff(b);
                assertTrue(b.stderr().contains("smmuv3 at 0x9050000"), b.stderr());
                assertTrue(!b.stderr().contains("DMA fault") && !b.stderr().contains("guest error"), b.stderr());
            }
            powerOff(a);
            assertTrue(!a.stderr().contains("DMA fault") && !a.stderr().contains("guest error"), a.stderr());
        }
    }

    @Test
    void anAarvarkGuestAndAQemuGuestPingAndMove16MiBOverAStreamSocket() throws Exception {
        Path sock = dir.resolve("qemu.sock");
        try (Interactive q = qemu("10.0.1.2", "52:54:00:12:34:57",
                "stream,server=on,addr.type=unix,addr.path=" + sock)) {
            awaitFile(sock);
            try (Interactive a = new Interactive(shellBoot("10.0.1.1", "--net", "stream:connect=unix:" + sock))) {
                a.await(PROMPT, 150);
                q.await(PROMPT, 150);
                pings(a, "10.0.1.2");
                pings(q, "10.0.1.1");
                transfer(q, a, "10.0.1.1");     // QEMU sends: aarvark's receive path carries the bulk
                powerOff(a);
            }
            powerOff(q);
        }
    }

    @Test
    void anAarvarkGuestAndAQemuGuestPingOverDatagramsAndTheCaptureHasTheIcmp() throws Exception {
        int aarvarkPort = freeUdpPort();
        int qemuPort = freeUdpPort();
        Path pcap = dir.resolve("ping.pcap");
        try (Interactive q = qemu("10.0.2.2", "52:54:00:12:34:57", "dgram,local.type=inet,local.host=127.0.0.1,local.port=" + qemuPort
                + ",remote.type=inet,remote.host=127.0.0.1,remote.port=" + aarvarkPort);
             Interactive a = new Interactive(shellBoot("10.0.2.1", "--net", "dgram:local=127.0.0.1:" + aarvarkPort
                     + ",remote=127.0.0.1:" + qemuPort + ",pcap=" + pcap))) {
            a.await(PROMPT, 150);
            q.await(PROMPT, 150);
            pings(a, "10.0.2.2");
            pings(q, "10.0.2.1");
            powerOff(a);
            powerOff(q);
        }
        Process p = new ProcessBuilder("tcpdump", "-n", "-r", pcap.toString()).redirectErrorStream(true).start();
        String dump = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), dump);
        assertTrue(dump.contains("IP 10.0.2.1 > 10.0.2.2: ICMP echo request"), dump);
        assertTrue(dump.contains("IP 10.0.2.2 > 10.0.2.1: ICMP echo reply"), dump);
        assertTrue(dump.contains("IP 10.0.2.2 > 10.0.2.1: ICMP echo request"), dump);
        assertTrue(dump.contains("IP 10.0.2.1 > 10.0.2.2: ICMP echo reply"), dump);
    }

    private static int freeUdpPort() throws IOException {
        try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
