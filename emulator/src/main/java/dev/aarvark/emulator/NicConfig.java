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
 */
public record NicConfig(NetBackend backend, byte[] mac, Path pcap) {
    /** QEMU's first default MAC; each further NIC adds one to the last byte. */
    public static final byte[] FIRST_DEFAULT_MAC = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};

    public NicConfig {
        Objects.requireNonNull(backend, "backend");
        if (mac != null) {
            if (mac.length != 6) {
                throw new IllegalArgumentException("a MAC address has 6 bytes, not " + mac.length);
            }
            mac = mac.clone();
        }
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
