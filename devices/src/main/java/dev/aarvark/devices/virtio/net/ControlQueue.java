package dev.aarvark.devices.virtio.net;

import dev.aarvark.devices.ProtocolError;
import dev.aarvark.devices.QueueError;
import dev.aarvark.devices.virtio.VirtioFeature;
import dev.aarvark.devices.virtio.queue.DescriptorChain;
import dev.aarvark.devices.virtio.queue.QueueService;
import dev.aarvark.devices.virtio.queue.SplitVirtqueue;

/**
 * The control virtqueue (virtio 1.2 §5.1.6.5): each chain is one command, {@code u8 class, u8
 * command, command-specific-data} device-readable, then {@code u8 ack} device-writable, answered
 * VIRTIO_NET_OK (0) or VIRTIO_NET_ERR (1) in the first writable byte (used length 1). Served through
 * the device's one {@link QueueService} loop as {@link QueueService.Direction#REQUEST_REPLY}, at most
 * {@link NetLimits#controlChainsPerCall()} commands per call.
 *
 * <h2>Commands</h2>
 * <ul>
 *   <li>VIRTIO_NET_CTRL_RX (class 0, VIRTIO_NET_F_CTRL_RX): PROMISC and ALLMULTI; ALLUNI, NOMULTI,
 *       NOUNI and NOBCAST with VIRTIO_NET_F_CTRL_RX_EXTRA (§5.1.6.5.1). Data: {@code u8 on}.</li>
 *   <li>VIRTIO_NET_CTRL_MAC (class 1): MAC_TABLE_SET (with CTRL_RX): {@code le32 entries, macs} for
 *       unicast then multicast; more than the table holds sets the overflow flag, as QEMU's
 *       {@code virtio_net_handle_mac}; the multicast list must end the data exactly. MAC_ADDR_SET
 *       (with VIRTIO_NET_F_CTRL_MAC_ADDR): exactly 6 bytes, the new station address (§5.1.6.5.2).</li>
 *   <li>VIRTIO_NET_CTRL_VLAN (class 2, VIRTIO_NET_F_CTRL_VLAN): ADD and DEL, {@code le16 vid} below
 *       4096 (§5.1.6.5.3).</li>
 *   <li>VIRTIO_NET_CTRL_ANNOUNCE (class 3, VIRTIO_NET_F_GUEST_ANNOUNCE): ACK clears
 *       VIRTIO_NET_S_ANNOUNCE; an ACK with no announcement pending is an error (§5.1.6.5.4).</li>
 *   <li>VIRTIO_NET_CTRL_GUEST_OFFLOADS (class 5, VIRTIO_NET_F_CTRL_GUEST_OFFLOADS): SET, {@code le64}
 *       offloads, each of which must be a negotiated receive offload (§5.1.6.5.6.1); 0 is always
 *       valid.</li>
 * </ul>
 *
 * <p>What it keeps true: a command is a guest error answered ERR, and changes nothing, when it is
 * shorter than its class and command ({@code SHORT_CONTROL_MESSAGE}), of an unknown class or
 * command, of a class whose feature was not negotiated, or with data of the wrong size or value
 * ({@code CONTROL_PROTOCOL}); a chain without a writable ack byte is reported
 * ({@code NO_STATUS_BUFFER}) and not executed. Nothing throws; data is read in bounded pieces.
 */
final class ControlQueue {
    static final int OK = 0;
    static final int ERR = 1;

    static final int CLASS_RX = 0;
    static final int CLASS_MAC = 1;
    static final int CLASS_VLAN = 2;
    static final int CLASS_ANNOUNCE = 3;
    static final int CLASS_MQ = 4;
    static final int CLASS_GUEST_OFFLOADS = 5;

    static final int MAC_TABLE_SET = 0;
    static final int MAC_ADDR_SET = 1;
    static final int VLAN_ADD = 0;
    static final int VLAN_DEL = 1;
    static final int ANNOUNCE_ACK = 0;
    static final int GUEST_OFFLOADS_SET = 0;

    private static final String[] CLASSES = {"RX", "MAC", "VLAN", "ANNOUNCE", "MQ", "GUEST_OFFLOADS"};
    private static final String[][] COMMANDS = {
        {"PROMISC", "ALLMULTI", "ALLUNI", "NOMULTI", "NOUNI", "NOBCAST"},
        {"TABLE_SET", "ADDR_SET"},
        {"ADD", "DEL"},
        {"ACK"},
        {"VQ_PAIRS_SET", "RSS_CONFIG", "HASH_CONFIG"},
        {"SET"},
    };

