package dev.aarvark.devices.virtio.net;

import dev.aarvark.devices.virtio.VirtioFeature;

/**
 * The virtio-net feature bits (virtio 1.2 §5.1.3) and the set this device offers.
 *
 * <h2>What is offered (QEMU 7.2's {@code virtio-net-device} defaults)</h2>
 * Always: MAC, STATUS, MTU, MRG_RXBUF, CTRL_VQ, CTRL_RX, CTRL_VLAN, CTRL_RX_EXTRA,
 * CTRL_MAC_ADDR, CTRL_GUEST_OFFLOADS and GUEST_ANNOUNCE. Checksum and segmentation offloads (CSUM,
 * GUEST_CSUM, HOST_TSO4/6, HOST_ECN, HOST_UFO, GUEST_TSO4/6, GUEST_ECN, GUEST_UFO) only with a
 * backend whose frames carry the virtio-net header ({@code FrameBackend.carriesVnetHeader()}): as
 * QEMU's {@code virtio_net_get_features} clears them when the peer has no vnet header, because only
 * such a peer (a TAP with IFF_VNET_HDR) can take a partial checksum or a segmentation request. The
 * transport adds VERSION_1, INDIRECT_DESC and EVENT_IDX (or the legacy bits) itself.
 *
 * <p>Not offered, unlike QEMU: GSO (bit 6, a legacy bit §5.1.3.2 retired in favour of the TSO/UFO
 * bits; Linux uses it only together with CSUM). Offered, unlike QEMU's default: MTU (QEMU offers it
 * only with a {@code host_mtu} property; here the MTU is always given, 1500 by default). MQ, RSS,
 * HASH_REPORT, SPEED_DUPLEX, NOTF_COAL and the USO bits are not offered, as by QEMU's defaults.
 *
 * <p>What it keeps true: the offer depends only on the backend's {@code carriesVnetHeader()}, read
 * once when the device is made, so it is the same for every driver session; every offered bit is
 * implemented (a feature the device could not honour is never offered).
 */
public final class NetFeatures {
    /** Device handles packets with partial checksum (TX NEEDS_CSUM). */
    public static final int CSUM = 0;
    /** Driver handles packets with partial checksum (RX NEEDS_CSUM, DATA_VALID). */
    public static final int GUEST_CSUM = 1;
    /** Control channel offloads reconfiguration (VIRTIO_NET_CTRL_GUEST_OFFLOADS). */
    public static final int CTRL_GUEST_OFFLOADS = 2;
    /** The configuration space's mtu is valid. */
    public static final int MTU = 3;
    /** The configuration space's mac is valid. */
    public static final int MAC = 5;
    public static final int GUEST_TSO4 = 7;
    public static final int GUEST_TSO6 = 8;
    public static final int GUEST_ECN = 9;
    public static final int GUEST_UFO = 10;
    public static final int HOST_TSO4 = 11;
    public static final int HOST_TSO6 = 12;
    public static final int HOST_ECN = 13;
    public static final int HOST_UFO = 14;
    /** The driver can merge receive buffers: a packet may span several chains (num_buffers). */
    public static final int MRG_RXBUF = 15;
    /** The configuration space's status is valid. */
    public static final int STATUS = 16;
    /** The control virtqueue exists. */
    public static final int CTRL_VQ = 17;
    /** Control channel RX mode and MAC table (VIRTIO_NET_CTRL_RX, MAC_TABLE_SET). */
    public static final int CTRL_RX = 18;
    /** Control channel VLAN filtering. */
    public static final int CTRL_VLAN = 19;
    /** Extra RX mode commands (ALLUNI, NOMULTI, NOUNI, NOBCAST). */
    public static final int CTRL_RX_EXTRA = 20;
    /** The driver can send gratuitous packets when asked (VIRTIO_NET_S_ANNOUNCE). */
    public static final int GUEST_ANNOUNCE = 21;
    /** Multiqueue; not offered. */
    public static final int MQ = 22;
    /** Set the MAC address through the control channel. */
    public static final int CTRL_MAC_ADDR = 23;

    /** The receive offloads VIRTIO_NET_CTRL_GUEST_OFFLOADS_SET may switch (§5.1.6.5.6.1). */
    static final long GUEST_OFFLOADS = VirtioFeature.bit(GUEST_CSUM) | VirtioFeature.bit(GUEST_TSO4)
            | VirtioFeature.bit(GUEST_TSO6) | VirtioFeature.bit(GUEST_ECN) | VirtioFeature.bit(GUEST_UFO);

    private static final long ALWAYS = bits(MAC, STATUS, MTU, MRG_RXBUF, CTRL_VQ, CTRL_RX, CTRL_VLAN,
            CTRL_RX_EXTRA, CTRL_MAC_ADDR, CTRL_GUEST_OFFLOADS, GUEST_ANNOUNCE);
    private static final long OFFLOADS = bits(CSUM, GUEST_CSUM, HOST_TSO4, HOST_TSO6, HOST_ECN, HOST_UFO,
            GUEST_TSO4, GUEST_TSO6, GUEST_ECN, GUEST_UFO);

    private NetFeatures() {}

    /** The device-type bits offered with a backend that does ({@code true}) or does not carry the vnet header. */
    public static long offered(boolean vnetHeader) {
        return vnetHeader ? ALWAYS | OFFLOADS : ALWAYS;
    }

    private static long bits(int... bits) {
        long mask = 0;
        for (int b : bits) {
            mask |= VirtioFeature.bit(b);
        }
        return mask;
    }
}
