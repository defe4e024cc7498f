package dev.aarvark.devices.io;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Host output off the vCPU thread: a bounded buffer that the vCPU thread fills without ever
 * blocking ({@link #offer} takes what fits and says how much), and one writer thread that empties
 * it into a {@link Sink} that may block (a file, a pipe nobody reads, a paused terminal). A producer
 * that was refused room asks {@link #whenRoom} to be told when the writer has made some, which is
 * the backpressure a device passes on to its guest (a full UART FIFO, a held virtqueue chain).
 *
 * <p>Invariants: at most {@code capacity} bytes are held; bytes reach the sink in the order
 * offered, each once; nothing accepted is dropped silently: a sink that fails is reported once
 * (named), and whatever it could not take, or whatever {@link #close} could not write within its
 * bound, is counted in a warning.
 */
public final class OutputPump {
    private static final Logger LOG = LoggerFactory.getLogger(OutputPump.class);

    /** Where the writer thread puts the bytes. It may block; it is called on the writer thread only. */
    public interface Sink {
        /** Writes all of {@code len} bytes or throws. */
        void write(byte[] b, int off, int len) throws IOException;

        /** Called when the buffer has just been emptied. */
        default void flush() throws IOException {
        }
    }

    private final String name;
    private final Sink sink;
    private final byte[] ring;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition emptied = lock.newCondition();
    private final List<Runnable> roomWaiters = new ArrayList<>();
    private final Thread writer;
    private int head;
    private int count;
    private volatile boolean closing;
    /** The writer holds a chunk it has taken but not yet written and flushed. */
    private boolean writing;
    private volatile IOException failure;
    private long discarded;

    /**
     * Starts the writer thread.
     *
     * @param name     what the output is, for the thread and messages (e.g. {@code "file:/tmp/out"})
     * @param capacity the most bytes held
     * @param sink     where they go
     */
    public OutputPump(String name, int capacity, Sink sink) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.name = name;
        this.sink = sink;
        this.ring = new byte[capacity];
        this.writer = Thread.ofPlatform().daemon().name("aarvark-output " + name).start(this::writeLoop);
    }

    /** Bytes that would be taken now. */
    public int room() {
        lock.lock();
        try {
            return closing ? 0 : ring.length - count;
        } finally {
            lock.unlock();
        }
    }

    /** Takes as many of {@code len} bytes as fit now (never blocks); returns how many (0 once closed). */
    public int offer(byte[] b, int off, int len) {
        lock.lock();
        try {
            if (closing) {
                return 0;
            }
            int n = Math.min(len, ring.length - count);
            int tail = (head + count) % ring.length;
            int first = Math.min(n, ring.length - tail);
            System.arraycopy(b, off, ring, tail, first);
            System.arraycopy(b, off + first, ring, 0, n - first);
            boolean wasEmpty = count == 0;
            count += n;
            if (n > 0 && wasEmpty) {
                work.signal(); // the writer waits only while nothing is held
            }
            return n;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Runs {@code r} once, on the writer thread, as soon as there is room (at once if there is room
     * already); never once the pump is closed. {@code r} must not block; a device posts its work to
     * its own thread from it.
     */
    public void whenRoom(Runnable r) {
        lock.lock();
        try {
            if (closing) {
                return;
            }
            roomWaiters.add(r);
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    /** Waits (on the calling thread, at most {@code max}) until there is room; true if there is. */
    public boolean awaitRoom(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        lock.lock();
        try {
            while (!closing && count == ring.length) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                emptied.await(Math.min(left, 1_000_000L), TimeUnit.NANOSECONDS);
            }
            return !closing;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes held, not yet written. */
    public int pending() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    /** Waits (on the calling thread, at most {@code max}) until everything offered is written; true if it was. */
    public boolean drain(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        lock.lock();
        try {
            while (count > 0 || writing) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                emptied.await(left, TimeUnit.NANOSECONDS);
            }
            return count == 0 && !writing;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes out what is held (waiting at most {@code max}), then stops taking output and drops the
     * room callbacks. Whatever was not written in time is counted in one warning; the writer thread
     * keeps writing it (a daemon thread: the process does not wait for it) and ends once the buffer
     * is empty or the sink fails. A second call does nothing.
     */
    public void close(Duration max) {
        lock.lock();
        try {
            if (closing) {
                return;
            }
        } finally {
            lock.unlock();
        }
        drain(max);
        long lost;
        lock.lock();
        try {
            closing = true;
            lost = count + discarded;
            // Nothing is taken any more, so nobody waits for room: the callbacks are dropped.
            roomWaiters.clear();
            work.signal();
        } finally {
            lock.unlock();
        }
        if (lost > 0) {
            LOG.warn("{}: {} bytes of guest output were not written{}", name, lost,
                    failure != null ? " (" + failure.getMessage() + ")"
                            : " within " + max.toMillis() + " ms (the writer keeps trying while the process lives)");
        }
    }

    private void writeLoop() {
        while (true) {
            int from;
            int n;
            List<Runnable> ready = List.of();
            lock.lock();
            try {
                while (count == 0 && !closing && roomWaiters.isEmpty()) {
                    work.awaitUninterruptibly();
                }
                if (closing && (count == 0 || failure != null)) {
                    count = 0;
                    emptied.signalAll();
                    return;
                }
                if (!roomWaiters.isEmpty() && count < ring.length) {
                    ready = List.copyOf(roomWaiters);
                    roomWaiters.clear();
                }
                from = head;
                n = Math.min(count, ring.length - head);
                writing = n > 0;
            } finally {
                lock.unlock();
            }
            for (Runnable r : ready) {
                try {
                    r.run();
                } catch (RuntimeException | Error e) {
                    LOG.warn("{}: a room callback failed ({})", name, e.toString());
                }
            }
            if (n == 0) {
                continue;
            }
            if (failure == null) {
                attempt(() -> sink.write(ring, from, n));
            }
            boolean empty;
            lock.lock();
            try {
                if (failure != null) {
                    discarded += n;
                }
                head = (head + n) % ring.length;
                count -= n;
                empty = count == 0;
            } finally {
                lock.unlock();
            }
            if (empty && failure == null) {
                attempt(sink::flush);
            }
            lock.lock();
            try {
                // Drained only once the sink has also been flushed: a caller may close it next.
                writing = false;
                if (count == 0) {
                    emptied.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }
    }

    private interface SinkCall {
        void run() throws IOException;
    }

    /** Runs a sink call; a failure is reported once and from then on the output is discarded and counted. */
    private void attempt(SinkCall call) {
        try {
            call.run();
        } catch (IOException | RuntimeException e) {
            failure = e instanceof IOException io ? io : new IOException(e.toString(), e);
            if (!closing) {
                LOG.warn("{}: writing failed ({}); further guest output to it is discarded and counted", name, e.getMessage());
            }
        }
    }
}
