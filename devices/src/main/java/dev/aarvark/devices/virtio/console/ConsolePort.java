package dev.aarvark.devices.virtio.console;

import dev.aarvark.devices.io.HostStream;

/**
 * One port of a console device: its configuration, its two data directions, and its state in the
 * control protocol of the current driver session (virtio 1.2 §5.3.6.2): announced to the driver
 * (PORT_ADD queued), readied by the driver (PORT_READY, accepted once per session), opened by the
 * guest (PORT_OPEN from the driver), and whether a host peer is connected.
 *
 * <p>The port's {@link HostStream.Listener} forwards host events while the port is attached; once
 * the machine removed the port they are ignored (the stream keeps its data; the machine closes it).
 */
final class ConsolePort {
    final int id;
    final ConsolePortSpec spec;
    final PortOutput output;
    final PortInput input;
    final HostStream.Listener listener;

    boolean attached = true;
    boolean announced;
    boolean readied;
    boolean guestOpen;
    boolean hostConnected;

    ConsolePort(VirtioConsole console, int id, ConsolePortSpec spec) {
        this.id = id;
        this.spec = spec;
        this.output = new PortOutput(console, this);
        this.input = new PortInput(console, this);
        this.listener = new HostStream.Listener() {
            @Override
            public int received(byte[] data, int off, int len) {
                return attached ? input.received(data, off, len) : 0;
            }

            @Override
            public void writable() {
                if (attached) {
                    output.hostWritable();
                }
            }

            @Override
            public void hostConnected(boolean connected) {
                if (attached) {
                    console.hostConnectionChanged(ConsolePort.this, connected);
                }
            }
        };
    }

    int receiveq() {
        return ConsoleQueues.receiveq(id);
    }

    int transmitq() {
        return ConsoleQueues.transmitq(id);
    }

    /** Device reset: forget the session's protocol state and queues; keep the host side. */
    void resetSession() {
        announced = false;
        readied = false;
        guestOpen = false;
        output.reset();
        input.reset();
    }
}
