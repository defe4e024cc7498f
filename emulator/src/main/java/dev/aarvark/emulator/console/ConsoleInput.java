package dev.aarvark.emulator.console;

import dev.aarvark.devices.uart.Pl011;

import java.util.function.Consumer;

/**
 * Host keyboard (or pipe) input on its way to the guest's UART, never dropped: a bounded buffer that
 * a host thread fills with {@link #offer} (blocking while it is full, so a fast producer waits) and
 * that the vCPU thread drains into the UART as its receive FIFO has room.
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
    private final Pl011 uart;
    private final Consumer<Runnable> toVcpu;
    private boolean drainScheduled;
    private boolean closed;

    /**
     * @param uart   the receiving UART
     * @param toVcpu runs a task on the vCPU thread (the run loop's {@code post})
     */
    public ConsoleInput(Pl011 uart, Consumer<Runnable> toVcpu) {
        this.uart = uart;
        this.toVcpu = toVcpu;
        uart.setRxSpaceListener(this::drain);
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
     * Moves as much as the UART takes (vCPU thread). An offer the UART cannot take in full arms its
     * room listener, which calls this again once the guest has read.
     */
    void drain() {
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
            int taken = uart.receive(chunk, 0, n);
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
