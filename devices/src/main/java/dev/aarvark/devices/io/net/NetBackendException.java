package dev.aarvark.devices.io.net;

import io.netty.channel.ConnectTimeoutException;

/**
 * A network backend that cannot be set up: a peer that cannot be reached, a port already in use,
 * a capture file that cannot be created. The message is one line, the backend as described
 * ({@link FrameBackend#describe()}) then the reason: {@code "stream:connect=tcp:127.0.0.1:9:
 * connection refused"}. {@link #backend()} and {@link #reason()} give the two halves, so the layer
 * that knows where the backend was named (a command-line flag) can word its own message; as
 * {@link dev.aarvark.devices.io.HostStreamException}, it is an {@link IllegalArgumentException}
 * (the user's configuration cannot work).
 */
public final class NetBackendException extends IllegalArgumentException {
    private final String backend;
    private final String reason;

    /**
     * @param backend the backend as described ({@link FrameBackend#describe()})
     * @param reason  what went wrong, one line, lower case
     * @param cause   the underlying failure, or null
     */
    public NetBackendException(String backend, String reason, Throwable cause) {
        super(backend + ": " + reason, cause);
        this.backend = backend;
        this.reason = reason;
    }

    /** The backend as described: {@code stream:listen=tcp:127.0.0.1:18080}. */
    public String backend() {
        return backend;
    }

    /** What went wrong, without the backend: "address already in use". */
    public String reason() {
        return reason;
    }

    /**
     * The reason of a socket or file failure in the words of the operating system, one line, lower
     * case ("connection refused", "address already in use", "no such file or directory"). Netty's
     * annotations (": /127.0.0.1:9") are left out: the backend's description names the address.
     */
    static String reasonOf(Throwable t) {
        if (t == null) {
            return "unknown failure";
        }
        if (t instanceof ConnectTimeoutException) {
            return "connection timed out";
        }
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String m = root.getMessage();
        if (m == null || m.isBlank()) {
            return root.getClass().getSimpleName();
        }
        m = m.replaceAll("\\s+", " ").strip();
        if (m.length() > 1 && Character.isUpperCase(m.charAt(0)) && Character.isLowerCase(m.charAt(1))) {
            m = Character.toLowerCase(m.charAt(0)) + m.substring(1);
        }
        return m;
    }
}
