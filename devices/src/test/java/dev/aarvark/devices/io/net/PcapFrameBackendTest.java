package dev.aarvark.devices.io.net;

import dev.aarvark.devices.io.net.FrameBackend.SendResult;
import dev.aarvark.devices.io.net.VcpuHarness.Device;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.aarvark.devices.io.net.VcpuHarness.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The capture decorator over a scripted backend; everything on the test thread, which plays the vCPU thread. */
@Timeout(60)
class PcapFrameBackendTest {
    @TempDir
    Path dir;

    /** A backend the test drives: takes or refuses frames as told, and hands the test its listener. */
    private static final class ScriptedBackend implements FrameBackend {
        final List<byte[]> sent = new ArrayList<>();
        final boolean vnet;
        Listener listener;
        SendResult answer = SendResult.SENT;
        int closes;

        ScriptedBackend(boolean vnet) {
            this.vnet = vnet;
        }

        @Override
        public void start(Listener l) {
            listener = l;
            l.linkChanged(true);
        }

        @Override
        public SendResult send(byte[] frame, int off, int len) {
            if (answer == SendResult.SENT) {
                sent.add(Arrays.copyOfRange(frame, off, off + len));
            }
            return answer;
        }

        @Override
        public void setReceiving(boolean on) {
        }

        @Override
        public boolean linkUp() {
            return true;
        }

        @Override
        public boolean carriesVnetHeader() {
            return vnet;
        }

        @Override
        public String describe() {
            return "scripted";
        }

        @Override
        public FrameCounters counters() {
            return new Tally().snapshot();
        }

        @Override
        public void close() {
            closes++;
        }
    }

    /** One record of a pcap file. */
    private record Packet(long seconds, int micros, int origLen, byte[] data) {
    }

    /** Checks the classic pcap file header and returns the records; fails on a cut record. */
    private static List<Packet> parsePcap(byte[] file) {
        ByteBuffer b = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(0xa1b2c3d4, b.getInt(), "magic (microsecond timestamps)");
        assertEquals(2, b.getShort(), "major version");
        assertEquals(4, b.getShort(), "minor version");
        assertEquals(0, b.getInt(), "thiszone");
        assertEquals(0, b.getInt(), "sigfigs");
        assertTrue(b.getInt() >= 65_535, "snaplen");
        assertEquals(1, b.getInt(), "LINKTYPE_ETHERNET");
        List<Packet> out = new ArrayList<>();
        while (b.hasRemaining()) {
            assertTrue(b.remaining() >= 16, "a whole record header");
            long sec = Integer.toUnsignedLong(b.getInt());
            int usec = b.getInt();
            int incl = b.getInt();
            int orig = b.getInt();
            assertTrue(usec >= 0 && usec < 1_000_000, "microseconds " + usec);
            assertTrue(b.remaining() >= incl, "a whole record");
            byte[] data = new byte[incl];
            b.get(data);
            out.add(new Packet(sec, usec, orig, data));
        }
        return out;
    }

    @Test
    void framesBothWaysAreWrittenToAClassicPcapFileThatCloseFlushes() throws Exception {
        Path file = dir.resolve("net.pcap");
        ScriptedBackend inner = new ScriptedBackend(false);
        PcapFrameBackend p = PcapFrameBackend.capture(inner, file);
        Device d = new Device();
        long before = System.currentTimeMillis() / 1000;
        p.start(d);
        assertEquals(List.of(true), d.links, "the wrapped backend's callbacks reach the device");
        byte[] a = frame(1, 60), b = frame(2, 1514), c = frame(3, 200);
        assertEquals(SendResult.SENT, p.send(a, 0, a.length));
        inner.listener.received(b);
        assertEquals(SendResult.SENT, p.send(c, 50, 100)); // a slice
        inner.answer = SendResult.FULL;
        assertEquals(SendResult.FULL, p.send(a, 0, a.length));
        p.close();
        p.close();
        long after = System.currentTimeMillis() / 1000 + 1;
        assertEquals(1, inner.closes, "closes the wrapped backend once");
        assertEquals(1, d.frames.size());
        assertArrayEquals(b, d.frames.get(0), "received frames still go to the device");
        List<Packet> packets = parsePcap(Files.readAllBytes(file));
        assertEquals(3, packets.size(), "a refused frame is not captured");
        assertArrayEquals(a, packets.get(0).data());
        assertArrayEquals(b, packets.get(1).data());
        assertArrayEquals(Arrays.copyOfRange(c, 50, 150), packets.get(2).data());
        for (Packet pk : packets) {
            assertEquals(pk.data().length, pk.origLen(), "nothing cut");
            assertTrue(pk.seconds() >= before && pk.seconds() <= after, "timestamp " + pk.seconds());
        }
        assertEquals(new PcapFrameBackend.Capture(3, 0), p.captureCounters());
        assertEquals("scripted,pcap=" + file, p.describe());
    }

    @Test
    void tcpdumpReadsTheCaptureFile() throws Exception {
        boolean haveTcpdump = new ProcessBuilder("sh", "-c", "command -v tcpdump").start().waitFor() == 0;
        assumeTrue(haveTcpdump, "tcpdump is not installed: the file format is checked by the other tests only");
        Path file = dir.resolve("udp.pcap");
        ScriptedBackend inner = new ScriptedBackend(false);
        PcapFrameBackend p = PcapFrameBackend.capture(inner, file);
        p.start(new Device());
        byte[] udp = udpFrame();
        p.send(udp, 0, udp.length);
        inner.listener.received(udp);
        p.close();
        Process t = new ProcessBuilder("tcpdump", "-r", file.toString(), "-nn").redirectErrorStream(true).start();
        String out = new String(t.getInputStream().readAllBytes());
        assertTrue(t.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, t.exitValue(), out);
        List<String> lines = out.lines().filter(l -> l.contains("10.0.2.15.1234 > 10.0.2.2.5678: UDP, length 4")).toList();
        assertEquals(2, lines.size(), out);
    }