    private final VirtioNet net;
    private final QueueService service;
    /** Command data in bounded pieces: at most a MAC table list. */
    private final byte[] data = new byte[RxFilter.TABLE_ENTRIES * MacAddress.BYTES];
    private final byte[] ack = new byte[1];
    private DescriptorChain chain;
    private long dataLength;
    private boolean deferred;

    ControlQueue(VirtioNet net) {
        this.net = net;
        this.service = new QueueService(QueueService.Direction.REQUEST_REPLY, net.limits().controlChainsPerCall(),
                net.queueEvents());
    }

    /** The driver notified the control queue, or deferred work: handle what the cap allows. */
    void process() {
        SplitVirtqueue q = net.liveQueue(VirtioNet.CONTROLQ);
        if (q == null) {
            return;
        }
        deferred = service.serve(q, this::handle) == QueueService.PassEnd.CAPPED;
    }

    private long handle(DescriptorChain c, boolean resumed) {
        net.counters().controlCommands++;
        if (c.writableLength() == 0) {
            net.counters().controlErrors++;
            net.guestError(QueueError.NO_STATUS_BUFFER, String.format(
                    "controlq chain head %d has no device-writable byte for the ack (§5.1.6.5); the command is not executed",
                    c.head()));
            return 0;
        }
        ack[0] = (byte) execute(c);
        if (ack[0] != OK) {
            net.counters().controlErrors++;
        }
        return c.write(0, ack, 0, 1);
    }

    private int execute(DescriptorChain c) {
        if (c.readableLength() < 2) {
            net.guestError(QueueError.SHORT_CONTROL_MESSAGE, String.format(
                    "controlq chain head %d has %d readable bytes, less than the class and command (§5.1.6.5); "
                            + "answered VIRTIO_NET_ERR", c.head(), c.readableLength()));
            return ERR;
        }
        if (c.read(0, data, 0, 2) < 2) {
            return ERR;
        }
        int cls = data[0] & 0xFF;
        int cmd = data[1] & 0xFF;
        chain = c;
        dataLength = c.readableLength() - 2;
        String refusal;
        try {
            refusal = switch (cls) {
                case CLASS_RX -> rxMode(cmd);
                case CLASS_MAC -> mac(cmd);
                case CLASS_VLAN -> vlan(cmd);
                case CLASS_ANNOUNCE -> announce(cmd);
                case CLASS_MQ -> "VIRTIO_NET_F_MQ is not offered";
                case CLASS_GUEST_OFFLOADS -> guestOffloads(cmd);
                default -> "unknown class";
            };
        } finally {
            chain = null;
        }
        if (refusal == null) {
            return OK;
        }
        if (!c.faulted()) {
            net.guestError(ProtocolError.CONTROL_PROTOCOL, String.format("controlq chain head %d: %s (%d data bytes): %s; "
                    + "answered VIRTIO_NET_ERR", c.head(), name(cls, cmd), dataLength, refusal));
        }
        return ERR;
    }

    static String name(int cls, int cmd) {
        if (cls >= CLASSES.length) {
            return "class " + cls + " command " + cmd;
        }
        String base = "VIRTIO_NET_CTRL_" + CLASSES[cls];
        return cmd < COMMANDS[cls].length ? base + "_" + COMMANDS[cls][cmd] : base + " command " + cmd;
    }

    private String needs(int feature, String featureName) {
        return net.negotiated(feature) ? null : featureName + " was not negotiated";
    }

    private String rxMode(int cmd) {
        String missing = needs(NetFeatures.CTRL_RX, "VIRTIO_NET_F_CTRL_RX");
        if (missing != null) {
            return missing;
        }
        if (cmd > RxFilter.NOBCAST) {
            return "unknown command";
        }
        if (cmd >= RxFilter.ALLUNI && (missing = needs(NetFeatures.CTRL_RX_EXTRA, "VIRTIO_NET_F_CTRL_RX_EXTRA")) != null) {
            return missing;
        }
        if (dataLength < 1) {
            return "no u8 on";
        }
        if (!read(0, 1)) {
            return "the data cannot be read";
        }
        net.filter().setMode(cmd, data[0] != 0);
        return null;
    }

