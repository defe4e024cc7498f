package dev.aarvark.emulator;

import dev.aarvark.emulator.board.NetBackend;

import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Objects;

/**
 * One virtio-net card (QEMU's {@code -netdev ... -device virtio-net-device}): its host side, its
 * MAC address, and an optional packet capture of every frame both ways (QEMU's
 * {@code filter-dump}).
 *
 * @param backend the host side
 * @param mac     the six MAC bytes, or null for the board's next default (QEMU's
 *                52:54:00:12:34:56, then :57, ...)
 * @param pcap    the capture file, or null
 * @param transportVersion the virtio-mmio transport it sits behind: 2 (modern, virtio 1.2 §4.2.2)
 *                or 1 (legacy, §4.2.4), as {@code --virtio-version} chooses for every virtio device
 */
public record NicConfig(NetBackend backend, byte[] mac, Path pcap, int transportVersion) {
    /** QEMU's first default MAC; each further NIC adds one to the last byte. */
    public static final byte[] FIRST_DEFAULT_MAC = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};

    /** A NIC behind the modern transport. */
    public NicConfig(NetBackend backend, byte[] mac, Path pcap) {
        this(backend, mac, pcap, 2);
    }

    public NicConfig {
        Objects.requireNonNull(backend, "backend");
        if (transportVersion != 1 && transportVersion != 2) {
            throw new IllegalArgumentException("virtio-mmio transport version " + transportVersion + " (1 or 2)");
        }
        if (mac != null) {
            if (mac.length != 6) {
                throw new IllegalArgumentException("a MAC address has 6 bytes, not " + mac.length);
            }
            mac = mac.clone();
        }
    }

    /** This NIC behind transport {@code version} (1 legacy, 2 modern). */
    public NicConfig withTransportVersion(int version) {
        return new NicConfig(backend, mac, pcap, version);
    }

    /** The MAC the {@code index}-th NIC (from 0) gets when none was given. */
    public static byte[] defaultMac(int index) {
        byte[] m = FIRST_DEFAULT_MAC.clone();
        m[5] = (byte) (m[5] + index);
        return m;
    }

    /** {@code aa:bb:cc:dd:ee:ff}. */
    public static String format(byte[] mac) {
        return HexFormat.ofDelimiter(":").formatHex(mac);
    }

    @Override
    public byte[] mac() {
        return mac == null ? null : mac.clone();
    }
}
