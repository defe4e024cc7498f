package dev.aarvark.devices.virtio.net;

import dev.aarvark.devices.GuestError;
import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.ProtocolError;
import dev.aarvark.devices.QueueError;
import dev.aarvark.devices.io.net.FrameBackend;
import dev.aarvark.devices.io.net.ReceiveOffloads;
import dev.aarvark.devices.virtio.DriverSession;
import dev.aarvark.devices.virtio.VirtioDevice;
import dev.aarvark.devices.virtio.VirtioFeature;
import dev.aarvark.devices.virtio.queue.DescriptorChain;
import dev.aarvark.devices.virtio.queue.QueueService;
import dev.aarvark.devices.virtio.queue.SplitVirtqueue;

import java.util.List;
import java.util.Objects;

/**
 * The network device (virtio 1.2 §5.1, device ID 1) as QEMU 7.2's {@code virtio-net-device} presents
 * it, with its host side a {@link FrameBackend}.
 *
 * <h2>What it offers</h2>
 * <ul>
 *   <li>Features: {@link NetFeatures#offered} (QEMU's defaults; the checksum and segmentation
 *       offloads only with a backend that carries the vnet header).</li>
 *   <li>Queues (§5.1.2): receiveq0 (0), transmitq0 (1), controlq (2); QueueNumMax 256 for the data
 *       queues (QEMU's {@code rx_queue_size}/{@code tx_queue_size}) and 64 for the control queue.</li>
 *   <li>Configuration: mac, status, max_virtqueue_pairs 1, mtu ({@link NetConfigSpace}).</li>
 * </ul>
 *
 * <h2>What it does</h2>
 * {@link RxPath} (peer to guest, bounded host queue with backpressure), {@link TxPath} (guest to peer,
 * held under backpressure), {@link ControlQueue} (§5.1.6.5) and {@link RxFilter}. The link status
 * follows {@link FrameBackend.Listener#linkChanged}: a change updates VIRTIO_NET_S_LINK_UP and sends
 * a configuration change notification to a live driver (§5.1.4.2). {@link #announce()} asks the driver
 * for gratuitous packets (VIRTIO_NET_S_ANNOUNCE).
 *
 * <h2>Use</h2>
 * The constructor starts the backend ({@link FrameBackend#start}) with this device as its listener;
 * put the device behind a transport whose name it shares. The board keeps and closes the backend.
 * Frames arriving before DRIVER_OK wait in the bounded host queue; a device reset drops them.
 *
 * <p>Invariants: every method runs on the vCPU thread (the backend posts its callbacks there); no
 * method throws on guest or peer input; per-call work is bounded by {@link NetLimits}; after
 * {@link #reset} no chain, frame or setting of the old driver is left (the machine's MAC again,
 * QEMU's filter defaults) and the backend is receiving.
 */
public final class VirtioNet implements VirtioDevice {
    /** Virtio device ID of a network card (§5.1.1). */
    public static final int DEVICE_ID = 1;
    public static final int RECEIVEQ = 0;
    public static final int TRANSMITQ = 1;
    public static final int CONTROLQ = 2;
    /** QueueNumMax of receiveq0 and transmitq0 (QEMU's default queue sizes). */
    public static final int QUEUE_SIZE = 256;
    /** QueueNumMax of the control queue (QEMU: {@code virtio_add_queue(vdev, 64, ...)}). */
    public static final int CONTROL_QUEUE_SIZE = 64;
    /** The MTU when the machine does not say. */
    public static final int DEFAULT_MTU = 1500;
    /** The smallest MTU a driver accepts (Linux's ETH_MIN_MTU, the IPv4 minimum). */
    public static final int MIN_MTU = 68;

    private final String name;
    private final GuestErrorLog errors;
    private final FrameBackend backend;
    private final boolean vnetHeader;
    private final NetLimits limits;
    private final NetCounters counters = new NetCounters();
    private final NetConfigSpace config;
    private final RxFilter filter = new RxFilter();
    private final RxPath rx;
    private final TxPath tx;
    private final ControlQueue control;

    private DriverSession session;
    private int headerBytes = NetHeader.LEGACY_BYTES;
    private long guestOffloads;

    /** A NIC with the default MTU and limits. */
    public VirtioNet(String name, MacAddress mac, FrameBackend backend, GuestErrorLog errors) {
        this(name, mac, backend, DEFAULT_MTU, NetLimits.DEFAULT, errors);
    }

