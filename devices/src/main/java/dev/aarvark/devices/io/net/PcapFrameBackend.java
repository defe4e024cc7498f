package dev.aarvark.devices.io.net;

import dev.aarvark.devices.io.OutputPump;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A capture of a backend's traffic, as QEMU's {@code -object filter-dump,netdev=ID,file=F}: wraps
 * any {@link FrameBackend} and writes every frame it carries, both ways, to a classic pcap file
 * ({@code tcpdump -r F}, Wireshark): little-endian, magic {@code 0xa1b2c3d4} (microsecond
 * timestamps), version 2.4, snapshot length {@value #SNAPLEN}, link type Ethernet (1). The file is
 * created or truncated at {@link #start}; a named pipe is opened without waiting for a reader (so
 * {@code wireshark -k -i PIPE} can watch live).
 *
 * <p>What it keeps true:
 * <ul>
 *   <li>The guest's traffic is never held back or dropped for the capture: the vCPU thread copies
 *   each record into a bounded buffer ({@value #CAPACITY} bytes) that a writer thread
 *   ({@link OutputPump}) empties into the file; when it is full (a slow disk, a pipe nobody
 *   reads) the record is left out whole and counted ({@link Capture#dropped()}), so the file stays
 *   well-formed.</li>
 *   <li>A frame appears once, when it is carried: sent frames when the wrapped backend took them
 *   ({@link SendResult#SENT}; a frame answered {@code FULL} and offered again is written once),
 *   received ones as they go to the device. With a backend whose frames carry the virtio-net
 *   header, the header is left out of the capture.</li>
 *   <li>{@link #close} closes the wrapped backend, then writes what is held (waiting at most
 *   {@link #CLOSE_WAIT}) and closes the file.</li>
 * </ul>
 * All methods and the wrapped backend's callbacks run on the vCPU thread (the one producer of
 * records, which is what lets a record be checked for room and then written whole).
 */
public final class PcapFrameBackend implements FrameBackend {
    private static final Logger LOG = LoggerFactory.getLogger(PcapFrameBackend.class);
    /** Bytes of records held for the writer thread. */
    public static final int CAPACITY = 4 << 20;
    /** The snapshot length in the file header (libpcap's maximum); no frame is longer. */
    public static final int SNAPLEN = 262_144;
    /** How long {@link #close} waits for a slow file. */
    public static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    static final int MAGIC = 0xa1b2c3d4;
    static final int LINKTYPE_ETHERNET = 1;
    static final int FILE_HEADER_BYTES = 24;
    static final int RECORD_HEADER_BYTES = 16;
    /** struct virtio_net_hdr_mrg_rxbuf, in front of each frame of a backend that {@linkplain #carriesVnetHeader() carries it}. */
    static final int VNET_HEADER_BYTES = 12;
    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;

    /**
     * What the capture wrote and left out.
     *
     * @param records records taken for the file
     * @param dropped records left out because the buffer was full (the guest's frames went on)
     */
    public record Capture(long records, long dropped) {
    }

    private final FrameBackend inner;
    private final Path file;
    private final int capacity;
    private final ByteBuffer recordHeader = ByteBuffer.allocate(RECORD_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
    private final AtomicLong records = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private FileChannel out;
    private OutputPump pump;
    private boolean closed;

    PcapFrameBackend(FrameBackend inner, Path file, int capacity) {
        this.inner = Objects.requireNonNull(inner, "inner");
        this.file = Objects.requireNonNull(file, "file");
        this.capacity = capacity;
    }

    /** Captures {@code inner}'s frames into {@code file}; the capture owns {@code inner} (closes it). */
    public static PcapFrameBackend capture(FrameBackend inner, Path file) {
        return new PcapFrameBackend(inner, file, CAPACITY);
    }

    /** The backend whose frames are captured. */
    public FrameBackend inner() {
        return inner;
    }

    /** Records written (taken for the file) and left out so far; callable from any thread. */
    public Capture captureCounters() {
        return new Capture(records.get(), dropped.get());
    }

    /**
     * Creates the file, writes its header, then starts the wrapped backend.
     *
     * @throws NetBackendException if the file cannot be created (or the wrapped backend cannot start)
     */
    @Override
    public void start(Listener listener) {
        Objects.requireNonNull(listener, "listener");
        String name = "pcap:" + file;
        try {
            out = isNamedPipe(file)
                    ? FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING);
        } catch (IOException | UnsupportedOperationException e) {
            throw new NetBackendException(describe(), "cannot create " + file + " (" + reason(e) + ")", e);
        }
        pump = new OutputPump(name, capacity, (b, off, len) -> {
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) {
                out.write(buf);
            }
        });
        ByteBuffer h = ByteBuffer.allocate(FILE_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(MAGIC).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(SNAPLEN).putInt(LINKTYPE_ETHERNET);
        pump.offer(h.array(), 0, FILE_HEADER_BYTES); // the buffer is empty: it fits
        try {
            inner.start(new Listener() {
                @Override
                public void received(byte[] frame) {
                    record(frame, 0, frame.length);
                    listener.received(frame);
                }

                @Override
                public int receivedBatch(List<byte[]> frames) {
                    int taken = listener.receivedBatch(frames);
                    for (int i = 0; i < taken; i++) {
                        byte[] f = frames.get(i);
                        record(f, 0, f.length);
                    }
                    return taken;
                }

                @Override
                public void writable() {
                    listener.writable();
                }

                @Override
                public void linkChanged(boolean up) {
                    listener.linkChanged(up);
                }
            });
        } catch (RuntimeException e) {
            closeFile();
            throw e;
        }
    }

    private static boolean isNamedPipe(Path p) {
        try {
            return Files.exists(p) && ((Integer) Files.getAttribute(p, "unix:mode") & S_IFMT) == S_IFIFO;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String reason(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "no such directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        return NetBackendException.reasonOf(e);
    }

    @Override
    public SendResult send(byte[] frame, int off, int len) {
        SendResult r = inner.send(frame, off, len);
        if (r == SendResult.SENT) {
            record(frame, off, len);
        }
        return r;
    }

    /** Queues one record whole, or counts it as dropped; never waits. */
    private void record(byte[] frame, int off, int len) {
        if (closed) {
            return;
        }
        if (inner.carriesVnetHeader()) {
            int skip = Math.min(VNET_HEADER_BYTES, len);
            off += skip;
            len -= skip;
        }
        int kept = Math.min(len, SNAPLEN);
        if (pump.room() < RECORD_HEADER_BYTES + kept) {
            dropped.incrementAndGet();
            return;
        }
        Instant now = Instant.now();
        recordHeader.clear();
        recordHeader.putInt((int) now.getEpochSecond()).putInt(now.getNano() / 1000).putInt(kept).putInt(len);
        // The vCPU thread is the only producer and the writer only makes room, so both parts fit.
        pump.offer(recordHeader.array(), 0, RECORD_HEADER_BYTES);
        pump.offer(frame, off, kept);
        records.incrementAndGet();
    }

    @Override
    public void setReceiving(boolean on) {
        inner.setReceiving(on);
    }

    @Override
    public void setReceiveOffloads(ReceiveOffloads offloads) {
        inner.setReceiveOffloads(offloads);
    }

    @Override
    public boolean linkUp() {
        return inner.linkUp();
    }

    @Override
    public boolean carriesVnetHeader() {
        return inner.carriesVnetHeader();
    }

    /** The wrapped backend's description and the file: {@code "stream:listen=unix:/tmp/n.sock,pcap=/tmp/n.pcap"}. */
    @Override
    public String describe() {
        return inner.describe() + ",pcap=" + file;
    }

    /** The wrapped backend's counters (the capture's own are {@link #captureCounters()}). */
    @Override
    public FrameCounters counters() {
        return inner.counters();
    }

    /** Closes the wrapped backend, then writes what is held and closes the file. A second call does nothing. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            inner.close();
        } finally {
            closeFile();
            long d = dropped.get();
            if (d > 0) {
                LOG.warn("{}: {} frames were left out of the capture (the file did not keep up)", describe(), d);
            }
        }
    }

    private void closeFile() {
        if (pump != null) {
            pump.close(CLOSE_WAIT);
        }
        if (out != null) {
            try {
                out.close(); // also ends a write the writer thread is blocked in
            } catch (IOException e) {
                LOG.warn("{}: closing the capture file failed ({})", describe(), NetBackendException.reasonOf(e));
            }
        }
    }
}
