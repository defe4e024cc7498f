package dev.aarvark.devices.virtio.console;

import dev.aarvark.devices.GuestErrors;
import dev.aarvark.devices.virtio.queue.DescriptorChain;
import dev.aarvark.devices.virtio.queue.SplitVirtqueue;

/**
 * The console's control virtqueues (virtio 1.2 §5.3.6.2), used only with
 * VIRTIO_CONSOLE_F_MULTIPORT: driver messages arrive in the control transmitq (queue 3) and are
 * handed to the device one header at a time; device messages wait in a bounded
 * {@link PendingControlMessages} until the driver posts buffers in the control receiveq (queue 2).
 *
 * <p>Bounds: each direction handles at most {@link ConsoleLimits#controlChainsPerCall()} chains per
 * call. Only the 8-byte header of a driver message is read, whatever the buffer's length (Linux
 * sends exactly the header; no driver message carries more). A device message is written into one
 * chain; a chain too small for the header is returned unused and the message waits for the next.
 */
final class ControlChannel {
    private final VirtioConsole console;
    private final PendingControlMessages pending = new PendingControlMessages();
    private final byte[] header = new byte[ControlMessage.HEADER_BYTES];
    private boolean deferredFromDriver;
    private boolean deferredToDriver;

    ControlChannel(VirtioConsole console) {
        this.console = console;
    }

    PendingControlMessages pending() {
        return pending;
    }

    /** Queues a device message; {@link #deliver()} sends it when a buffer is there. */
    void queue(ControlMessage m) {
        pending.put(m);
    }

    /** Handles the driver's messages in the control transmitq, then delivers what they caused. */
    void receiveFromDriver() {
        SplitVirtqueue q = console.liveQueue(ConsoleQueues.CONTROL_TRANSMITQ);
        if (q == null) {
            return;
        }
        deferredFromDriver = false;
        int chains = 0;
        int completed = 0;
        while (true) {
            if (chains == console.limits().controlChainsPerCall()) {
                deferredFromDriver = q.hasAvailable();
                break;
            }
            DescriptorChain c = q.pop();
            if (c == null) {
                break;
            }
            chains++;
            int got = c.read(0, header, 0, (int) Math.min(header.length, c.readableLength()));
            if (c.writableLength() > 0) {
                GuestErrors.report(console.name(), VirtioConsole.ERR_WRITABLE_IN_TRANSMITQ, String.format(
                        "control transmitq chain head %d has %d device-writable bytes; they are ignored",
                        c.head(), c.writableLength()));
            }
            q.complete(c, 0);
            completed++;
            if (got < header.length) {
                if (!c.faulted()) {
                    GuestErrors.report(console.name(), VirtioConsole.ERR_SHORT_CONTROL_MESSAGE, String.format(
                            "control transmitq chain head %d has %d readable bytes, less than the 8-byte header; ignored",
                            c.head(), c.readableLength()));
                }
                continue;
            }
            console.counters().controlMessagesFromDriver++;
            console.handleDriverMessage(ControlMessage.decodeHeader(header));
        }
        if (completed > 0) {
            console.notifyUsed(q.index());
        }
        deliver();
    }

    /** Writes pending device messages into the control receiveq's buffers. */
    void deliver() {
        SplitVirtqueue q = console.liveQueue(ConsoleQueues.CONTROL_RECEIVEQ);
        if (q == null || pending.isEmpty()) {
            return;
        }
        deferredToDriver = false;
        int chains = 0;
        int completed = 0;
        while (!pending.isEmpty()) {
            if (chains == console.limits().controlChainsPerCall()) {
                deferredToDriver = q.hasAvailable();
                break;
            }
            DescriptorChain c = q.pop();
            if (c == null) {
                break;
            }
            chains++;
            completed++;
            if (c.readableLength() > 0 || c.writableLength() < ControlMessage.HEADER_BYTES) {
                GuestErrors.report(console.name(), VirtioConsole.ERR_BAD_CONTROL_BUFFER, String.format(
                        "control receiveq chain head %d (%d readable, %d writable bytes) cannot hold a control message; "
                                + "returned unused", c.head(), c.readableLength(), c.writableLength()));
                q.complete(c, 0);
                continue;
            }
            ControlMessage m = pending.peek();
            byte[] bytes = m.encode();
            int n = (int) Math.min(bytes.length, c.writableLength());
            if (n < bytes.length) {
                GuestErrors.report(console.name(), VirtioConsole.ERR_BAD_CONTROL_BUFFER, String.format(
                        "control receiveq chain head %d has %d writable bytes; %s (%d bytes) is truncated",
                        c.head(), c.writableLength(), m, bytes.length));
            }
            int written = c.write(0, bytes, 0, n);
            q.complete(c, written);
            if (written >= ControlMessage.HEADER_BYTES) {
                pending.poll();
                console.counters().controlMessagesToDriver++;
            }
        }
        if (completed > 0) {
            console.notifyUsed(q.index());
        }
    }

    boolean hasDeferredWork() {
        return deferredFromDriver || (deferredToDriver && !pending.isEmpty());
    }

    void runDeferredWork() {
        if (deferredFromDriver) {
            receiveFromDriver();
        } else if (deferredToDriver) {
            deliver();
        }
    }

    /** Device reset: the driver forgot every port; nothing pending is meaningful any more. */
    void reset() {
        pending.clear();
        deferredFromDriver = false;
        deferredToDriver = false;
    }
}
