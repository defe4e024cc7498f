package dev.aarvark.devices.virtio.console;

import dev.aarvark.devices.io.HostStream;
import dev.aarvark.devices.virtio.queue.DescriptorChain;
import dev.aarvark.devices.virtio.queue.QueueService;
import dev.aarvark.devices.virtio.queue.SplitVirtqueue;

/**
 * Host-to-guest data of one port: bytes from its {@link HostStream} written into the buffers the
 * driver posted in the port's receiveq (virtio 1.2 §5.3.6 step 2).
 *
 * <h2>Host data waits; nothing is lost</h2>
 * Input is taken only while the driver is live, the port's receiveq is enabled and, with
 * VIRTIO_CONSOLE_F_MULTIPORT, the guest has opened the port (PORT_OPEN 1): Linux discards data
 * that arrives for a port no process has open ({@code in_intr}), and QEMU's
 * {@code virtio_serial_guest_ready} refuses it; here the host keeps it instead. Without MULTIPORT
 * port 0 counts as open from DRIVER_OK (QEMU's {@code set_status}). Whatever is not taken stays in
 * the stream; when buffers arrive or the port opens the device calls {@link HostStream#inputSpace()}
 * so the stream offers it again.
 *
 * <h2>Bounded</h2>
 * Each offer fills at most {@link ConsoleLimits#receiveChainsPerCall()} chains (the console's
 * {@link QueueService}), counting chains and
 * not bytes, so a ring of zero-length write-only buffers cannot spin the vCPU thread. A chain is
 * completed with the bytes written into it (used length, §2.7.8).
 */
final class PortInput {
    private final VirtioConsole console;
    private final ConsolePort port;
    /** The stream holds data the device did not take; it waits for inputSpace(). */
    private boolean hostWaiting;
    /** The chain cap stopped an offer with buffers possibly left. */
    private boolean deferred;
    /** The receiveq's loop. */
    private final QueueService service;
    /** The offer being served: the host's bytes, and how many the guest took so far. */
    private byte[] offered;
    private int offeredOff;
    private int offeredLen;
    private int taken;

    PortInput(VirtioConsole console, ConsolePort port) {
        this.console = console;
        this.port = port;
        this.service = console.queueService(QueueService.Direction.DEVICE_WRITES, console.limits().receiveChainsPerCall());
    }

    /** {@link HostStream.Listener#received}: takes what fits, returns the count. */
    int received(byte[] data, int off, int len) {
        if (len <= 0) {
            return 0;
        }
        SplitVirtqueue q = acceptingQueue();
        if (q == null) {
            hostWaiting = true;
            return 0;
        }
        offered = data;
        offeredOff = off;
        offeredLen = len;
        taken = 0;
        try {
            if (service.serve(q, filler) == QueueService.PassEnd.CAPPED) {
                deferred = true;
            }
        } finally {
            offered = null;
        }
        console.counters().bytesToGuest += taken;
        hostWaiting = taken < len;
        return taken;
    }

    private final QueueService.Handler filler = new QueueService.Handler() {
        @Override
        public boolean wantsMore() {
            return taken < offeredLen;
        }

        @Override
        public long handle(DescriptorChain c, boolean resumed) {
            int want = (int) Math.min(offeredLen - taken, c.writableLength());
            int written = want > 0 ? c.write(0, offered, offeredOff + taken, want) : 0;
            taken += written;
            console.counters().chainsToGuest++;
            return written;
        }
    };

    /**
     * Buffers may have arrived, the port opened, or the driver went live: if the stream holds data
     * and the guest can take some now, ask the stream to offer it again.
     */
    void wake() {
        if (!hostWaiting) {
            return;
        }
        SplitVirtqueue q = acceptingQueue();
        if (q != null && q.hasAvailable()) {
            hostWaiting = false;
            deferred = false;
            port.spec.stream().inputSpace();
        }
    }

    boolean hasDeferredWork() {
        return deferred && hostWaiting;
    }

    void runDeferredWork() {
        deferred = false;
        wake();
    }

    private SplitVirtqueue acceptingQueue() {
        if (!port.attached || !port.guestOpen) {
            return null;
        }
        SplitVirtqueue q = console.liveQueue(port.receiveq());
        return q == null || q.stopped() ? null : q;
    }

    /** Device reset: buffers are gone; what the stream holds still waits (hostWaiting is kept). */
    void reset() {
        deferred = false;
    }
}
