package dev.aarvark.emulator;

import dev.aarvark.emulator.board.PortBackend;
import java.util.List;
import java.util.Objects;

/**
 * A virtio-console device: its ports (port 0 is the console, {@code /dev/hvc0}; the others carry
 * names) and the virtio-mmio transport version it sits behind (2 modern, 1 legacy).
 */
public record VirtioConsoleConfig(List<Port> ports, int transportVersion) {
    /** One port: its name (null for the console port) and its host side. */
    public record Port(String name, PortBackend backend) {
    }

    /** Ports QEMU's virtio-serial gives a device by default (max_ports 31 + the console). */
    public static final int MAX_PORTS = 31;

    public VirtioConsoleConfig {
        ports = List.copyOf(ports);
        Objects.requireNonNull(ports);
        if (ports.isEmpty() || ports.size() > MAX_PORTS) {
            throw new MachineConfigException(MachineConfigException.Field.CONSOLE_PORTS, Integer.toString(ports.size()),
                    "a virtio-console has 1 to " + MAX_PORTS + " ports");
        }
        if (transportVersion != 1 && transportVersion != 2) {
            throw new MachineConfigException(MachineConfigException.Field.VIRTIO_VERSION, Integer.toString(transportVersion),
                    "use 1 (legacy) or 2 (modern)");
        }
        long stdio = ports.stream().filter(p -> p.backend() instanceof PortBackend.Stdio).count();
        if (stdio > 1) {
            throw new MachineConfigException(MachineConfigException.Field.CONSOLE_PORTS, stdio + " on stdio",
                    "only one console port can use stdio");
        }
    }
}
