package dev.aarvark.devices.io;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.Executor;

/**
 * A file as the host side of a device stream ({@code file:PATH}): guest output is appended, there
 * is nothing to read, and the host side is always connected.
 *
 * <p>The vCPU thread never writes the file: {@link #write} copies into a bounded buffer
 * ({@link #CAPACITY}) and returns at once, and a writer thread of this stream drains the buffer to
 * the file. A file that takes bytes slowly (a pipe nobody reads, a slow disk) fills the buffer;
 * then {@code write} takes less than offered, the device keeps the rest in the guest's buffers,
 * and {@link Listener#writable()} is posted to the vCPU thread once half the buffer has drained.
 * Nothing is dropped and the guest keeps running. A failed write is reported by the next
 * {@code write}.
 */
public final class FileHostStream implements HostStream {
    /** Bytes the stream holds for the file at most. */
    public static final int CAPACITY = 1 << 20;

    private final Path path;
    private final Executor vcpu;
    private final byte[] ring = new byte[CAPACITY];
    private final Object lock = new Object();
    private OutputStream out;
    private Listener listener;
    private Thread writer;
    // Guarded by lock.
    private long head;          // bytes ever taken from the guest
    private long tail;          // bytes ever written to the file
    private boolean wantWritable;
    private boolean closing;
    private IOException failure;

    /**
     * @param vcpu runs {@link Listener} callbacks on the vCPU thread (the run loop's task queue)
     */
    public FileHostStream(Path path, Executor vcpu) {
        this.path = path;
        this.vcpu = vcpu;
    }

    @Override
    public void start(Listener l) {
        this.listener = l;
        try {
            out = new FileOutputStream(path.toFile(), true);
        } catch (IOException e) {
            throw new HostStreamException("file:" + path, "cannot open for appending (" + e.getMessage() + ")", e);
        }
        writer = Thread.ofPlatform().daemon().name("aarvark-file-writer").start(this::drain);
        l.hostConnected(true);
    }

    @Override
    public int write(byte[] data, int off, int len) {
        synchronized (lock) {
            if (failure != null) {
                throw new UncheckedIOException("file:" + path + ": write failed", failure);
            }
            int free = (int) (CAPACITY - (head - tail));
            int n = Math.min(len, free);
            for (int done = 0; done < n; ) {
                int at = (int) ((head + done) % CAPACITY);
                int chunk = Math.min(n - done, CAPACITY - at);
                System.arraycopy(data, off + done, ring, at, chunk);
                done += chunk;
            }
            head += n;
            if (n < len) {
                wantWritable = true;
            }
            if (n > 0) {
                lock.notifyAll();
            }
            return n;
        }
    }

    private void drain() {
        try {
            while (true) {
                int at;
                int chunk;
                synchronized (lock) {
                    while (head == tail && !closing) {
                        lock.wait();
                    }
                    if (head == tail) {
                        return;
                    }
                    at = (int) (tail % CAPACITY);
                    chunk = (int) Math.min(head - tail, CAPACITY - at);
                }
                // The ring part [at, at + chunk) is not written by write() until tail moves past it.
                out.write(ring, at, chunk);
                boolean notify;
                synchronized (lock) {
                    tail += chunk;
                    notify = wantWritable && head - tail <= CAPACITY / 2;
                    if (notify) {
                        wantWritable = false;
                    }
                    lock.notifyAll();
                }
                if (notify) {
                    vcpu.execute(listener::writable);
                }
            }
        } catch (IOException e) {
            synchronized (lock) {
                failure = e;
                lock.notifyAll();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Bytes handed to the file so far. */
    public long bytesWritten() {
        synchronized (lock) {
            return tail;
        }
    }

    /** Bytes waiting for the file. */
    public long bytesPending() {
        synchronized (lock) {
            return head - tail;
        }
    }

    @Override
    public void inputSpace() {
        // Nothing to read from a file.
    }

    @Override
    public boolean hostConnected() {
        return true;
    }

    @Override
    public String describe() {
        return "file:" + path;
    }

    /**
     * Writes what is pending, waits for the writer and closes the file. A file that takes nothing
     * (a pipe nobody reads) is given up on after a few seconds: closing must not hang the emulator.
     */
    @Override
    public void close() {
        if (writer == null) {
            return;
        }
        synchronized (lock) {
            closing = true;
            lock.notifyAll();
        }
        try {
            writer.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer.interrupt();
        try {
            out.close();
        } catch (IOException e) {
            throw new UncheckedIOException("file:" + path + ": close failed", e);
        }
    }
}
