package dev.aarvark.cli.it;

import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The host DMA policy (issue 11 §3, §4) against a bare-metal driver that hands its virtio-net a
 * receive buffer outside its DMA frame (guest-images/baremetal/c/virtio-net-rx-stray.c: rings at
 * 0x40300000, the buffer on a canary frame at 0x40310000). The test is the dgram peer and sends one
 * frame once the guest is ready; the guest prints what the device did and whether the canary
 * survived.
 */
class DmaPolicyIT {
    private static final String WINDOW = "virtio-net0=0x40300000+64K";
    private static final Pattern RESULT = Pattern.compile("virtio-net-rx-stray: used=(\\d+) len=(\\d+) status=(0x[0-9a-f]+) canary=(\\w+)");
    private static final Pattern DMA_LINE = Pattern.compile("(?m)^WARN DMA fault: .*$");

    private record Outcome(int status, String console, String stderr, Matcher result, List<String> dmaLines) {
        String canary() {
            return result.group(4);
        }
    }

    /** Boots the guest with {@code flags}, sends one 64-byte frame when it is ready, waits for the end. */
    private static Outcome run(String... flags) throws Exception {
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int guestPort;
            try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                guestPort = probe.getLocalPort();
            }
            List<String> args = new ArrayList<>(List.of("boot", "--semihosting", "--kernel", Aarvark.guest("virtio-net-rx-stray").toString(),
                    "--net", "dgram:local=127.0.0.1:" + guestPort + ",remote=127.0.0.1:" + peer.getLocalPort(), "--timeout", "60s"));
            args.addAll(List.of(flags));
            try (Interactive vm = new Interactive(args.toArray(String[]::new))) {
                vm.await("virtio-net-rx-stray: ready", 30);
                byte[] frame = new byte[64];
                java.util.Arrays.fill(frame, 0, 6, (byte) 0xff);                     // broadcast
                System.arraycopy(new byte[] {0x52, 0x54, 0, 0, 0, 1, 0x08, 0x06}, 0, frame, 6, 8); // source, ARP
                peer.send(new DatagramPacket(frame, frame.length, InetAddress.getLoopbackAddress(), guestPort));
                int status = vm.waitForExit(60);
                Matcher m = RESULT.matcher(vm.console());
                boolean printed = m.find();
                List<String> dma = DMA_LINE.matcher(vm.stderr()).results().map(r -> r.group()).toList();
                return new Outcome(status, vm.console(), vm.stderr(), printed ? m : null, dma);
            }
        }
    }

    @Test
    void withoutAPolicyTheFrameLandsOnTheCanaryAsOnQemu() throws Exception {
        Outcome o = run();
        assertEquals(0, o.status(), o.stderr());
        assertEquals("overwritten", o.canary(), o.console());
        assertEquals("76", o.result().group(2), "12-byte header and the 64-byte frame");
        assertTrue(o.dmaLines().isEmpty(), o.stderr());
    }

    @Test
    void strictRefusesTheWriteOutsideTheWindowAndTheDeviceNeedsAReset() throws Exception {
        Outcome o = run("--dma-policy", "strict", "--dma-window", WINDOW);
        assertEquals(0, o.status(), o.stderr());
        assertEquals("intact", o.canary(), o.console());
        assertEquals("1", o.result().group(1));
        assertEquals("0", o.result().group(2), "the chain goes back with nothing written");
        assertEquals(0x40, Integer.decode(o.result().group(3)) & 0x40, "DEVICE_NEEDS_RESET: " + o.console());
        assertEquals(List.of("WARN DMA fault: virtio-net@a003e00 queue 0 descriptor 0 buffer: DMA write of 12 bytes at 0x40310000 "
                + "refused: outside the DMA windows (virtio-net0 may use [0x40300000, 0x40310000) rw)"), o.dmaLines(), o.stderr());
        assertTrue(o.stderr().contains("DMA faults: virtio-net0 (virtio-net@a003e00) 1; exit status 0"), o.stderr());
    }

    @Test
    void strictWithFailOnDmaFaultEndsTheRunWithStatusOneAtTheFault() throws Exception {
        Outcome o = run("--dma-policy", "strict", "--dma-window", WINDOW, "--fail-on-dma-fault");
        assertEquals(1, o.status(), o.stderr());
        assertEquals(1, o.dmaLines().size(), o.stderr());
        assertTrue(o.stderr().contains("dma fault after"), o.stderr());
        assertTrue(o.stderr().contains("DMA faults: virtio-net0 (virtio-net@a003e00) 1; exit status 1"), o.stderr());
        assertFalse(o.console().contains("canary="), "the run ended at the fault, before the guest looked: " + o.console());
    }

    @Test
    void permissiveLetsTheWriteHappenAndRecordsWhoDidIt() throws Exception {
        Outcome o = run("--dma-policy", "permissive", "--dma-window", WINDOW);
        assertEquals(0, o.status(), o.stderr());
        assertEquals("overwritten", o.canary(), o.console());
        assertEquals("76", o.result().group(2));
        assertTrue(o.dmaLines().getFirst().contains("virtio-net@a003e00 queue 0 descriptor 0 buffer: DMA write of 12 bytes at 0x40310000 "
                + "allowed but flagged: outside the DMA windows"), o.stderr());
        assertTrue(o.stderr().contains("DMA faults: virtio-net0 (virtio-net@a003e00) 2"), "header and frame: " + o.stderr());
    }

    @Test
    void aWindowThatCoversTheBufferLetsItThroughUnrecorded() throws Exception {
        Outcome o = run("--dma-policy", "strict", "--dma-window", "virtio-net0=0x40300000+128K");
        assertEquals(0, o.status(), o.stderr());
        assertEquals("overwritten", o.canary(), "the canary frame is inside this window: " + o.console());
        assertTrue(o.dmaLines().isEmpty(), o.stderr());
    }
}
