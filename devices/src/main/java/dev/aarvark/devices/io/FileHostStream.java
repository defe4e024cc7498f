package dev.aarvark.devices.io;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * A file as the host side of a device stream ({@code file:PATH}): guest output is appended, there
 * is nothing to read, and the host side is always connected. Writes happen on the vCPU thread,
 * through a bounded buffer: a slow disk slows the guest (backpressure), nothing is dropped.
 */
public final class FileHostStream implements HostStream {
    private static final int BUFFER = 64 * 1024;
    private final Path path;
    private OutputStream out;
    private long bytes;

    public FileHostStream(Path path) {
        this.path = path;
    }

    @Override
    public void start(Listener listener) {
        try {
            out = new java.io.BufferedOutputStream(new FileOutputStream(path.toFile(), true), BUFFER);
        } catch (IOException e) {
            throw new HostStreamException("file:" + path, "cannot open for appending (" + e.getMessage() + ")", e);
        }
        listener.hostConnected(true);
    }

    @Override
    public int write(byte[] data, int off, int len) {
        try {
            out.write(data, off, len);
        } catch (IOException e) {
            throw new UncheckedIOException("file:" + path + ": write failed", e);
        }
        bytes += len;
        return len;
    }

    /** Bytes written so far. */
    public long bytesWritten() {
        return bytes;
    }

    /** Pushes buffered bytes to the file. */
    public void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("file:" + path + ": write failed", e);
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

    @Override
    public void close() {
        if (out != null) {
            try {
                out.close();
            } catch (IOException e) {
                throw new UncheckedIOException("file:" + path + ": close failed", e);
            }
        }
    }
}
