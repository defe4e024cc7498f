package dev.aarvark.devices.virtio.net;

import java.util.Objects;

/**
 * A 48-bit Ethernet MAC address (IEEE 802), the value of virtio-net's {@code mac} configuration
 * field (virtio 1.2 §5.1.4) and of the control channel's MAC commands (§5.1.6.5.2). Immutable; the
 * first transmitted byte is the most significant of {@link #value()}.
 *
 * @param value the address in the low 48 bits; the upper 16 bits are zero
 */
public record MacAddress(long value) {
    /** Bytes in an address. */
    public static final int BYTES = 6;
    private static final long MASK = 0xFFFF_FFFF_FFFFL;
    private static final MacAddress QEMU_FIRST = parse("52:54:00:12:34:56");

    public MacAddress {
        if ((value & ~MASK) != 0) {
            throw new IllegalArgumentException("a MAC address has 48 bits: 0x" + Long.toHexString(value));
        }
    }

    /**
     * The address QEMU gives NIC {@code index} (0, 1, ...) of a machine when none is set
     * ({@code qemu_macaddr_default_if_unset}): 52:54:00:12:34:56, then :57, and so on.
     */
    public static MacAddress qemuDefault(int index) {
        Objects.checkIndex(index, 0x100 - 0x56);
        return new MacAddress(QEMU_FIRST.value + index);
    }

    /** "52:54:00:12:34:56" (hex pairs separated by ':' or '-'). */
    public static MacAddress parse(String text) {
        String[] parts = text.split("[:-]", -1);
        if (parts.length != BYTES) {
            throw new IllegalArgumentException("not a MAC address (six hex pairs): " + text);
        }
        long v = 0;
        for (String p : parts) {
            if (p.length() != 2) {
                throw new IllegalArgumentException("not a MAC address (six hex pairs): " + text);
            }
            v = v << 8 | Integer.parseInt(p, 16);
        }
        return new MacAddress(v);
    }

    /** The address in {@code b[off, off+6)}, first byte most significant. */
    public static MacAddress of(byte[] b, int off) {
        return new MacAddress(read(b, off));
    }

    /** The 48 bits at {@code b[off, off+6)} as a value comparable with {@link #value()}. */
    static long read(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < BYTES; i++) {
            v = v << 8 | (b[off + i] & 0xFF);
        }
        return v;
    }

    /** Byte {@code i} (0 = first on the wire). */
    public int byteAt(int i) {
        Objects.checkIndex(i, BYTES);
        return (int) (value >>> (8 * (BYTES - 1 - i))) & 0xFF;
    }

    /** The six bytes, first on the wire first. */
    public byte[] bytes() {
        byte[] b = new byte[BYTES];
        for (int i = 0; i < BYTES; i++) {
            b[i] = (byte) byteAt(i);
        }
        return b;
    }

    /** The group bit (I/G) of the first byte: multicast or broadcast. */
    public boolean multicast() {
        return (byteAt(0) & 1) != 0;
    }

    /** This address with byte {@code i} replaced by {@code b}. */
    MacAddress withByte(int i, int b) {
        int shift = 8 * (BYTES - 1 - i);
        return new MacAddress(value & ~(0xFFL << shift) | (long) (b & 0xFF) << shift);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(17);
        for (int i = 0; i < BYTES; i++) {
            if (i > 0) {
                sb.append(':');
            }
            sb.append(String.format("%02x", byteAt(i)));
        }
        return sb.toString();
    }
}