    /** An Ethernet + IPv4 + UDP frame, 10.0.2.15:1234 to 10.0.2.2:5678, payload "ping" (checksums 0: not checked). */
    private static byte[] udpFrame() {
        ByteBuffer b = ByteBuffer.allocate(14 + 20 + 8 + 4);
        b.put(new byte[] {0x52, 0x55, 10, 0, 2, 2}).put(new byte[] {0x52, 0x54, 0, 0x12, 0x34, 0x56}).putShort((short) 0x0800);
        b.put((byte) 0x45).put((byte) 0).putShort((short) 32).putShort((short) 1).putShort((short) 0x4000)
                .put((byte) 64).put((byte) 17).putShort((short) 0).put(new byte[] {10, 0, 2, 15}).put(new byte[] {10, 0, 2, 2});
        b.putShort((short) 1234).putShort((short) 5678).putShort((short) 12).putShort((short) 0);
        b.put("ping".getBytes());
        return b.array();
    }

    @Test
    void theVirtioNetHeaderIsLeftOutOfTheCapture() throws Exception {
        Path file = dir.resolve("vnet.pcap");
        ScriptedBackend inner = new ScriptedBackend(true);
        PcapFrameBackend p = PcapFrameBackend.capture(inner, file);
        p.start(new Device());
        assertTrue(p.carriesVnetHeader());
        byte[] withHeader = frame(4, 12 + 60);
        p.send(withHeader, 0, withHeader.length);
        p.close();
        List<Packet> packets = parsePcap(Files.readAllBytes(file));
        assertEquals(1, packets.size());
        assertArrayEquals(Arrays.copyOfRange(withHeader, 12, withHeader.length), packets.get(0).data());
        assertArrayEquals(withHeader, inner.sent.get(0), "the wrapped backend gets the frame unchanged");
    }

    @Test
    void aCaptureNobodyReadsNeverHoldsBackGuestFramesAndDropsWholeRecords() throws Exception {
        Path fifo = dir.resolve("capture.fifo");
        Process mk;
        try {
            mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (java.io.IOException e) {
            mk = null;
        }
        assumeTrue(mk != null && mk.waitFor() == 0, "mkfifo is not available");
        ScriptedBackend inner = new ScriptedBackend(false);
        PcapFrameBackend p = new PcapFrameBackend(inner, fifo, 256 * 1024);
        p.start(new Device()); // does not wait for a reader
        int n = 100;
        for (int i = 0; i < n; i++) {
            byte[] f = frame(i, 9000);
            assertEquals(SendResult.SENT, p.send(f, 0, f.length), "frame " + i);
        }
        assertEquals(n, inner.sent.size(), "every guest frame went on");
        PcapFrameBackend.Capture c = p.captureCounters();
        assertTrue(c.dropped() > 0, "the pipe and the buffer filled up: " + c);
        assertEquals(n, c.records() + c.dropped());
        AtomicReference<byte[]> read = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try (InputStream in = Files.newInputStream(fifo)) {
                read.set(in.readAllBytes());
            } catch (java.io.IOException e) {
                read.set(new byte[0]);
            }
        });
        p.close(); // writes what is held as the reader drains the pipe
        reader.join(20_000);
        assertFalse(reader.isAlive(), "the reader saw the end of the capture");
        List<Packet> packets = parsePcap(read.get());
        assertEquals(c.records(), packets.size(), "every record taken is in the file, whole");
        int last = -1;
        for (Packet pk : packets) {
            int seed = -1;
            for (int i = last + 1; i < n && seed < 0; i++) {
                if (Arrays.equals(frame(i, 9000), pk.data())) {
                    seed = i;
                }
            }
            assertTrue(seed > last, "records are whole frames, in order");
            last = seed;
        }
    }

    @Test
    void aCaptureFileThatCannotBeCreatedFailsWithOneLineAndStartsNothing() {
        Path file = dir.resolve("no/such/dir/net.pcap");
        ScriptedBackend inner = new ScriptedBackend(false);
        PcapFrameBackend p = PcapFrameBackend.capture(inner, file);
        NetBackendException e = assertThrows(NetBackendException.class, () -> p.start(new Device()));
        assertEquals("scripted,pcap=" + file + ": cannot create " + file + " (no such directory)", e.getMessage());
        assertEquals(null, inner.listener, "the wrapped backend was not started");
    }

    @Test
    void aFrameTheWrappedBackendDidNotTakeIsNotCaptured() throws Exception {
        try (VcpuHarness vcpu = new VcpuHarness()) {
            Path file = dir.resolve("null.pcap");
            PcapFrameBackend p = PcapFrameBackend.capture(new NullFrameBackend(), file);
            vcpu.run(() -> p.start(new Device()));
            byte[] f = frame(1, 64);
            assertEquals(SendResult.DROPPED_NO_PEER, vcpu.call(() -> p.send(f, 0, f.length)));
            assertEquals(1, vcpu.call(p::counters).txNoPeer(), "the wrapped backend's counters");
            vcpu.run(p::close);
            assertEquals(0, parsePcap(Files.readAllBytes(file)).size(), "a frame no one took is not captured");
        }
    }
}
