package dev.aarvark.devices.virtio.console;

import dev.aarvark.devices.QueueError;
import dev.aarvark.devices.virtio.queue.DescriptorChain;
import dev.aarvark.devices.virtio.queue.QueueService;
import dev.aarvark.devices.virtio.queue.SplitVirtqueue;

/**
 * The console's control virtqueues (virtio 1.2 §5.3.6.2), used only with
 * VIRTIO_CONSOLE_F_MULTIPORT: driver messages arrive in the control transmitq (queue 3) and are
 * handed to the device one header at a time; device messages wait in a bounded
 * {@link PendingControlMessages} until the driver posts buffers in the control receiveq (queue 2).
 *
 * <p>Bounds: each direction handles at most {@link ConsoleLimits#controlChainsPerCall()} chains per
 * call (one {@link QueueService} each). Only the 8-byte header of a driver message is read, whatever the buffer's length (Linux
 * sends exactly the header; no driver message carries more). A device message is written into one
 * chain; a chain too small for the header is returned unused and the message waits for the next.
 */
final class ControlChannel {
    private final VirtioConsole console;
    private final PendingControlMessages pending = new PendingControlMessages();
    private final byte[] header = new byte[ControlMessage.HEADER_BYTES];
    private boolean deferredFromDriver;
    private boolean deferredToDriver;
    /** The control transmitq's loop (the device reads driver messages). */
    private final QueueService fromDriver;
    /** The control receiveq's loop (the device writes its messages). */
    private final QueueService toDriver;
    private final QueueService.Handler reader = this::readMessage;
    private final QueueService.Handler writer = new QueueService.Handler() {
        @Override
        public boolean wantsMore() {
            return !pending.isEmpty();
        }

        @Override
        public long handle(DescriptorChain c, boolean resumed) {
            return writeMessage(c, resumed);
        }
    };

    ControlChannel(VirtioConsole console) {
        this.console = console;
        int cap = console.limits().controlChainsPerCall();
        this.fromDriver = console.queueService(QueueService.Direction.DEVICE_READS, cap);
        this.toDriver = console.queueService(QueueService.Direction.DEVICE_WRITES, cap);
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
        deferredFromDriver = fromDriver.serve(q, reader) == QueueService.PassEnd.CAPPED;
        deliver();
    }

    /** Reads one driver message's header; the chain is returned with used length 0. */
    private long readMessage(DescriptorChain c, boolean resumed) {
        int got = c.read(0, header, 0, (int) Math.min(header.length, c.readableLength()));
        if (got < header.length) {
            if (!c.faulted()) {
                console.guestErrors().report(console.name(), QueueError.SHORT_CONTROL_MESSAGE, String.format(
                        "control transmitq chain head %d has %d readable bytes, less than the 8-byte header; ignored",
                        c.head(), c.readableLength()));
            }
            return 0;
        }
        console.counters().controlMessagesFromDriver++;
        console.handleDriverMessage(ControlMessage.decodeHeader(header));
        return 0;
    }

    /** Writes pending device messages into the control receiveq's buffers. */
    void deliver() {
        SplitVirtqueue q = console.liveQueue(ConsoleQueues.CONTROL_RECEIVEQ);
        if (q == null || pending.isEmpty()) {
            return;
        }
        deferredToDriver = toDriver.serve(q, writer) == QueueService.PassEnd.CAPPED;
    }

    /** Writes the oldest pending message into one chain; returns the bytes written. */
    private long writeMessage(DescriptorChain c, boolean resumed) {
        if (c.writableLength() < ControlMessage.HEADER_BYTES) {
            console.guestErrors().report(console.name(), QueueError.UNUSABLE_CONTROL_BUFFER, String.format(
                    "control receiveq chain head %d (%d writable bytes) cannot hold a control message; "
                            + "returned unused", c.head(), c.writableLength()));
            return 0;
        }
        ControlMessage m = pending.peek();
        byte[] bytes = m.encode();
        int n = (int) Math.min(bytes.length, c.writableLength());
        if (n < bytes.length) {
            console.guestErrors().report(console.name(), QueueError.UNUSABLE_CONTROL_BUFFER, String.format(
                    "control receiveq chain head %d has %d writable bytes; %s (%d bytes) is truncated",
                    c.head(), c.writableLength(), m, bytes.length));
        }
        int written = c.write(0, bytes, 0, n);
        if (written >= ControlMessage.HEADER_BYTES) {
            pending.poll();
            console.counters().controlMessagesToDriver++;
        }
        return written;
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
