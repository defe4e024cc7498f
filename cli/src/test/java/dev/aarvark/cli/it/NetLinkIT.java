package dev.aarvark.cli.it;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A Linux guest's NIC on a {@code stream:listen=unix:} socket whose peer is this test, speaking
 * QEMU's stream framing (a 4-byte big-endian length, then the frame): the guest sees the carrier
 * follow the peer (virtio 1.2 §5.1.4 VIRTIO_NET_S_LINK_UP with a configuration-change interrupt),
 * answers ARP whenever the peer is there, and a peer that floods a guest which takes no frames is
 * held back by the socket: the emulator's memory stays flat and the guest stays responsive.
 */
class NetLinkIT {
    private static final String PROMPT = "aarvark:~# ";
    private static final byte[] PEER_MAC = {2, 0, 0, 0, 0, 9};
    /** QEMU's first NIC address, which aarvark gives too. */
    private static final byte[] GUEST_MAC = {0x52, 0x54, 0, 0x12, 0x34, 0x56};
    private static final byte[] PEER_IP = {10, 0, 3, 9};
    private static final byte[] GUEST_IP = {10, 0, 3, 1};

    @TempDir
    Path dir;

    private Interactive boot(Path sock) throws Exception {
        Interactive vm = new Interactive("boot", "--debug", "--kernel", Interactive.linux("Image").toString(),
                "--initrd", Interactive.linux("initramfs-shell.cpio.gz").toString(),
                "--append", "console=ttyAMA0 aarvark.ip=10.0.3.1/24", "--timeout", "200s",
                "--net", "stream:listen=unix:" + sock);
        for (int i = 0; i < 300 && !Files.exists(sock); i++) {
            Thread.sleep(100);
        }
        vm.await(PROMPT, 150);
        return vm;
    }

    private static SocketChannel connect(Path sock) throws IOException {
        SocketChannel c = SocketChannel.open(StandardProtocolFamily.UNIX);
        c.connect(UnixDomainSocketAddress.of(sock));
        return c;
    }

    /**
     * Waits until the guest's eth0 carrier reads {@code want}; returns the flags `ip link` shows a
     * moment later (the kernel's link watch updates the operational state up to a second after
     * the carrier changes).
     */
    private static String awaitCarrier(Interactive vm, int want) throws Exception {
        vm.type("n=0; until [ \"$(cat /sys/class/net/eth0/carrier)\" = " + want + " ] || [ $n -ge 100 ]; do sleep 0.1; n=$((n+1)); done;"
                + " echo CARRIER-$(cat /sys/class/net/eth0/carrier)-NOW; sleep 1.5; ip link show eth0");
        Matcher m = vm.await("CARRIER-(\\d)-NOW", 30);
        assertEquals(String.valueOf(want), m.group(1), "carrier: " + vm.console());
        return vm.await("eth0: <[^>]*>", 10).group();
    }

    /** An ARP request "who has 10.0.3.1? tell 10.0.3.9", padded to the 60-byte minimum, framed. */
    private static ByteBuffer arpRequest() {
        ByteBuffer f = ByteBuffer.allocate(4 + 60);
        f.putInt(60);
        f.put(new byte[] {-1, -1, -1, -1, -1, -1}).put(PEER_MAC).putShort((short) 0x0806);
        f.putShort((short) 1).putShort((short) 0x0800).put((byte) 6).put((byte) 4).putShort((short) 1);
        f.put(PEER_MAC).put(PEER_IP).put(new byte[6]).put(GUEST_IP);
        return f.position(0);
    }

    /** Sends an ARP request and reads frames until the guest's reply to it (bounded by 200 frames). */
    private static void guestAnswersArp(SocketChannel c) throws IOException {
        ByteBuffer req = arpRequest();
        while (req.hasRemaining()) {
            c.write(req);
        }
        for (int i = 0; i < 200; i++) {
            ByteBuffer len = read(c, 4);
            ByteBuffer frame = read(c, len.getInt(0));
            if (frame.limit() >= 42 && frame.getShort(12) == 0x0806 && frame.getShort(20) == 2
                    && frame.get(28) == 10 && frame.get(29) == 0 && frame.get(30) == 3 && frame.get(31) == 1) {
                byte[] target = new byte[6];
                frame.get(0, target);
                assertEquals(java.util.HexFormat.of().formatHex(PEER_MAC), java.util.HexFormat.of().formatHex(target),
                        "the reply is addressed to the peer");
                return;
            }
        }
        throw new AssertionError("no ARP reply from the guest in 200 frames");
    }

