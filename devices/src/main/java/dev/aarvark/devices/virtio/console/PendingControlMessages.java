package dev.aarvark.devices.virtio.console;

import java.util.Iterator;
import java.util.LinkedHashMap;

/**
 * Device-to-driver control messages waiting for a buffer in the control receiveq.
 *
 * <p>Bound: at most one pending message per (port, event) pair. A newer message of the same kind
 * for the same port replaces the older one in place (for PORT_OPEN the latest state is what the
 * driver needs; the others are never repeated within a session), so the queue never holds more than
 * ports × kinds entries, however long the driver posts no control buffers. QEMU instead drops a
 * control message when no buffer is posted ({@code send_control_msg}); holding the latest state
 * loses nothing the driver can observe.
 */
final class PendingControlMessages {
    private final LinkedHashMap<Long, ControlMessage> pending = new LinkedHashMap<>();

    private static long key(int port, int event) {
        return (Integer.toUnsignedLong(port) << 16) | event;
    }

    /** Queues {@code m}, replacing a pending message of the same port and event in place. */
    void put(ControlMessage m) {
        pending.put(key(m.port(), m.event()), m);
    }

    /** Drops the pending message of that port and event; true if there was one. */
    boolean remove(int port, int event) {
        return pending.remove(key(port, event)) != null;
    }

    /** Drops every pending message about {@code port}. */
    void removePort(int port) {
        for (Iterator<ControlMessage> it = pending.values().iterator(); it.hasNext(); ) {
            if (it.next().port() == port) {
                it.remove();
            }
        }
    }

    /** The oldest pending message, or {@code null}. */
    ControlMessage peek() {
        return pending.isEmpty() ? null : pending.firstEntry().getValue();
    }

    /** Drops the oldest pending message. */
    void poll() {
        if (!pending.isEmpty()) {
            pending.pollFirstEntry();
        }
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    int size() {
        return pending.size();
    }

    void clear() {
        pending.clear();
    }
}
