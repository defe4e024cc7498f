package dev.aarvark.devices.io.net;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one way frames read on a host thread (the event loop, or a TAP's reader) reach the device on
 * the vCPU thread, shared by every backend that reads frames.
 *
 * <p>Frames are queued as they are read; one drain task at a time is posted to the vCPU executor,
 * and it hands every frame queued by then to the device in one
 * {@link FrameBackend.Listener#receivedBatch} call. So a burst costs one wake-up of the vCPU
 * thread and one delivery pass (one used-buffer notification for many frames), not one of each
 * per frame. Frames the device does not take (its host queue is full, and it has asked the
 * backend to stop) are held here and offered first after {@link #resume}.
 *
 * <p>What it keeps true:
 * <ul>
 *   <li>Order: frames reach the listener in the order they were offered.</li>
 *   <li>No loss: a frame offered reaches the device or is still held here; only {@link #close}
 *   drops frames.</li>
 *   <li>Bound: frames offered and not yet taken (held ones included) are at most {@value #HIGH_FRAMES} frames or
 *   {@value #HIGH_BYTES} bytes plus one frame; {@link #offer} answers true from that point and
 *   the reader stops reading (the frames stay in the socket or the kernel) until the vCPU thread
 *   has caught up to a quarter of it, when {@code resume} runs (on the vCPU thread).</li>
 *   <li>Liveness: after any {@link #offer} returns, a drain runs later (a drain already posted and
 *   not yet started takes the frame), so no frame and no throttle is left waiting.</li>
 *   <li>After {@link #close} nothing more reaches the listener.</li>
 * </ul>
 * Threading: one host thread offers; the drain, {@link #start} and {@link #close} run on the vCPU thread.
 */
final class RxHandoff {
    static final int HIGH_FRAMES = 1024;
    static final int HIGH_BYTES = 256 * 1024;
    static final int LOW_FRAMES = HIGH_FRAMES / 4;
    static final int LOW_BYTES = HIGH_BYTES / 4;

    private final Executor vcpu;
    private final Tally tally;
    private final int headerBytes;
    private final Runnable resume;
    private final ConcurrentLinkedQueue<byte[]> frames = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainPosted = new AtomicBoolean();
    private final AtomicBoolean throttled = new AtomicBoolean();
    private final AtomicInteger queuedFrames = new AtomicInteger();
    private final AtomicLong queuedBytes = new AtomicLong();
    private final Runnable drain = this::drain;
    /** vCPU thread only: frames the device did not take yet (it asked the backend to stop), oldest first. */
    private final ArrayDeque<byte[]> held = new ArrayDeque<>();
    private volatile boolean closed;
    /** vCPU thread only. */
    private FrameBackend.Listener listener;

    /**
     * @param vcpu        runs tasks on the vCPU thread ({@link dev.aarvark.devices.io.HostIo#vcpu()})
     * @param tally       where received frames and bytes are counted as they are handed over
     * @param headerBytes bytes at the start of every frame that are not the frame (a vnet header),
     *                    left out of the byte count
     * @param resume      run on the vCPU thread when a throttled reader may read again
     */
    RxHandoff(Executor vcpu, Tally tally, int headerBytes, Runnable resume) {
        this.vcpu = Objects.requireNonNull(vcpu, "vcpu");
        this.tally = Objects.requireNonNull(tally, "tally");
        this.headerBytes = headerBytes;
        this.resume = Objects.requireNonNull(resume, "resume");
    }

    /** Connects the device; vCPU thread, before the first drain can run. */
    void start(FrameBackend.Listener l) {
        listener = Objects.requireNonNull(l, "listener");
    }

    /**
     * Host thread: queues a frame read from the peer (the array is handed over). Returns true if
     * the reader must stop reading until {@code resume} runs.
     */
    boolean offer(byte[] frame) {
        frames.add(frame);
        int n = queuedFrames.incrementAndGet();
        long b = queuedBytes.addAndGet(frame.length);
        boolean full = n >= HIGH_FRAMES || b >= HIGH_BYTES;
        if (full) {
            throttled.set(true); // before the drain is posted, so the drain that empties the queue sees it
        }
        if (drainPosted.compareAndSet(false, true)) {
            vcpu.execute(drain);
        }
        return full;
    }

    /** True while the reader must not read (the vCPU thread has not caught up). */
    boolean throttled() {
        return throttled.get();
    }

    /** Frames offered and not yet handed over (a snapshot, for tests and counters). */
    int queued() {
        return queuedFrames.get();
    }

    /** No more frames reach the listener; those queued are dropped. Called on the vCPU thread. */
    void close() {
        closed = true;
        frames.clear();
        held.clear();
    }

    /**
     * vCPU thread: the device wants frames again ({@code setReceiving(true)}); the frames it left
     * are offered again soon, ahead of any read since.
     */
    void resume() {
        if (!held.isEmpty() && drainPosted.compareAndSet(false, true)) {
            vcpu.execute(drain);
        }
    }

    private void drain() {
        drainPosted.set(false);
        if (closed) {
            return;
        }
        List<byte[]> batch = new ArrayList<>(held.size() + Math.max(1, queuedFrames.get()));
        batch.addAll(held);
        held.clear();
        for (byte[] f; (f = frames.poll()) != null; ) {
            batch.add(f);
        }
        if (batch.isEmpty()) {
            release(0, 0);
            return;
        }
        int taken = listener.receivedBatch(batch);
        long bytes = 0;
        for (int i = 0; i < batch.size(); i++) {
            if (i < taken) {
                bytes += batch.get(i).length;
            } else {
                held.addLast(batch.get(i));
            }
        }
        tally.rxFrames.addAndGet(taken);
        tally.rxBytes.addAndGet(bytes - (long) headerBytes * taken);
        release(taken, bytes);
    }

    /** Counts {@code n} frames of {@code bytes} as handed over; lets the reader go on once a throttle is over. */
    private void release(int n, long bytes) {
        int left = queuedFrames.addAndGet(-n);
        long leftBytes = queuedBytes.addAndGet(-bytes);
        if (left <= LOW_FRAMES && leftBytes <= LOW_BYTES && throttled.compareAndSet(true, false) && !closed) {
            resume.run();
        }
    }
}
