package dev.aarvark.devices.virtio.console;

import dev.aarvark.devices.io.HostStream;
import dev.aarvark.devices.virtio.queue.DescriptorChain;
import dev.aarvark.devices.virtio.queue.QueueService;
import dev.aarvark.devices.virtio.queue.SplitVirtqueue;

/**
 * Guest-to-host data of one port: the port's transmitq (virtio 1.2 §5.3.6 step 1) drained into its
 * {@link HostStream}, plus the emergency-write characters meant for it.
 *
 * <h2>Never dropped, never unbounded</h2>
 * Bytes move from guest memory to the host in chunks of the copy buffer (a descriptor length never
 * sizes an allocation). When the host takes fewer bytes than offered, the chain stays with the
 * device ("held", with the offset reached) and the port waits for {@link HostStream.Listener#writable()};
 * the rest of the data stays in guest memory, where the driver put it, until then. A chain is
 * returned to the driver (used length 0: the device writes nothing into a transmit buffer) only
 * when all its bytes were taken. Per call at most {@link ConsoleLimits#transmitBytesPerCall()}
 * bytes and {@link ConsoleLimits#transmitChainsPerCall()} chains are handled (the console's
 * {@link QueueService}, which also holds the chain); the rest is deferred work, continued by the
 * next notification, by {@code writable()}, or by the run loop.
 *
 * <p>Emergency-write characters (§5.3.4) have no flow control: one is written at once if the host
 * takes it, else held in a small fixed buffer flushed before further output; past that buffer they
 * are counted as dropped.
 */
final class PortOutput {
    private final VirtioConsole console;
    private final ConsolePort port;
    private final byte[] chunk;
    private final BoundedByteQueue emergency;
    private final byte[] emergencyChunk = new byte[64];

    /** The transmitq's loop; it holds the chain the host has not taken all of. */
    private final QueueService service;
    /** Bytes of the held chain already sent. */
    private long heldOffset;
    /** What the current call may still send. */
    private long budget;
    private final QueueService.Handler sender = this::send;
    /** The host took less than offered; wait for writable(). */
    private boolean hostBlocked;
    /** A cap stopped the last call with work left. */
    private boolean deferred;
    /** Inside transmit() (a stream may call writable() from inside write()). */
    private boolean running;
    private boolean writableDuringWrite;

    PortOutput(VirtioConsole console, ConsolePort port) {
        this.console = console;
        this.port = port;
        this.chunk = new byte[console.limits().copyChunkBytes()];
        this.emergency = new BoundedByteQueue(console.limits().emergencyBytes());
        this.service = console.queueService(QueueService.Direction.DEVICE_READS, console.limits().transmitChainsPerCall());
    }

    /** The driver notified the transmitq, or work is resumed: move what the caps allow. */
    void transmit() {
        if (running || hostBlocked) {
            return;
        }
        running = true;
        try {
            deferred = false;
            if (!flushEmergency()) {
                return;
            }
            SplitVirtqueue q = console.liveQueue(port.transmitq());
            if (q == null || !port.attached) {
                return;
            }
            drain(q);
        } finally {
            running = false;
        }
    }

    private void drain(SplitVirtqueue q) {
        budget = console.limits().transmitBytesPerCall();
        if (service.serve(q, sender) == QueueService.PassEnd.CAPPED) {
            deferred = true;
        }
    }

    /** Sends one chain's bytes from {@code heldOffset}: used length 0 when all went, else HOLD. */
    private long send(DescriptorChain chain, boolean resumed) {
        if (!resumed) {
            heldOffset = 0;
        }
        HostStream stream = port.spec.stream();
        while (heldOffset < chain.readableLength()) {
            if (budget == 0) {
                deferred = true;
                return QueueService.HOLD;
            }
            int n = (int) Math.min(Math.min(chunk.length, budget), chain.readableLength() - heldOffset);
            int got = chain.read(heldOffset, chunk, 0, n);
            int taken = 0;
            if (got > 0) {
                writableDuringWrite = false;
                taken = Math.clamp(stream.write(chunk, 0, got), 0, got);
                heldOffset += taken;
                budget -= taken;
                console.counters().bytesToHost += taken;
            }
            if (taken < got) {
                if (writableDuringWrite) {
                    deferred = true;
                } else {
                    hostBlocked = true;
                }
                return QueueService.HOLD;
            }
            if (got < n) {
                break; // the DMA space refused a buffer (reported): the rest cannot be read
            }
        }
        console.counters().chainsToHost++;
        return 0;
    }

    /** {@link HostStream.Listener#writable()}: the host has room again. */
    void hostWritable() {
        if (running) {
            writableDuringWrite = true;
            return;
        }
        hostBlocked = false;
        transmit();
    }

    /** One emergency-write character for this port's host side. */
    void emergencyWrite(int b) {
        console.counters().emergencyBytes++;
        if (!emergency.offer((byte) b)) {
            console.counters().emergencyBytesDropped++;
            return;
        }
        if (!running && !hostBlocked) {
            running = true;
            try {
                flushEmergency();
            } finally {
                running = false;
            }
        }
    }

    /** Writes held emergency characters; false if the host could not take them all. */
    private boolean flushEmergency() {
        HostStream stream = port.spec.stream();
        while (!emergency.isEmpty()) {
            int n = emergency.peek(emergencyChunk);
            writableDuringWrite = false;
            int taken = Math.clamp(stream.write(emergencyChunk, 0, n), 0, n);
            emergency.drop(taken);
            console.counters().bytesToHost += taken;
            if (taken < n) {
                if (writableDuringWrite) {
                    deferred = true;
                } else {
                    hostBlocked = true;
                }
                return false;
            }
        }
        return true;
    }

    boolean hasDeferredWork() {
        return deferred && !hostBlocked;
    }

    /** True while a chain is held, emergency characters wait, or the transmitq has chains not yet taken. */
    private boolean hasPendingOutput() {
        if (service.holding() || !emergency.isEmpty()) {
            return true;
        }
        SplitVirtqueue q = console.liveQueue(port.transmitq());
        return q != null && port.attached && q.hasAvailable();
    }

    /**
     * Sends everything queued for the host, waiting for host room (on the calling thread, the vCPU
     * thread) until {@code deadlineNanos}; the device is about to lose its queues. Returns false if
     * output was left (the host side has no way to wait, or took too long).
     */
    boolean finish(long deadlineNanos) {
        HostStream stream = port.spec.stream();
        while (hasPendingOutput()) {
            if (hostBlocked) {
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0 || !stream.awaitRoom(java.time.Duration.ofNanos(left))) {
                    return false;
                }
                hostBlocked = false;
            }
            transmit();
            if (System.nanoTime() - deadlineNanos > 0) {
                return !hasPendingOutput();
            }
        }
        return true;
    }

    /** The port went away: return a held chain (used length 0) so the driver gets its buffer back. */
    void abandon() {
        service.abandon(console.liveQueue(port.transmitq()));
        deferred = false;
    }

    /** Device reset: the driver abandoned its queues; nothing is held any more. */
    void reset() {
        service.reset();
        heldOffset = 0;
        deferred = false;
    }
}