    /**
     * A NIC; starts {@code backend} with this device as its listener.
     *
     * @param name    the name for guest errors and logs; use the transport's, e.g. "virtio-net@a003e00",
     *                which the transport also puts in every DMA requester ("virtio-net@a003e00 queue 0
     *                descriptor 3 (chain head 2) buffer": queue 0 is receiveq0, 1 transmitq0, 2 controlq)
     * @param mac     the station address (QEMU's first NIC has {@link MacAddress#qemuDefault(int) 52:54:00:12:34:56})
     * @param backend the host side; {@link FrameBackend#carriesVnetHeader()} decides the offloads offered
     * @param mtu     the configuration space's mtu, {@value #MIN_MTU}..65535
     * @param limits  the per-call and host queue bounds
     * @param errors  the machine's guest error log
     */
    public VirtioNet(String name, MacAddress mac, FrameBackend backend, int mtu, NetLimits limits, GuestErrorLog errors) {
        this.name = Objects.requireNonNull(name, "name");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.backend = Objects.requireNonNull(backend, "backend");
        this.limits = Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(mac, "mac");
        if (mac.multicast()) {
            throw new IllegalArgumentException("a station address is unicast: " + mac);
        }
        if (mtu < MIN_MTU || mtu > 0xFFFF) {
            throw new IllegalArgumentException("mtu " + mtu + " must be " + MIN_MTU + "..65535");
        }
        this.vnetHeader = backend.carriesVnetHeader();
        this.config = new NetConfigSpace(name, mac, mtu, this::legacyMacWritable, errors);
        this.rx = new RxPath(this);
        this.tx = new TxPath(this);
        this.control = new ControlQueue(this);
        backend.start(listener);
        config.setLinkUp(backend.linkUp());
    }

    public String name() {
        return name;
    }

    public NetCounters counters() {
        return counters;
    }

    /**
     * The NIC's line for the run summary: name, station address, backend, what the device moved
     * and dropped, and what the backend lost, e.g. "virtio-net@a003e00 52:54:00:12:34:56
     * stream:listen=unix:/tmp/n.sock: rx 12 frames 3456 B, ...; backend: no peer 2".
     */
    public String summary() {
        String losses = backend.counters().losses();
        return name + " " + config.mac() + " " + backend.describe() + ": " + counters.summary()
                + "; backend: " + (losses.isEmpty() ? "no losses" : losses);
    }

    /** The station address now (the driver may have changed it). */
    public MacAddress mac() {
        return config.mac();
    }

    /** VIRTIO_NET_S_LINK_UP as the driver reads it. */
    public boolean linkUp() {
        return (config.status() & NetConfigSpace.S_LINK_UP) != 0;
    }

    /** Frames from the peer waiting for guest buffers. */
    public int queuedReceiveFrames() {
        return rx.queuedFrames();
    }

    /** True while the backend is told to stop receiving (the host receive queue filled). */
    public boolean receivePaused() {
        return rx.paused();
    }

    /** True while a guest frame the backend refused (FULL) waits for {@code writable()}. */
    public boolean transmitWaitingForBackend() {
        return tx.waitingForBackend();
    }

    /**
     * Asks the driver to announce itself (gratuitous ARP / unsolicited neighbour advertisements,
     * §5.1.6.5.4): sets VIRTIO_NET_S_ANNOUNCE and sends a configuration change notification, if a live
     * driver negotiated VIRTIO_NET_F_GUEST_ANNOUNCE; QEMU does it after a migration, a board may do it
     * when a new peer attaches. The driver acknowledges with VIRTIO_NET_CTRL_ANNOUNCE_ACK.
     *
     * @return whether the driver was asked
     */
    public boolean announce() {
        if (session == null || !session.negotiated(NetFeatures.GUEST_ANNOUNCE)) {
            return false;
        }
        if (config.setAnnounce(true)) {
            session.notifyConfigChange();
        }
        return true;
    }

    // ---------------------------------------------------------------- VirtioDevice

    @Override
    public int deviceId() {
        return DEVICE_ID;
    }

    @Override
    public long deviceFeatures() {
        return NetFeatures.offered(vnetHeader);
    }

    @Override
    public int queueCount() {
        return 3;
    }

    @Override
    public int queueMaxSize(int queue) {
        return queue == CONTROLQ ? CONTROL_QUEUE_SIZE : QUEUE_SIZE;
    }

    @Override
    public int configSize() {
        return NetConfigSpace.SIZE;
    }

    @Override
    public int readConfig(int offset, int size) {
        return config.read(offset, size);
    }

    @Override
    public void writeConfig(int offset, int size, int value) {
        config.write(offset, size, value);
    }

    @Override
    public void activate(DriverSession s) {
        session = s;
        headerBytes = NetHeader.size(s.features());
        setGuestOffloads(s.features() & NetFeatures.GUEST_OFFLOADS);
        filter.activate(s.negotiated(NetFeatures.CTRL_VLAN));
        rx.deliver();
    }

