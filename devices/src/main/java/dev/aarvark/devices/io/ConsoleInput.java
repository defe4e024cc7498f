package dev.aarvark.devices.io;

import java.util.function.Consumer;

/**
 * Host keyboard (or pipe) input on its way to the guest's console device (the UART, or a
 * virtio-console port), never dropped: a bounded buffer that a host thread fills with
 * {@link #offer} (blocking while it is full, so a fast producer waits) and that the vCPU thread
 * drains into the device as it has room.
 *
 * <p>Invariant: at most {@link #CAPACITY} bytes are buffered on the host side; together with the
 * UART's FIFO that bounds the memory host input can occupy.
 */
public final class ConsoleInput {
    /** Host-side buffer size. */
    public static final int CAPACITY = 64 * 1024;

    private final byte[] ring = new byte[CAPACITY];
    private int head;
    private int count;
    private final Receiver device;
    private final Consumer<Runnable> toVcpu;
    private boolean drainScheduled;
    private boolean closed;

    /** The device side: takes what fits now, returns the count (vCPU thread). */
    @FunctionalInterface
    public interface Receiver {
        int receive(byte[] data, int off, int len);
    }

    /**
     * @param device takes host bytes (e.g. {@code Pl011::receive}); when it takes fewer than
     *               offered it must later call {@link #drain()} once it has room again
     * @param toVcpu runs a task on the vCPU thread (the run loop's {@code post})
     */
    public ConsoleInput(Receiver device, Consumer<Runnable> toVcpu) {
        this.device = device;
        this.toVcpu = toVcpu;
    }

    /**
     * Queues bytes for the guest; blocks while the buffer is full. Returns false if the console was
     * closed (the machine stopped), in which case the bytes were not queued.
     */
    public boolean offer(byte[] data, int off, int len) throws InterruptedException {
        int done = 0;
        while (done < len) {
            synchronized (this) {
                while (count == CAPACITY && !closed) {
                    wait();
                }
                if (closed) {
                    return false;
                }
                int n = Math.min(len - done, CAPACITY - count);
                for (int i = 0; i < n; i++) {
                    ring[(head + count + i) % CAPACITY] = data[off + done + i];
                }
                count += n;
                done += n;
                if (!drainScheduled) {
                    drainScheduled = true;
                    toVcpu.accept(this::drain);
                }
            }
        }
        return true;
    }

    /**
     * Moves as much as the device takes (vCPU thread). After an offer the device could not take in
     * full, the device calls this again once the guest has made room.
     */
    public void drain() {
        byte[] chunk = new byte[256];
        while (true) {
            int n;
            synchronized (this) {
                drainScheduled = false;
                n = Math.min(count, chunk.length);
                for (int i = 0; i < n; i++) {
                    chunk[i] = ring[(head + i) % CAPACITY];
                }
            }
            if (n == 0) {
                return;
            }
            int taken = device.receive(chunk, 0, n);
            synchronized (this) {
                head = (head + taken) % CAPACITY;
                count -= taken;
                notifyAll();
            }
            if (taken < n) {
                return;
            }
        }
    }

    /** Wakes and refuses any blocked or later {@link #offer}. */
    public synchronized void close() {
        closed = true;
        notifyAll();
    }

    /** Bytes waiting on the host side. */
    public synchronized int pending() {
        return count;
    }
}
