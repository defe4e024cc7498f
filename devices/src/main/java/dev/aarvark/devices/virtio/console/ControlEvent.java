package dev.aarvark.devices.virtio.console;

/**
 * The {@code event} values of {@code struct virtio_console_control} (virtio 1.2 §5.3.6.2), with who
 * sends each. Linux calls event 1 VIRTIO_CONSOLE_PORT_ADD and event 2 VIRTIO_CONSOLE_PORT_REMOVE.
 */
final class ControlEvent {
    /** Driver: ready for control messages (value 1) or failed (0). */
    static final int DEVICE_READY = 0;
    /** Device: a port exists. */
    static final int PORT_ADD = 1;
    /** Device: a port went away. */
    static final int PORT_REMOVE = 2;
    /** Driver: the port is set up (value 1) or failed (0). */
    static final int PORT_READY = 3;
    /** Device: the port is a console port. */
    static final int CONSOLE_PORT = 4;
    /** Device: console size changed (not sent: no size is offered). */
    static final int RESIZE = 5;
    /** Both: the sender's side of the port opened (1) or closed (0). */
    static final int PORT_OPEN = 6;
    /** Device: the port's name follows the header. */
    static final int PORT_NAME = 7;

    private ControlEvent() {}

    static String name(int event) {
        return switch (event) {
            case DEVICE_READY -> "DEVICE_READY";
            case PORT_ADD -> "PORT_ADD";
            case PORT_REMOVE -> "PORT_REMOVE";
            case PORT_READY -> "PORT_READY";
            case CONSOLE_PORT -> "CONSOLE_PORT";
            case RESIZE -> "RESIZE";
            case PORT_OPEN -> "PORT_OPEN";
            case PORT_NAME -> "PORT_NAME";
            default -> "event " + event;
        };
    }
}