    private String mac(int cmd) {
        if (cmd == MAC_ADDR_SET) {
            String missing = needs(NetFeatures.CTRL_MAC_ADDR, "VIRTIO_NET_F_CTRL_MAC_ADDR");
            if (missing != null) {
                return missing;
            }
            if (dataLength != MacAddress.BYTES) {
                return "the data must be exactly one 6-byte address";
            }
            if (!read(0, MacAddress.BYTES)) {
                return "the data cannot be read";
            }
            net.config().setMac(MacAddress.of(data, 0));
            return null;
        }
        if (cmd != MAC_TABLE_SET) {
            return "unknown command";
        }
        String missing = needs(NetFeatures.CTRL_RX, "VIRTIO_NET_F_CTRL_RX");
        if (missing != null) {
            return missing;
        }
        long at = 0;
        if (dataLength - at < 4 || !read(at, 4)) {
            return "no unicast entry count";
        }
        long uniEntries = u32(0);
        at += 4;
        if (uniEntries * MacAddress.BYTES > dataLength - at) {
            return uniEntries + " unicast entries do not fit the data";
        }
        long[] uni = null;
        if (uniEntries <= RxFilter.TABLE_ENTRIES) {
            uni = readMacs(at, (int) uniEntries);
            if (uni == null) {
                return "the data cannot be read";
            }
        }
        at += uniEntries * MacAddress.BYTES;
        if (dataLength - at < 4 || !read(at, 4)) {
            return "no multicast entry count";
        }
        long multiEntries = u32(0);
        at += 4;
        if (multiEntries * MacAddress.BYTES != dataLength - at) {
            return multiEntries + " multicast entries do not end the data (" + (dataLength - at) + " bytes left)";
        }
        long[] multi = null;
        if (multiEntries <= RxFilter.TABLE_ENTRIES - (uni == null ? 0 : uni.length)) {
            multi = readMacs(at, (int) multiEntries);
            if (multi == null) {
                return "the data cannot be read";
            }
        }
        net.filter().setTable(uni, multi);
        return null;
    }

    private String vlan(int cmd) {
        String missing = needs(NetFeatures.CTRL_VLAN, "VIRTIO_NET_F_CTRL_VLAN");
        if (missing != null) {
            return missing;
        }
        if (cmd != VLAN_ADD && cmd != VLAN_DEL) {
            return "unknown command";
        }
        if (dataLength < 2 || !read(0, 2)) {
            return "no le16 vid";
        }
        int vid = (data[0] & 0xFF) | (data[1] & 0xFF) << 8;
        if (vid >= RxFilter.VLANS) {
            return "VLAN ID " + vid + " is above 4095";
        }
        net.filter().setVlan(vid, cmd == VLAN_ADD);
        return null;
    }

    private String announce(int cmd) {
        String missing = needs(NetFeatures.GUEST_ANNOUNCE, "VIRTIO_NET_F_GUEST_ANNOUNCE");
        if (missing != null) {
            return missing;
        }
        if (cmd != ANNOUNCE_ACK) {
            return "unknown command";
        }
        if (!net.config().setAnnounce(false)) {
            return "no announcement was asked for (VIRTIO_NET_S_ANNOUNCE is clear)";
        }
        return null;
    }

    private String guestOffloads(int cmd) {
        String missing = needs(NetFeatures.CTRL_GUEST_OFFLOADS, "VIRTIO_NET_F_CTRL_GUEST_OFFLOADS");
        if (missing != null) {
            return missing;
        }
        if (cmd != GUEST_OFFLOADS_SET) {
            return "unknown command";
        }
        if (dataLength < 8 || !read(0, 8)) {
            return "no le64 offloads";
        }
        long offloads = u32(0) | u32(4) << 32;
        long allowed = net.negotiatedFeatures() & NetFeatures.GUEST_OFFLOADS;
        if ((offloads & ~allowed) != 0) {
            return String.format("offloads %s include %s, which are not negotiated receive offloads (§5.1.6.5.6.1)",
                    VirtioFeature.hex(offloads), VirtioFeature.hex(offloads & ~allowed));
        }
        net.setGuestOffloads(offloads);
        return null;
    }

    /** Reads data bytes {@code [at, at+n)} into {@link #data}; false if the DMA space refused (reported). */
    private boolean read(long at, int n) {
        return chain.read(2 + at, data, 0, n) == n;
    }

    private long u32(int off) {
        return (data[off] & 0xFFL) | (data[off + 1] & 0xFFL) << 8 | (data[off + 2] & 0xFFL) << 16 | (data[off + 3] & 0xFFL) << 24;
    }

    private long[] readMacs(long at, int n) {
        if (!read(at, n * MacAddress.BYTES)) {
            return null;
        }
        long[] macs = new long[n];
        for (int i = 0; i < n; i++) {
            macs[i] = MacAddress.read(data, i * MacAddress.BYTES);
        }
        return macs;
    }

    boolean hasDeferredWork() {
        return deferred;
    }

    /** Device reset: nothing of a command outlives its call. */
    void reset() {
        deferred = false;
    }
}