    @Override
    public void queueNotified(int queue) {
        switch (queue) {
            case RECEIVEQ -> rx.deliver();
            case TRANSMITQ -> tx.transmit();
            case CONTROLQ -> {
                if (negotiated(NetFeatures.CTRL_VQ)) {
                    control.process();
                } else {
                    guestError(ProtocolError.CONTROL_PROTOCOL,
                            "controlq notified without VIRTIO_NET_F_CTRL_VQ negotiated (§5.1.2); its buffers stay in the ring");
                }
            }
            default -> { } // the transport admits only the three queues
        }
    }

    @Override
    public void reset() {
        session = null;
        headerBytes = NetHeader.LEGACY_BYTES;
        setGuestOffloads(0);
        tx.reset();
        control.reset();
        filter.reset();
        config.reset();
        rx.reset();
    }

    @Override
    public boolean hasDeferredWork() {
        return session != null && (rx.hasDeferredWork() || tx.hasDeferredWork() || control.hasDeferredWork());
    }

    @Override
    public void runDeferredWork() {
        if (session == null) {
            return;
        }
        if (control.hasDeferredWork()) {
            control.process();
        }
        if (tx.hasDeferredWork()) {
            tx.transmit();
        }
        if (rx.hasDeferredWork()) {
            rx.deliver();
        }
    }

    // ---------------------------------------------------------------- the backend's side

    private final FrameBackend.Listener listener = new FrameBackend.Listener() {
        @Override
        public void received(byte[] frame) {
            rx.received(Objects.requireNonNull(frame, "frame"));
        }

        @Override
        public int receivedBatch(List<byte[]> frames) {
            return rx.receivedBatch(frames);
        }

        @Override
        public void writable() {
            tx.writable();
        }

        @Override
        public void linkChanged(boolean up) {
            if (config.setLinkUp(up) && session != null) {
                session.notifyConfigChange();
            }
        }
    };

    // ---------------------------------------------------------------- for the paths

    NetLimits limits() {
        return limits;
    }

    FrameBackend backend() {
        return backend;
    }

    boolean vnetHeader() {
        return vnetHeader;
    }

    NetConfigSpace config() {
        return config;
    }

    RxFilter filter() {
        return filter;
    }

    /** The header size of the live session (10 bytes before one). */
    int headerBytes() {
        return headerBytes;
    }

    long negotiatedFeatures() {
        return session == null ? 0 : session.features();
    }

    boolean negotiated(int bit) {
        return VirtioFeature.has(negotiatedFeatures(), bit);
    }

    /** The receive offloads the driver has now: the negotiated ones, then VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET. */
    long guestOffloads() {
        return guestOffloads;
    }

    /** The driver's receive offloads from now on; a vnet-header backend is told (QEMU's virtio_net_apply_guest_offloads). */
    void setGuestOffloads(long offloads) {
        guestOffloads = offloads;
        if (vnetHeader) {
            backend.setReceiveOffloads(new ReceiveOffloads(has(offloads, NetFeatures.GUEST_CSUM),
                    has(offloads, NetFeatures.GUEST_TSO4), has(offloads, NetFeatures.GUEST_TSO6),
                    has(offloads, NetFeatures.GUEST_ECN), has(offloads, NetFeatures.GUEST_UFO)));
        }
    }

    private static boolean has(long features, int bit) {
        return VirtioFeature.has(features, bit);
    }

    private boolean legacyMacWritable() {
        return session != null && !session.negotiated(VirtioFeature.VERSION_1) && !session.negotiated(NetFeatures.CTRL_MAC_ADDR);
    }

    /** The live queue {@code index}, or {@code null} (no driver, or not enabled). */
    SplitVirtqueue liveQueue(int index) {
        return session == null ? null : session.queue(index);
    }

    void notifyUsed(int queue) {
        if (session != null) {
            session.notifyUsed(queue);
        }
    }

    void guestError(GuestError kind, String detail) {
        errors.report(name, kind, detail);
    }

    void reportWrongDirection(SplitVirtqueue q, DescriptorChain c, QueueService.Direction expected) {
        if (expected == QueueService.Direction.DEVICE_READS) {
            guestError(QueueError.WRITABLE_IN_TRANSMIT, String.format(
                    "transmitq0 chain head %d has %d device-writable bytes (§5.1.6.2); they are ignored",
                    c.head(), c.writableLength()));
        } else {
            guestError(QueueError.READABLE_IN_RECEIVE, String.format(
                    "receiveq0 chain head %d has %d device-readable bytes (§5.1.6.3); returned unused",
                    c.head(), c.readableLength()));
        }
    }

    /** The service events of transmitq0 and controlq: direction reports and used buffer notifications. */
    QueueService.Events queueEvents() {
        return queueEvents;
    }

    private final QueueService.Events queueEvents = new QueueService.Events() {
        @Override
        public void wrongDirection(SplitVirtqueue q, DescriptorChain c, QueueService.Direction expected) {
            reportWrongDirection(q, c, expected);
        }

        @Override
        public void notifyUsed(int queue) {
            VirtioNet.this.notifyUsed(queue);
        }
    };
}
