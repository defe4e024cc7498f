package dev.aarvark.cli.it;

import org.junit.jupiter.api.Test;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The smmu-remap bare-metal guest programs the SMMU itself (stream table, CD, stage-1 tables for
 * its virtio-net card) and checks a remapped DMA, a stale translation kept until the TLBI, and the
 * F_TRANSLATION record after it (see guest-images/baremetal/c/smmu-remap.c). The test is the card's
 * dgram peer: the two frames sent before the TLBI arrive with the bytes the guest wrote at the
 * physical page the IOVA maps to, and the third never leaves.
 */
class SmmuBareMetalIT {
    @Test
    void aGuestThatProgramsTheSmmuSeesRemappedDmaAStaleTlbEntryAndTheFaultRecord() throws Exception {
        try (DatagramSocket peer = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int guestPort;
            try (DatagramSocket probe = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
                guestPort = probe.getLocalPort();
            }
            Aarvark.Run r = Aarvark.run(60, "boot", "--semihosting", "--iommu", "smmuv3", "--kernel", Aarvark.guest("smmu-remap").toString(),
                    "--net", "dgram:local=127.0.0.1:" + guestPort + ",remote=127.0.0.1:" + peer.getLocalPort(), "--timeout", "30s");
            assertEquals(0, r.status(), r.toString());
            for (String step : new String[] {"smmu set-up", "remapped dma", "stale translation until tlbi", "fault record after tlbi"}) {
                assertTrue(r.stdout().contains("smmu-remap: " + step + " ok"), step + ": " + r);
            }
            assertTrue(r.stdout().contains("smmu-remap: F_TRANSLATION stream 31 read of 0x10001000"), r.toString());
            assertTrue(r.stdout().contains("smmu-remap: PASS"), r.toString());
            List<String> dma = r.stderrLines().stream().filter(l -> l.contains("DMA fault:")).toList();
            assertEquals(1, dma.size(), r.stderr());
            assertTrue(dma.getFirst().contains("virtio-net@a003e00 queue 1 descriptor 0 buffer: DMA read of 12 bytes at 0x10001000 "
                    + "refused: F_TRANSLATION (SMMU stream 31, ASID 1"), dma.getFirst());
            assertTrue(r.stderr().contains("DMA faults: virtio-net0 (virtio-net@a003e00) 1; exit status 0"), r.stderr());

            peer.setSoTimeout(1000);
            List<String> frames = new ArrayList<>();
            byte[] buf = new byte[2048];
            try {
                while (true) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    peer.receive(p);
                    frames.add(new String(buf, 14, p.getLength() - 14, StandardCharsets.ISO_8859_1));
                }
            } catch (SocketTimeoutException done) {
                // all frames read
            }
            assertEquals(2, frames.size(), "two frames before the TLBI, none after: " + frames);
            for (String f : frames) {
                assertTrue(f.startsWith("smmu-remap frame through IOVA 0x10001000"), f);
            }
        }
    }

    @Test
    void withoutTheSmmuTheGuestSaysWhatItNeeds() throws Exception {
        Aarvark.Run r = Aarvark.run(60, "boot", "--semihosting", "--kernel", Aarvark.guest("smmu-remap").toString(),
                "--net", "none", "--timeout", "30s");
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.stdout().contains("smmu-remap: FAIL 1: no SMMU with stage 1 at 0x9050000 (run with --iommu smmuv3)"), r.toString());
    }
}
