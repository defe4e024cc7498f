package dev.aarvark.devices.virtio.console;

import dev.aarvark.devices.io.HostStream;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * One console port as the machine configures it: its host side, its optional name (sent to the
 * driver as VIRTIO_CONSOLE_PORT_NAME, virtio 1.2 §5.3.6.2; Linux shows it as
 * {@code /sys/class/virtio-ports/vportNpM/name} and {@code /dev/virtio-ports/NAME}), and whether it
 * is a console port (VIRTIO_CONSOLE_CONSOLE_PORT: Linux attaches it to hvc, e.g. {@code /dev/hvc0};
 * QEMU's {@code virtconsole}). The device calls {@link HostStream#start} once when the port is added.
 *
 * @param name    the port name, or {@code null} for none; at most {@value #MAX_NAME_BYTES} UTF-8 bytes, no NUL
 * @param console true for a console port
 * @param stream  the host side of the port
 */
public record ConsolePortSpec(String name, boolean console, HostStream stream) {
    /** The longest name, in UTF-8 bytes, a port may have (a control message fits in one small buffer). */
    public static final int MAX_NAME_BYTES = 255;

    public ConsolePortSpec {
        Objects.requireNonNull(stream, "stream");
        if (name != null) {
            int bytes = name.getBytes(StandardCharsets.UTF_8).length;
            if (name.isEmpty() || bytes > MAX_NAME_BYTES || name.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("port name must be 1.." + MAX_NAME_BYTES + " UTF-8 bytes without NUL: " + name);
            }
        }
    }

    /** An unnamed console port (QEMU's {@code -device virtconsole}). */
    public static ConsolePortSpec console(HostStream stream) {
        return new ConsolePortSpec(null, true, stream);
    }

    /** A named generic port (QEMU's {@code -device virtserialport,name=...}). */
    public static ConsolePortSpec named(String name, HostStream stream) {
        return new ConsolePortSpec(Objects.requireNonNull(name, "name"), false, stream);
    }
}
