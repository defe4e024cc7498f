package dev.aarvark.devices.virtio.net;

import dev.aarvark.devices.ProtocolError;
import dev.aarvark.devices.QueueError;
import dev.aarvark.devices.io.net.FrameBackend;
import dev.aarvark.devices.virtio.queue.DescriptorChain;
import dev.aarvark.devices.virtio.queue.QueueService;
import dev.aarvark.devices.virtio.queue.SplitVirtqueue;

/**
 * Guest to peer (virtio 1.2 §5.1.6.2 "Packet Transmission"): each chain of transmitq0 is one packet,
 * the header then the frame, device-readable (the device's one {@link QueueService} loop,
 * {@link QueueService.Direction#DEVICE_READS}; device-writable bytes are reported and ignored). The
 * header may span descriptors and the frame may be scattered: both are read as one stream.
 *
 * <h2>What it keeps true</h2>
 * <ul>
 *   <li><b>Bounded copy.</b> The frame is gathered into one buffer of {@link NetLimits#LARGEST_BACKEND_FRAME}
 *       bytes, allocated once; no guest length sizes an allocation.</li>
 *   <li><b>Guest errors drop the packet, never the device.</b> A chain shorter than the header
 *       ({@code SHORT_PACKET_HEADER}), a frame of 0 bytes or over {@link FrameBackend#MAX_FRAME}
 *       ({@code BAD_PACKET_LENGTH}), checksum offsets outside the frame ({@code BAD_CHECKSUM_OFFSETS})
 *       or a buffer the DMA space refuses: reported, counted ({@link NetDrop#TX_MALFORMED}), and the
 *       chain returned with used length 0. An offload the driver did not negotiate
 *       ({@code UNNEGOTIATED_OFFLOAD}) is reported and the frame still sent; a partial checksum is
 *       then completed here when the backend carries no vnet header (its peer could not).</li>
 *   <li><b>Nothing lost under backpressure.</b> A frame the backend refuses as FULL stays in the
 *       buffer and its chain with the device (HOLD); nothing more is sent until
 *       {@link FrameBackend.Listener#writable()}, then the same frame goes first, so order is kept.
 *       DROPPED_NO_PEER frames are counted ({@link NetDrop#TX_NO_PEER}) and completed, as a NIC
 *       without a cable drops them.</li>
 *   <li><b>Bounded work.</b> A call takes at most {@link NetLimits#transmitChainsPerCall()} chains and
 *       stops after the frame that reaches {@link NetLimits#transmitBytesPerCall()}; the rest is
 *       deferred work. One used buffer notification per pass; used length 0 (§2.7.8: the device
 *       writes nothing).</li>
 *   <li><b>vnet header.</b> To a backend that carries it, the frame is sent after the driver's header
 *       as a 12-byte {@code virtio_net_hdr_v1} (num_buffers 0; a 10-byte legacy header is
 *       extended), so the host kernel applies checksum and segmentation offloads; otherwise the
 *       header is stripped.</li>
 * </ul>
 */
final class TxPath {
    private final VirtioNet net;
    private final QueueService service;
    private final byte[] header = new byte[NetHeader.BYTES];
    /** The gathered packet: the vnet header (if the backend carries one), then the frame. */
    private final byte[] buffer = new byte[NetLimits.LARGEST_BACKEND_FRAME];
    private int sendLength;
    private int frameLength;
    /** {@link #buffer} holds the frame of the chain the service holds. */
    private boolean gathered;
    /** The backend said FULL; wait for writable(). */
    private boolean backendFull;
    private boolean running;
    private boolean writableDuringSend;
    private boolean deferred;
    private long budget;

    private final QueueService.Handler sender = new QueueService.Handler() {
        @Override
        public boolean wantsMore() {
            return budget > 0;
        }

        @Override
        public long handle(DescriptorChain chain, boolean resumed) {
            return send(chain);
        }
    };

    TxPath(VirtioNet net) {
        this.net = net;
        this.service = new QueueService(QueueService.Direction.DEVICE_READS, net.limits().transmitChainsPerCall(),
                net.queueEvents());
    }

    /** The driver notified transmitq0, the backend became writable, or deferred work: send what the caps allow. */
    void transmit() {
        if (running || backendFull) {
            return;
        }
        SplitVirtqueue q = net.liveQueue(VirtioNet.TRANSMITQ);
        if (q == null) {
            return;
        }
        running = true;
        try {
            deferred = false;
            budget = net.limits().transmitBytesPerCall();
            QueueService.PassEnd end = service.serve(q, sender);
            if (end == QueueService.PassEnd.CAPPED || (end == QueueService.PassEnd.HANDLER_DONE && q.hasAvailable())) {
                deferred = true;
            }
        } finally {
            running = false;
        }
    }

