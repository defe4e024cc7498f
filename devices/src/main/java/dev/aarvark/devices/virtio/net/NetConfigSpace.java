package dev.aarvark.devices.virtio.net;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.RegisterError;

import java.util.function.BooleanSupplier;

/**
 * The virtio-net configuration space (virtio 1.2 §5.1.4, {@code struct virtio_net_config}) up to
 * the last field an offered feature makes valid, as QEMU sizes it: u8 mac[6] (VIRTIO_NET_F_MAC),
 * le16 status (VIRTIO_NET_F_STATUS), le16 max_virtqueue_pairs, le16 mtu (VIRTIO_NET_F_MTU); 12
 * bytes. max_virtqueue_pairs reads 1 (one pair; VIRTIO_NET_F_MQ is not offered), as QEMU fills it.
 *
 * <p>What it keeps true:
 * <ul>
 *   <li>{@code mac} is the station address the receive filter uses: the machine's address until the
 *       driver changes it (VIRTIO_NET_CTRL_MAC_ADDR_SET, or a legacy write below) and again after a
 *       reset.</li>
 *   <li>{@code status} has VIRTIO_NET_S_LINK_UP while the backend has a peer and
 *       VIRTIO_NET_S_ANNOUNCE while an announcement is asked for and not yet acknowledged; the
 *       device sends a configuration change notification when either changes (§5.1.4.2).</li>
 *   <li>The driver writes only {@code mac}, and only where §5.1.4.3 lets it: through the legacy
 *       interface, byte by byte as Linux's {@code virtnet_set_mac_address} does, when
 *       VIRTIO_NET_F_CTRL_MAC_ADDR was not negotiated (QEMU's {@code virtio_net_set_config}). Any other
 *       write is a guest error and changes nothing.</li>
 * </ul>
 */
final class NetConfigSpace {
    static final int MAC = 0;
    static final int STATUS = 6;
    static final int MAX_VIRTQUEUE_PAIRS = 8;
    static final int MTU = 10;
    static final int SIZE = 12;

    static final int S_LINK_UP = 1;
    static final int S_ANNOUNCE = 2;

    private final String device;
    private final GuestErrorLog errors;
    private final MacAddress machineMac;
    private final int mtu;
    private final BooleanSupplier macWritable;
    private MacAddress mac;
    private int status;

    /**
     * @param macWritable whether the live driver may write {@code mac} (legacy, without CTRL_MAC_ADDR)
     */
    NetConfigSpace(String device, MacAddress mac, int mtu, BooleanSupplier macWritable, GuestErrorLog errors) {
        this.device = device;
        this.errors = errors;
        this.machineMac = mac;
        this.mac = mac;
        this.mtu = mtu;
        this.macWritable = macWritable;
    }

    MacAddress mac() {
        return mac;
    }

    void setMac(MacAddress m) {
        mac = m;
    }

    int mtu() {
        return mtu;
    }

    int status() {
        return status;
    }

    /** Sets or clears LINK_UP; true if that changed the field. */
    boolean setLinkUp(boolean up) {
        return setStatusBit(S_LINK_UP, up);
    }

    /** Sets or clears ANNOUNCE; true if that changed the field. */
    boolean setAnnounce(boolean on) {
        return setStatusBit(S_ANNOUNCE, on);
    }

    private boolean setStatusBit(int bit, boolean on) {
        int next = on ? status | bit : status & ~bit;
        boolean changed = next != status;
        status = next;
        return changed;
    }

    /** Device reset: the machine's MAC again, no announcement pending; the link is the backend's. */
    void reset() {
        mac = machineMac;
        status &= ~S_ANNOUNCE;
    }

    int read(int offset, int size) {
        int value = 0;
        for (int i = size - 1; i >= 0; i--) {
            value = value << 8 | byteAt(offset + i);
        }
        return value;
    }

    private int byteAt(int offset) {
        if (offset < STATUS) {
            return mac.byteAt(offset);
        }
        int field = switch (offset & ~1) {
            case STATUS -> status;
            case MAX_VIRTQUEUE_PAIRS -> 1;
            case MTU -> mtu;
            default -> 0;
        };
        return (offset & 1) == 0 ? field & 0xFF : field >>> 8 & 0xFF;
    }

    void write(int offset, int size, int value) {
        if (offset + size <= STATUS && macWritable.getAsBoolean()) {
            MacAddress m = mac;
            for (int i = 0; i < size; i++) {
                m = m.withByte(offset + i, value >>> (8 * i));
            }
            mac = m;
            return;
        }
        errors.report(device, RegisterError.WRITE_READ_ONLY, String.format(
                "%d-byte write of 0x%x at configuration offset 0x%x ignored: %s", size, value, offset,
                offset + size <= STATUS ? "mac is written only by a legacy driver without VIRTIO_NET_F_CTRL_MAC_ADDR (§5.1.4.3)"
                        : "the driver writes no virtio-net configuration field but mac (§5.1.4.2)"));
    }
}
