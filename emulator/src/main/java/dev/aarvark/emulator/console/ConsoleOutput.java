package dev.aarvark.emulator.console;

import dev.aarvark.devices.io.ByteSink;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The guest console as the host sees it: every byte the guest writes to its console (the UART,
 * semihosting) goes to the host destination (terminal, file or nowhere), to the optional console
 * log, and to the {@link ConsoleWatcher} of {@code --expect}/{@code --fail}.
 *
 * <p>Output is buffered and flushed at each newline and whenever the run loop calls {@link #flush()}
 * between slices, so a byte-at-a-time guest does not cost a system call per byte. The buffer is
 * bounded; a slow destination blocks the vCPU thread (backpressure) rather than growing memory.
 * A destination that fails (a closed pipe) is dropped with one warning; the guest keeps running.
 */
public final class ConsoleOutput implements ByteSink {
    private static final int BUFFER = 16 * 1024;

    private final List<OutputStream> destinations = new ArrayList<>();
    private final List<ConsoleWatcher> watchers = new ArrayList<>();
    private final byte[] buffer = new byte[BUFFER];
    private int used;
    private long bytes;

    /** Adds a destination (terminal, file, log); it is flushed but never closed here. */
    public ConsoleOutput to(OutputStream out) {
        destinations.add(out);
        return this;
    }

    /** Adds a pattern watcher. */
    public ConsoleOutput watchedBy(ConsoleWatcher w) {
        watchers.add(w);
        return this;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        bytes += len;
        for (ConsoleWatcher w : watchers) {
            w.feed(b, off, len);
        }
        if (destinations.isEmpty()) {
            return;
        }
        boolean newline = false;
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                newline = true;
                break;
            }
        }
        if (used + len > BUFFER) {
            flush();
        }
        if (len > BUFFER) {
            emit(b, off, len);
        } else {
            System.arraycopy(b, off, buffer, used, len);
            used += len;
        }
        if (newline) {
            flush();
        }
    }

    /** Writes out buffered bytes; the output has paused, so watchers look at unfinished lines. */
    @Override
    public void flush() {
        for (ConsoleWatcher w : watchers) {
            w.outputPaused();
        }
        if (used > 0) {
            emit(buffer, 0, used);
            used = 0;
        }
        for (int i = destinations.size() - 1; i >= 0; i--) {
            try {
                destinations.get(i).flush();
            } catch (IOException e) {
                drop(i, e);
            }
        }
    }

    private void emit(byte[] b, int off, int len) {
        for (int i = destinations.size() - 1; i >= 0; i--) {
            try {
                destinations.get(i).write(b, off, len);
            } catch (IOException e) {
                drop(i, e);
            }
        }
    }

    private void drop(int i, IOException e) {
        OutputStream gone = destinations.remove(i);
        org.slf4j.LoggerFactory.getLogger(ConsoleOutput.class)
                .warn("console output to {} failed ({}); dropping that destination", gone, e.getMessage());
    }

    /** Bytes the guest has written so far. */
    public long bytesWritten() {
        return bytes;
    }
}
