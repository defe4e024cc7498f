package dev.aarvark.emulator.console;

import dev.aarvark.devices.io.ByteSink;
import dev.aarvark.devices.io.OutputPump;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The guest console as the host sees it: every byte the guest writes to its console (the UART,
 * semihosting, a virtio port on {@code stdio}) goes to the host destinations (terminal, file, the
 * console log) and to the {@link ConsoleWatcher}s of {@code --expect}/{@code --fail}.
 *
 * <p>The vCPU thread never blocks here: the watchers see each byte at once, and the destinations
 * are written by one writer thread from a bounded buffer ({@link OutputPump}). When a destination
 * does not keep up (a paused terminal, a pipe read slowly), {@link #offer} takes less and the
 * device holds the rest back from its guest until {@link #whenRoom}. A destination that fails (a
 * closed pipe) is dropped with one warning; the guest keeps running. {@link #close} writes out what
 * is held, within a bound.
 */
public final class ConsoleOutput implements ByteSink, AutoCloseable {
    /** Bytes held for the destinations. */
    public static final int CAPACITY = 256 * 1024;
    /** How long {@link #close} waits for slow destinations. */
    public static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final List<OutputStream> destinations = new CopyOnWriteArrayList<>();
    private final List<ConsoleWatcher> watchers = new ArrayList<>();
    /** Made with the first destination (a console with none needs no writer thread). */
    private volatile OutputPump pump;
    private long bytes;

    /** Adds a destination (terminal, file, log); it is flushed but never closed here. */
    public synchronized ConsoleOutput to(OutputStream out) {
        if (pump == null) {
            pump = new OutputPump("console output", CAPACITY, new OutputPump.Sink() {
                @Override
                public void write(byte[] b, int off, int len) {
                    for (OutputStream o : destinations) {
                        try {
                            o.write(b, off, len);
                        } catch (IOException e) {
                            drop(o, e);
                        }
                    }
                }

                @Override
                public void flush() {
                    for (OutputStream o : destinations) {
                        try {
                            o.flush();
                        } catch (IOException e) {
                            drop(o, e);
                        }
                    }
                }
            });
        }
        destinations.add(out);
        return this;
    }

    /** Adds a pattern watcher (before the machine runs). */
    public ConsoleOutput watchedBy(ConsoleWatcher w) {
        watchers.add(w);
        return this;
    }

    @Override
    public int offer(byte[] b, int off, int len) {
        OutputPump p = pump;
        int n = p == null || destinations.isEmpty() ? len : p.offer(b, off, len);
        bytes += n;
        for (ConsoleWatcher w : watchers) {
            w.feed(b, off, n);
        }
        return n;
    }

    @Override
    public int room() {
        OutputPump p = pump;
        return p == null || destinations.isEmpty() ? Integer.MAX_VALUE : p.room();
    }

    @Override
    public void whenRoom(Runnable r) {
        OutputPump p = pump;
        if (p == null) {
            r.run();
        } else {
            p.whenRoom(r);
        }
    }

    /** The output has paused: watchers look at unfinished lines (the writer thread writes on its own). */
    @Override
    public void flush() {
        for (ConsoleWatcher w : watchers) {
            w.outputPaused();
        }
    }

    /** Writes out what is held (at most {@link #CLOSE_WAIT}; what is left is counted in a warning). */
    @Override
    public void close() {
        flush();
        OutputPump p = pump;
        if (p != null) {
            p.close(CLOSE_WAIT);
        }
    }

    private void drop(OutputStream gone, IOException e) {
        if (destinations.remove(gone)) {
            LoggerFactory.getLogger(ConsoleOutput.class)
                    .warn("console output to {} failed ({}); dropping that destination", gone, e.getMessage());
        }
    }

    /** Bytes the guest has written so far. */
    public long bytesWritten() {
        return bytes;
    }
}
