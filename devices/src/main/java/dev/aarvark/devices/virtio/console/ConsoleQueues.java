package dev.aarvark.devices.virtio.console;

/**
 * The console's queue numbering (virtio 1.2 §5.3.2): 0 receiveq(port0), 1 transmitq(port0), 2
 * control receiveq, 3 control transmitq, then 4/5 for port 1, 6/7 for port 2, and so on. Without
 * VIRTIO_CONSOLE_F_MULTIPORT only queues 0 and 1 exist.
 */
final class ConsoleQueues {
    static final int CONTROL_RECEIVEQ = 2;
    static final int CONTROL_TRANSMITQ = 3;

    private ConsoleQueues() {}

    /** The queue count for {@code maxPorts} ports. */
    static int count(int maxPorts, boolean multiport) {
        return multiport ? 2 * (maxPorts + 1) : 2;
    }

    static int receiveq(int port) {
        return port == 0 ? 0 : 2 * port + 2;
    }

    static int transmitq(int port) {
        return receiveq(port) + 1;
    }

    /** The port a data queue belongs to, or -1 for a control queue. */
    static int portOf(int queue) {
        if (queue < 2) {
            return 0;
        }
        return queue < 4 ? -1 : queue / 2 - 1;
    }

    static boolean isReceiveq(int queue) {
        return (queue & 1) == 0;
    }
}