    private long send(DescriptorChain chain) {
        if (!gathered) {
            if (!gather(chain)) {
                net.counters().drop(NetDrop.TX_MALFORMED);
                return 0;
            }
            gathered = true;
        }
        writableDuringSend = false;
        FrameBackend.SendResult result = net.backend().send(buffer, 0, sendLength);
        if (result == FrameBackend.SendResult.FULL) {
            net.counters().transmitBackendFull++;
            if (writableDuringSend) {
                deferred = true;
            } else {
                backendFull = true;
            }
            return QueueService.HOLD;
        }
        if (result == FrameBackend.SendResult.SENT) {
            net.counters().transmittedFrames++;
            net.counters().transmittedBytes += frameLength;
        } else {
            net.counters().drop(NetDrop.TX_NO_PEER);
        }
        gathered = false;
        budget -= frameLength;
        return 0;
    }

    /** Reads the chain's header and frame into {@link #buffer}; false if it is not sent (reported). */
    private boolean gather(DescriptorChain chain) {
        int hdr = net.headerBytes();
        long readable = chain.readableLength();
        if (readable < hdr) {
            net.guestError(QueueError.SHORT_PACKET_HEADER, String.format(
                    "transmitq0 chain head %d has %d readable bytes, less than the %d-byte header (§5.1.6.2); dropped",
                    chain.head(), readable, hdr));
            return false;
        }
        long len = readable - hdr;
        if (len == 0 || len > FrameBackend.MAX_FRAME) {
            net.guestError(QueueError.BAD_PACKET_LENGTH, String.format(
                    "transmitq0 chain head %d carries a %d-byte frame after its header; frames are 1..%d bytes; dropped",
                    chain.head(), len, FrameBackend.MAX_FRAME));
            return false;
        }
        if (chain.read(0, header, 0, hdr) < hdr) {
            return false; // the DMA space refused a buffer; the chain reported it
        }
        boolean vnet = net.vnetHeader();
        int start = vnet ? NetHeader.BYTES : 0;
        if (chain.read(hdr, buffer, start, (int) len) < len) {
            return false;
        }
        if (!checkHeader(chain, start, (int) len, vnet)) {
            return false;
        }
        if (vnet) {
            System.arraycopy(header, 0, buffer, 0, NetHeader.LEGACY_BYTES);
            NetHeader.putU16(buffer, NetHeader.NUM_BUFFERS, 0);
        }
        frameLength = (int) len;
        sendLength = start + frameLength;
        return true;
    }

    /** §5.1.6.2.1: the offloads the header asks for against the negotiated ones; false to drop. */
    private boolean checkHeader(DescriptorChain chain, int start, int len, boolean vnet) {
        int flags = NetHeader.flags(header);
        if ((flags & NetHeader.F_NEEDS_CSUM) != 0) {
            int csumStart = NetHeader.u16(header, NetHeader.CSUM_START);
            int csumOffset = NetHeader.u16(header, NetHeader.CSUM_OFFSET);
            if (!NetChecksum.valid(len, csumStart, csumOffset)) {
                net.guestError(QueueError.BAD_CHECKSUM_OFFSETS, String.format(
                        "transmitq0 chain head %d: csum_start %d + csum_offset %d is outside the %d-byte frame; dropped",
                        chain.head(), csumStart, csumOffset, len));
                return false;
            }
            if (!net.negotiated(NetFeatures.CSUM)) {
                net.guestError(ProtocolError.UNNEGOTIATED_OFFLOAD, String.format(
                        "transmitq0 chain head %d sets VIRTIO_NET_HDR_F_NEEDS_CSUM without VIRTIO_NET_F_CSUM (§5.1.6.2.1); "
                                + "the checksum is completed and the frame sent", chain.head()));
            }
            if (!vnet) {
                NetChecksum.complete(buffer, start, len, csumStart, csumOffset);
            }
        }
        int gso = NetHeader.gsoProtocol(header);
        boolean ecn = NetHeader.gsoEcn(header);
        if (gso != NetHeader.GSO_NONE || ecn) {
            int needed = switch (gso) {
                case NetHeader.GSO_TCPV4 -> NetFeatures.HOST_TSO4;
                case NetHeader.GSO_TCPV6 -> NetFeatures.HOST_TSO6;
                case NetHeader.GSO_UDP -> NetFeatures.HOST_UFO;
                default -> -1;
            };
            if (needed < 0 || !net.negotiated(needed) || (ecn && !net.negotiated(NetFeatures.HOST_ECN))) {
                net.guestError(ProtocolError.UNNEGOTIATED_OFFLOAD, String.format(
                        "transmitq0 chain head %d asks for segmentation offload gso_type 0x%x that was not negotiated "
                                + "(§5.1.6.2.1); the frame is sent as it is", chain.head(), header[NetHeader.GSO_TYPE] & 0xFF));
            }
        }
        return true;
    }

    /** {@link FrameBackend.Listener#writable()}: send the held frame and what follows. */
    void writable() {
        if (running) {
            writableDuringSend = true;
            return;
        }
        backendFull = false;
        transmit();
    }

    boolean hasDeferredWork() {
        return deferred && !backendFull;
    }

    /** True while a frame the backend refused waits for writable(). */
    boolean waitingForBackend() {
        return backendFull;
    }

    /** Device reset: the held chain belongs to the old driver; its frame is dropped. The backend's state is kept. */
    void reset() {
        service.reset();
        if (gathered) {
            net.counters().drop(NetDrop.TX_RESET);
        }
        gathered = false;
        deferred = false;
    }
}
