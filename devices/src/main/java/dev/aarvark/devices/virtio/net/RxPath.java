package dev.aarvark.devices.virtio.net;

import dev.aarvark.devices.QueueError;
import dev.aarvark.devices.io.net.FrameBackend;
import dev.aarvark.devices.virtio.VirtioFeature;
import dev.aarvark.devices.virtio.queue.DescriptorChain;
import dev.aarvark.devices.virtio.queue.QueueService;
import dev.aarvark.devices.virtio.queue.SplitVirtqueue;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Peer to guest (virtio 1.2 §5.1.6.3 "Setting Up Receive Buffers", §5.1.6.4 "Processing of
 * Incoming Packets"): frames from the {@link FrameBackend} wait in a bounded {@link HostRxQueue}
 * and are written, header first, into the device-writable chains the driver posted in receiveq0,
 * through the device's one {@link QueueService} loop ({@link QueueService.Direction#DEVICE_WRITES}).
 *
 * <h2>What it keeps true</h2>
 * <ul>
 *   <li><b>Bounded host memory; backpressure, then drops.</b> At the queue's high-water mark the
 *       backend is told {@code setReceiving(false)}; below half of both bounds,
 *       {@code setReceiving(true)}. A frame the backend still delivers that does not fit is dropped
 *       ({@link NetDrop#RX_HOST_QUEUE_FULL}, a warning at most once a second).</li>
 *   <li><b>Whole frames only.</b> Without VIRTIO_NET_F_MRG_RXBUF a frame goes into one chain; a chain
 *       shorter than header plus frame is a guest error ({@code RECEIVE_BUFFER_TOO_SMALL}, unless the
 *       frame is longer than the MTU the driver was told) and the frame is dropped, never truncated;
 *       the chain goes back unused. With MRG_RXBUF a frame may span chains: before the first byte is
 *       written the device looks ahead ({@link QueueService#writableRoom}) and starts only if the
 *       posted chains can hold all of it, so the chains of one frame are written and completed in
 *       one call, and num_buffers in the first chain's header is exact (§5.1.6.4). If they cannot
 *       yet, the first chain is held until the driver posts more; if every descriptor is posted and
 *       they still cannot, the frame is dropped as a guest error. The header is never split: a
 *       first chain shorter than the header is returned unused (§5.1.6.3.1: each buffer MUST hold
 *       the header).</li>
 *   <li><b>Header.</b> num_buffers is 1 without MRG_RXBUF (§5.1.6.4). Without a vnet-header backend
 *       flags and gso_type are 0 (the guest checks checksums itself; DATA_VALID is never claimed).
 *       With one, the peer's header is passed on, made to fit what the driver enabled (§5.1.6.4.1):
 *       a partial checksum the driver cannot take is completed here and flags cleared; a
 *       segmentation offload it did not enable drops the frame ({@link NetDrop#RX_OFFLOAD}).</li>
 *   <li><b>Filter.</b> Frames the driver's {@link RxFilter} refuses are dropped at the head of the
 *       queue, even while the ring is empty, so they never hold back wanted frames.</li>
 *   <li><b>Batches.</b> Frames the backend hands over together ({@link #receivedBatch}) are written
 *       in one pass, so one used-buffer notification covers them; those that do not fit the host
 *       queue stay with the backend, so a batch never causes a drop.</li>
 *   <li><b>Bounded work.</b> A call starts frames until {@link NetLimits#receiveChainsPerCall()}
 *       chains were used (a frame started is finished), then reports deferred work; one used
 *       buffer notification per pass. Used length = bytes written (§2.7.8).</li>
 * </ul>
 * Frames are kept across driver sessions until a reset, which drops them
 * ({@link NetDrop#RX_RESET}): they were meant for a driver that is gone.
 */
final class RxPath {
    private static final int ETH_HEADER = 14;
    /** What the driver is told to expect without segmentation offloads: the MTU plus an Ethernet header (§5.1.6.3.1). */
    private static final int GSO_FRAME = 65_550;

    private final VirtioNet net;
    private final HostRxQueue host;
    private final QueueService service;
    private final RateLimitedWarning fullWarning = new RateLimitedWarning(LoggerFactory.getLogger(VirtioNet.class));
    /** The guest header of the loaded frame (num_buffers set when it is written). */
    private final byte[] header = new byte[NetHeader.BYTES];

    /** setReceiving(false) is in force. */
    private boolean paused;
    /** Inside a pass, or inside a backend call: a frame arriving now waits for deferred work. */
    private boolean running;
    private boolean callingBackend;
    private boolean arrivedDuringCall;
    /** The last pass stopped at the chain cap with frames and buffers left. */
    private boolean deferred;
    private boolean capped;

    /** The pass's queue, and the chains it used (handled and returned as the wrong direction). */
    private SplitVirtqueue queue;
    private int chainsThisPass;

    /** The frame at the head of the host queue, filtered and given its guest header; null if none. */
    private byte[] frame;
    private int payloadOff;
    private int payloadLen;
    /** Bytes of header + frame already written (non-zero only while a merged frame spans chains). */
    private int written;

    private final QueueService.Handler filler = new QueueService.Handler() {
        @Override
        public boolean wantsMore() {
            if (written > 0) {
                return true;
            }
            if (chainsThisPass >= net.limits().receiveChainsPerCall()) {
                capped = true;
                return false;
            }
            return load();
        }

        @Override
        public long handle(DescriptorChain chain, boolean resumed) {
            chainsThisPass++;
            return fill(chain);
        }
    };

    RxPath(VirtioNet net) {
        this.net = net;
        NetLimits limits = net.limits();
        this.host = new HostRxQueue(limits.hostReceiveFrames(), limits.hostReceiveBytes());
        // The service's own cap never ends a pass inside a frame: frames start below the receive
        // cap, and one frame takes at most a queue of entries.
        this.service = new QueueService(QueueService.Direction.DEVICE_WRITES,
                limits.receiveChainsPerCall() + VirtioNet.QUEUE_SIZE, new QueueService.Events() {
                    @Override
                    public void wrongDirection(SplitVirtqueue q, DescriptorChain c, QueueService.Direction expected) {
                        chainsThisPass++;
                        net.reportWrongDirection(q, c, expected);
                    }

                    @Override
                    public void notifyUsed(int q) {
                        net.notifyUsed(q);
                    }
                });
    }

    /** {@link FrameBackend.Listener#received}: queue the frame (or drop it), then deliver what the guest can take. */
    void received(byte[] f) {
        enqueue(f);
        deliver();
    }

    /**
     * {@link FrameBackend.Listener#receivedBatch}: the frames in order, as many {@link #received}
     * calls, but delivered in as few passes as the host queue allows: a pass runs when the queue
     * reaches its high-water mark, and once at the end. Frames the queue cannot hold after such a
     * pass (the guest takes none) are not taken: the backend, told to stop, keeps them. Returns
     * how many were taken.
     */
    int receivedBatch(List<byte[]> frames) {
        int taken = 0;
        for (byte[] f : frames) {
            if (host.atHighWater()) {
                deliver();
                if (host.atHighWater()) {
                    break; // paused: enqueue set it when the mark was reached, and deliver kept it
                }
            }
            enqueue(f);
            taken++;
        }
        deliver();
        return taken;
    }

    private void enqueue(byte[] f) {
        if (!host.offer(Objects.requireNonNull(f, "frame"))) {
            net.counters().drop(NetDrop.RX_HOST_QUEUE_FULL);
            fullWarning.occurred(net.name() + ": a " + f.length + "-byte frame from " + net.backend().describe()
                    + " dropped: the host receive queue is full (" + host.size() + " frames, " + host.bytes()
                    + " bytes) although the backend was told to stop receiving");
        }
        if (!paused && host.atHighWater()) {
            paused = true;
            net.counters().receivePauses++;
            callBackend(false);
        }
    }

    /** Buffers may have arrived (a notification), the driver went live, or deferred work: fill what the caps allow. */
    void deliver() {
        if (running || callingBackend) {
            arrivedDuringCall = true;
            return;
        }
        arrivedDuringCall = false;
        deferred = false;
        SplitVirtqueue q = net.liveQueue(VirtioNet.RECEIVEQ);
        if (q != null && !q.stopped() && !host.isEmpty()) {
            running = true;
            queue = q;
            chainsThisPass = 0;
            capped = false;
            try {
                QueueService.PassEnd end = service.serve(q, filler);
                if (written > 0 && !service.holding()) {
                    abandonFrame(NetDrop.RX_QUEUE_STOPPED); // a merged frame is cut only by a queue that stopped
                }
                deferred = (capped || end == QueueService.PassEnd.CAPPED) && !host.isEmpty() && q.hasAvailable();
            } finally {
                running = false;
                queue = null;
            }
        }
        if (paused && host.atLowWater()) {
            paused = false;
            callBackend(true);
        }
    }

    private void callBackend(boolean receiving) {
        callingBackend = true;
        try {
            net.backend().setReceiving(receiving);
        } finally {
            callingBackend = false;
        }
    }

    /** Makes the head of the host queue the loaded frame, dropping the frames before it nobody wants. */
    private boolean load() {
        while (frame == null) {
            byte[] f = host.peek();
            if (f == null) {
                return false;
            }
            if (prepare(f)) {
                frame = f;
            } else {
                host.remove();
            }
        }
        return true;
    }

    /** Checks {@code f} and builds its guest header; false (drop counted) if it is not delivered. */
    private boolean prepare(byte[] f) {
        boolean vnet = net.vnetHeader();
        int off = vnet ? NetHeader.BYTES : 0;
        int len = f.length - off;
        if (len < ETH_HEADER) {
            net.counters().drop(NetDrop.RX_RUNT);
            return false;
        }
        if (len > FrameBackend.MAX_FRAME) {
            net.counters().drop(NetDrop.RX_OVERSIZE);
            return false;
        }
        if (!net.filter().accepts(f, off, len, net.config().mac())) {
            net.counters().drop(NetDrop.RX_FILTERED);
            return false;
        }
        Arrays.fill(header, (byte) 0);
        if (vnet && !adaptOffloads(f, off, len)) {
            net.counters().drop(NetDrop.RX_OFFLOAD);
            return false;
        }
        payloadOff = off;
        payloadLen = len;
        return true;
    }

    /** The peer's header, made to fit the receive offloads the driver has (§5.1.6.4.1); false to drop. */
    private boolean adaptOffloads(byte[] f, int off, int len) {
        System.arraycopy(f, 0, header, 0, NetHeader.LEGACY_BYTES);
        long enabled = net.guestOffloads();
        boolean csum = VirtioFeature.has(enabled, NetFeatures.GUEST_CSUM);
        int gso = NetHeader.gsoProtocol(header);
        if (gso != NetHeader.GSO_NONE) {
            int needed = switch (gso) {
                case NetHeader.GSO_TCPV4 -> NetFeatures.GUEST_TSO4;
                case NetHeader.GSO_TCPV6 -> NetFeatures.GUEST_TSO6;
                case NetHeader.GSO_UDP -> NetFeatures.GUEST_UFO;
                default -> -1;
            };
            if (needed < 0 || !csum || !VirtioFeature.has(enabled, needed)
                    || (NetHeader.gsoEcn(header) && !VirtioFeature.has(enabled, NetFeatures.GUEST_ECN))) {
                return false;
            }
        } else {
            header[NetHeader.GSO_TYPE] = 0;
            NetHeader.putU16(header, NetHeader.GSO_SIZE, 0);
        }
        int flags = NetHeader.flags(header);
        int start = NetHeader.u16(header, NetHeader.CSUM_START);
        int offset = NetHeader.u16(header, NetHeader.CSUM_OFFSET);
        if ((flags & NetHeader.F_NEEDS_CSUM) != 0 && !NetChecksum.valid(len, start, offset)) {
            return false;
        }
        if (csum) {
            header[NetHeader.FLAGS] = (byte) (flags & (NetHeader.F_NEEDS_CSUM | NetHeader.F_DATA_VALID));
            return true;
        }
        if ((flags & NetHeader.F_NEEDS_CSUM) != 0) {
            NetChecksum.complete(f, off, len, start, offset);
        }
        header[NetHeader.FLAGS] = 0;
        NetHeader.putU16(header, NetHeader.CSUM_START, 0);
        NetHeader.putU16(header, NetHeader.CSUM_OFFSET, 0);
        return true;
    }

    /** Writes the loaded frame, or its next part, into {@code c}; returns the used length or HOLD. */
    private long fill(DescriptorChain c) {
        if (!load()) {
            return QueueService.HOLD;
        }
        int hdr = net.headerBytes();
        int total = hdr + payloadLen;
        long room = c.writableLength();
        if (written > 0) {
            int n = (int) Math.min(room, total - written);
            int w = writeStream(c, written, n);
            written += n;
            if (written == total) {
                finishFrame();
            }
            return w;
        }
        if (room >= total) {
            if (hdr == NetHeader.BYTES) {
                NetHeader.putU16(header, NetHeader.NUM_BUFFERS, 1);
            }
            int w = writeStream(c, 0, total);
            finishFrame();
            return w;
        }
        if (!net.negotiated(NetFeatures.MRG_RXBUF)) {
            tooSmallWithoutMerging(c, total);
            return 0;
        }
        if (room < hdr) {
            net.guestError(QueueError.RECEIVE_BUFFER_TOO_SMALL, String.format(
                    "receiveq0 chain head %d has %d writable bytes, less than the %d-byte header every merged buffer "
                            + "must hold (§5.1.6.3.1); returned unused, the frame waits for the next one", c.head(), room, hdr));
            return 0;
        }
        QueueService.WritableRoom more = service.writableRoom(queue, total - room);
        if (!more.enough()) {
            if (more.driverCanAddMore()) {
                return QueueService.HOLD;
            }
            net.guestError(QueueError.RECEIVE_BUFFER_TOO_SMALL, String.format(
                    "receiveq0: every descriptor is posted and the buffers hold %d bytes, a %d-byte frame and its header "
                            + "need %d; the frame is dropped and chain head %d returned unused",
                    room + more.bytes(), payloadLen, total, c.head()));
            abandonFrame(NetDrop.RX_BUFFER_TOO_SMALL);
            return 0;
        }
        NetHeader.putU16(header, NetHeader.NUM_BUFFERS, 1 + more.chains());
        int w = writeStream(c, 0, (int) room);
        written = (int) room;
        return w;
    }

    private void tooSmallWithoutMerging(DescriptorChain c, int total) {
        boolean guestGso = net.negotiated(NetFeatures.GUEST_TSO4) || net.negotiated(NetFeatures.GUEST_TSO6)
                || net.negotiated(NetFeatures.GUEST_UFO);
        int promised = guestGso ? GSO_FRAME : net.config().mtu() + ETH_HEADER;
        if (payloadLen > promised) {
            abandonFrame(NetDrop.RX_OVERSIZE);
            return;
        }
        net.guestError(QueueError.RECEIVE_BUFFER_TOO_SMALL, String.format(
                "receiveq0 chain head %d has %d writable bytes; a %d-byte frame and its header need %d "
                        + "(VIRTIO_NET_F_MRG_RXBUF not negotiated, §5.1.6.3.1); the frame is dropped, the chain returned unused",
                c.head(), c.writableLength(), payloadLen, total));
        abandonFrame(NetDrop.RX_BUFFER_TOO_SMALL);
    }

    /** Writes bytes {@code [from, from+n)} of header-then-frame at the start of {@code c}'s writable bytes. */
    private int writeStream(DescriptorChain c, int from, int n) {
        int hdr = net.headerBytes();
        int done = 0;
        if (from < hdr) {
            int k = Math.min(n, hdr - from);
            done = c.write(0, header, from, k);
            if (done < k) {
                return done;
            }
        }
        if (done < n) {
            int dataFrom = Math.max(0, from - hdr);
            done += c.write(done, frame, payloadOff + dataFrom, n - done);
        }
        return done;
    }

    private void finishFrame() {
        net.counters().receivedFrames++;
        net.counters().receivedBytes += payloadLen;
        host.remove();
        frame = null;
        written = 0;
    }

    private void abandonFrame(NetDrop reason) {
        net.counters().drop(reason);
        host.remove();
        frame = null;
        written = 0;
    }

    boolean hasDeferredWork() {
        return (deferred || arrivedDuringCall) && !host.isEmpty();
    }

    /** Frames waiting for the guest. */
    int queuedFrames() {
        return host.size();
    }

    boolean paused() {
        return paused;
    }

    /** Device reset: the held chain and the frames held for the old driver are dropped; receiving resumes. */
    void reset() {
        service.reset();
        net.counters().drop(NetDrop.RX_RESET, host.clear());
        frame = null;
        written = 0;
        deferred = false;
        arrivedDuringCall = false;
        if (paused) {
            paused = false;
            callBackend(true);
        }
    }
}
