package dev.aarvark.devices.io;

/**
 * A host stream that cannot be set up: a port already in use, a directory that does not exist, a
 * file that cannot be opened. {@link #backend()} is the stream as its user named it ({@code tcp:PORT},
 * {@code unix:PATH}, {@code file:PATH}), so the layer that knows where that name came from (a
 * command-line flag) can put it in front of {@link #reason()}.
 */
public final class HostStreamException extends IllegalArgumentException {
    private final String backend;
    private final String reason;

    public HostStreamException(String backend, String reason, Throwable cause) {
        super(backend + ": " + reason, cause);
        this.backend = backend;
        this.reason = reason;
    }

    /** The backend as named: {@code tcp:18080}, {@code unix:/run/x.sock}, {@code file:/tmp/out}. */
    public String backend() {
        return backend;
    }

    /** What went wrong, without the backend: "cannot listen on 127.0.0.1:18080 (address already in use)". */
    public String reason() {
        return reason;
    }
}
