package dev.aarvark.devices.virtio.net;

import java.util.Arrays;

/**
 * Which received frames the driver wants (virtio 1.2 §5.1.6.5.1 "Packet Receive Filtering",
 * §5.1.6.5.2 MAC table, §5.1.6.5.3 VLAN filtering), with QEMU's defaults and its rules
 * ({@code receive_filter} in hw/net/virtio-net.c), in this order:
 * <ol>
 *   <li>promiscuous: everything (the default, as QEMU starts with {@code promisc = 1});</li>
 *   <li>an 802.1Q-tagged frame whose VLAN ID is not in the table: dropped (the table holds every ID
 *       unless VIRTIO_NET_F_CTRL_VLAN was negotiated, then none until the driver adds them);</li>
 *   <li>broadcast: unless NOBCAST;</li>
 *   <li>other multicast: not with NOMULTI; yes with ALLMULTI or an overflowed multicast table;
 *       else if in the multicast table;</li>
 *   <li>unicast: not with NOUNI; yes with ALLUNI or an overflowed unicast table, or to the station
 *       address; else if in the unicast table.</li>
 * </ol>
 * What it keeps true: the tables hold at most {@value #TABLE_ENTRIES} addresses together (QEMU's
 * MAC_TABLE_ENTRIES), more set the overflow flag instead; a reset restores the defaults.
 */
final class RxFilter {
    /** MAC table capacity, unicast and multicast together (QEMU's MAC_TABLE_ENTRIES). */
    static final int TABLE_ENTRIES = 64;
    /** VLAN IDs 0..4095. */
    static final int VLANS = 4096;

    static final int PROMISC = 0;
    static final int ALLMULTI = 1;
    static final int ALLUNI = 2;
    static final int NOMULTI = 3;
    static final int NOUNI = 4;
    static final int NOBCAST = 5;

    private static final long BROADCAST = 0xFFFF_FFFF_FFFFL;
    private static final int ETH_HEADER = 14;
    private static final int TPID_8021Q = 0x8100;

    /** The six RX mode flags, indexed by their VIRTIO_NET_CTRL_RX command. */
    private final boolean[] mode = new boolean[6];
    private long[] unicast = new long[0];
    private long[] multicast = new long[0];
    private boolean unicastOverflow;
    private boolean multicastOverflow;
    private final long[] vlans = new long[VLANS / 64];

    RxFilter() {
        reset();
    }

    /** QEMU's {@code virtio_net_reset}: promiscuous, no other mode, empty tables, every VLAN. */
    void reset() {
        Arrays.fill(mode, false);
        mode[PROMISC] = true;
        unicast = new long[0];
        multicast = new long[0];
        unicastOverflow = false;
        multicastOverflow = false;
        Arrays.fill(vlans, -1L);
    }

    /** DRIVER_OK: with VIRTIO_NET_F_CTRL_VLAN the VLAN table starts empty, else it holds every ID (QEMU). */
    void activate(boolean vlanFiltering) {
        Arrays.fill(vlans, vlanFiltering ? 0 : -1L);
    }

    /** Sets RX mode {@code command} (VIRTIO_NET_CTRL_RX_PROMISC..NOBCAST). */
    void setMode(int command, boolean on) {
        mode[command] = on;
    }

    boolean mode(int command) {
        return mode[command];
    }

    /** Replaces the MAC table (VIRTIO_NET_CTRL_MAC_TABLE_SET); {@code null} for a list that overflowed. */
    void setTable(long[] uni, long[] multi) {
        unicastOverflow = uni == null;
        multicastOverflow = multi == null;
        unicast = uni == null ? new long[0] : uni.clone();
        multicast = multi == null ? new long[0] : multi.clone();
    }

    void setVlan(int vid, boolean on) {
        if (on) {
            vlans[vid >>> 6] |= 1L << (vid & 63);
        } else {
            vlans[vid >>> 6] &= ~(1L << (vid & 63));
        }
    }

    boolean vlanAllowed(int vid) {
        return (vlans[vid >>> 6] & 1L << (vid & 63)) != 0;
    }

    /** Whether the frame {@code f[off, off+len)} (at least an Ethernet header) is for the driver. */
    boolean accepts(byte[] f, int off, int len, MacAddress station) {
        if (mode[PROMISC]) {
            return true;
        }
        if (len >= ETH_HEADER + 2 && ((f[off + 12] & 0xFF) << 8 | (f[off + 13] & 0xFF)) == TPID_8021Q) {
            int vid = ((f[off + 14] & 0xFF) << 8 | (f[off + 15] & 0xFF)) & 0xFFF;
            if (!vlanAllowed(vid)) {
                return false;
            }
        }
        long dest = MacAddress.read(f, off);
        if ((f[off] & 1) != 0) {
            if (dest == BROADCAST) {
                return !mode[NOBCAST];
            }
            if (mode[NOMULTI]) {
                return false;
            }
            return mode[ALLMULTI] || multicastOverflow || contains(multicast, dest);
        }
        if (mode[NOUNI]) {
            return false;
        }
        return mode[ALLUNI] || unicastOverflow || dest == station.value() || contains(unicast, dest);
    }

    private static boolean contains(long[] table, long mac) {
        for (long m : table) {
            if (m == mac) {
                return true;
            }
        }
        return false;
    }
}
