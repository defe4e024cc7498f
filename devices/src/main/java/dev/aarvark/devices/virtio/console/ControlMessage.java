package dev.aarvark.devices.virtio.console;

/**
 * One control message (virtio 1.2 §5.3.6.2): {@code struct virtio_console_control} (le32 id, le16
 * event, le16 value; 8 bytes) followed, for PORT_NAME, by the name. Immutable.
 *
 * @param port  the port id ({@code id})
 * @param event a {@link ControlEvent} value
 * @param value the event's value
 * @param tail  bytes after the header (the name and its NUL for PORT_NAME), never modified
 */
record ControlMessage(int port, int event, int value, byte[] tail) {
    static final int HEADER_BYTES = 8;
    private static final byte[] NONE = new byte[0];

    ControlMessage(int port, int event, int value) {
        this(port, event, value, NONE);
    }

    /** The header of a driver message from its first 8 bytes. */
    static ControlMessage decodeHeader(byte[] b) {
        int id = (b[0] & 0xFF) | (b[1] & 0xFF) << 8 | (b[2] & 0xFF) << 16 | (b[3] & 0xFF) << 24;
        int event = (b[4] & 0xFF) | (b[5] & 0xFF) << 8;
        int value = (b[6] & 0xFF) | (b[7] & 0xFF) << 8;
        return new ControlMessage(id, event, value);
    }

    /** The message as the driver reads it. */
    byte[] encode() {
        byte[] b = new byte[HEADER_BYTES + tail.length];
        b[0] = (byte) port;
        b[1] = (byte) (port >>> 8);
        b[2] = (byte) (port >>> 16);
        b[3] = (byte) (port >>> 24);
        b[4] = (byte) event;
        b[5] = (byte) (event >>> 8);
        b[6] = (byte) value;
        b[7] = (byte) (value >>> 8);
        System.arraycopy(tail, 0, b, HEADER_BYTES, tail.length);
        return b;
    }

    @Override
    public String toString() {
        return String.format("%s(port %d, value %d%s)", ControlEvent.name(event), Integer.toUnsignedLong(port), value,
                tail.length > 0 ? ", " + tail.length + " more bytes" : "");
    }
}