    private static ByteBuffer read(SocketChannel c, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n);
        while (b.hasRemaining()) {
            if (c.read(b) < 0) {
                throw new IOException("the emulator closed the socket");
            }
        }
        return b.flip();
    }

    @Test
    void theCarrierFollowsThePeerAndTrafficResumesWhenItComesBack() throws Exception {
        Path sock = dir.resolve("link.sock");
        try (Interactive vm = boot(sock)) {
            assertTrue(awaitCarrier(vm, 0).contains("NO-CARRIER"), "no peer yet, no carrier: " + vm.console());
            try (SocketChannel peer = connect(sock)) {
                assertTrue(awaitCarrier(vm, 1).contains("LOWER_UP"), vm.console());
                guestAnswersArp(peer);
            }
            assertTrue(awaitCarrier(vm, 0).contains("NO-CARRIER"), "the peer left: " + vm.console());
            try (SocketChannel peer = connect(sock)) {
                assertTrue(awaitCarrier(vm, 1).contains("LOWER_UP"), vm.console());
                guestAnswersArp(peer);
            }
            vm.type("poweroff -f");
            assertEquals(0, vm.waitForExit(60), vm.console());
        }
    }

    @Test
    void aPeerFloodingAGuestThatTakesNoFramesIsHeldBackAndMemoryStaysFlat() throws Exception {
        Path sock = dir.resolve("flood.sock");
        try (Interactive vm = boot(sock); SocketChannel peer = connect(sock)) {
            awaitCarrier(vm, 1);
            // Down, the driver stops taking frames; the buffers it posted fill and then none are left.
            vm.type("ip link set eth0 down; echo DOWNED-$((1+1))");
            vm.await("DOWNED-2", 20);
            long rssBefore = vm.rssKib();
            AtomicLong sent = new AtomicLong();
            Thread flooder = Thread.ofPlatform().daemon().start(() -> {
                ByteBuffer frame = ByteBuffer.allocate(4 + 1514);
                // To the guest's own address: the receive filter lets it through to the buffers.
                frame.putInt(1514).put(GUEST_MAC).put(PEER_MAC).putShort((short) 0x0800);
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        frame.position(0);
                        while (frame.hasRemaining()) {
                            peer.write(frame);
                        }
                        sent.incrementAndGet();
                    }
                } catch (IOException e) {
                    // The socket closed at the end of the test.
                }
            });
            // 20 s of flood; the guest answers throughout and the flood is held back.
            for (int i = 0; i < 10; i++) {
                Thread.sleep(2000);
                vm.type("echo ALIVE-$((100+" + i + "))");
                vm.await("ALIVE-" + (100 + i), 30);
            }
            long heldAt = sent.get();
            Thread.sleep(3000);
            long after = sent.get();
            long rssAfter = vm.rssKib();
            System.out.printf("NetLinkIT: flood of %d frames taken before the socket held, %d more in 3 s; RSS %d -> %d KiB%n",
                    heldAt, after - heldAt, rssBefore, rssAfter);
            assertTrue(after - heldAt < 1000, "the socket holds the flood back: " + heldAt + " -> " + after);
            assertTrue(rssAfter - rssBefore < 64 * 1024, "RSS " + rssBefore + " -> " + rssAfter + " KiB");
            flooder.interrupt();
            vm.type("poweroff -f");
            assertEquals(0, vm.waitForExit(60), vm.console());
            Matcher m = Pattern.compile("virtio-net@\\w+ \\S+ stream:listen=unix:\\S+: rx (\\d+) frames .* rx pauses (\\d+)")
                    .matcher(vm.stderr());
            assertTrue(m.find(), "the NIC's summary line: " + vm.stderr());
            assertTrue(Long.parseLong(m.group(2)) > 0, "the device paused the backend: " + m.group());
        }
    }
}
