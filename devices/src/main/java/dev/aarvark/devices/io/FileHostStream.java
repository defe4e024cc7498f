package dev.aarvark.devices.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * A file as the host side of a device stream ({@code file:PATH}): guest output is appended, there
 * is nothing to read, and the host side is always connected.
 *
 * <p>The vCPU thread never writes the file: {@link #write} copies into a bounded buffer and a
 * writer thread ({@link OutputPump}) empties it, so a slow disk or a pipe nobody reads holds the
 * guest's output back (a short write; {@link Listener#writable()} once there is room) and never
 * stops the guest. A named pipe is opened read-write, which never blocks (a write-only open would
 * wait for a reader); what the guest wrote waits in the pipe until someone reads it. On
 * {@link #close} what is held is written within {@link #CLOSE_WAIT}, and anything left is counted
 * in a warning.
 */
public final class FileHostStream implements HostStream {
    /** Bytes held for the file. */
    public static final int CAPACITY = 256 * 1024;
    /** How long {@link #close} waits for a slow file. */
    public static final Duration CLOSE_WAIT = Duration.ofSeconds(5);
    private static final int S_IFMT = 0170000;
    private static final int S_IFIFO = 0010000;

    private final Path path;
    private final Executor toVcpu;
    private FileChannel channel;
    private OutputPump pump;
    private Listener listener;
    private boolean waitingForRoom;

    /**
     * @param path   the file (created if missing) or named pipe
     * @param toVcpu runs a task on the vCPU thread (where {@link Listener#writable()} is called)
     */
    public FileHostStream(Path path, Executor toVcpu) {
        this.path = path;
        this.toVcpu = toVcpu;
    }

    @Override
    public void start(Listener l) {
        try {
            channel = isNamedPipe(path)
                    ? FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE)
                    : FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException | UnsupportedOperationException e) {
            throw new HostStreamException(describe(), "cannot open for appending (" + reason(e) + ")", e);
        }
        this.listener = l;
        this.pump = new OutputPump(describe(), CAPACITY, (b, off, len) -> {
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
        });
        l.hostConnected(true);
    }

    private static boolean isNamedPipe(Path p) {
        try {
            return Files.exists(p) && ((Integer) Files.getAttribute(p, "unix:mode") & S_IFMT) == S_IFIFO;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String reason(Exception e) {
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such directory";
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied";
        }
        return e.getMessage();
    }

    @Override
    public int write(byte[] data, int off, int len) {
        int n = pump.offer(data, off, len);
        if (n < len && !waitingForRoom) {
            waitingForRoom = true;
            pump.whenRoom(() -> toVcpu.execute(() -> {
                waitingForRoom = false;
                listener.writable();
            }));
        }
        return n;
    }

    @Override
    public boolean awaitRoom(Duration max) {
        return pump != null && pump.awaitRoom(max);
    }

    /** Waits (at most {@code max}) until everything written so far is in the file. */
    public boolean drain(Duration max) {
        return pump == null || pump.drain(max);
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

    @Override
    public void close() {
        if (pump != null) {
            pump.close(CLOSE_WAIT);
        }
        if (channel != null) {
            try {
                channel.close(); // also ends a write the writer thread is blocked in
            } catch (IOException e) {
                throw new HostStreamException(describe(), "close failed (" + e.getMessage() + ")", e);
            }
        }
    }
}
