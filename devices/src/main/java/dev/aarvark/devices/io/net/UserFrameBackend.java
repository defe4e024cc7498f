package dev.aarvark.devices.io.net;

import dev.aarvark.devices.io.HostIo;

import java.util.List;

/**
 * User-mode networking, as QEMU's {@code -nic user[,hostfwd=...]} is used, through passt: a
 * {@link PasstProcess} of this NIC's own, reached by a {@link StreamFrameBackend} connected to its
 * socket (QEMU's stream framing, which passt speaks). The guest gets an address, a gateway and a
 * route by DHCP from passt, reaches the host's loopback services at the gateway address, and is
 * reached through the {@link PortForward}s.
 *
 * <p>What it keeps true: passt lives exactly as long as this backend (it is started by
 * {@link #open}, stopped by {@link #close} on every exit path of the machine, and quits by itself
 * when the connection goes, see {@link PasstProcess}); if passt exits during the run the link goes
 * down (the peer is gone) and stays down. Frames, flow control and counters are the stream
 * backend's.
 */
public final class UserFrameBackend implements FrameBackend {
    private final String description;
    private final PasstProcess passt;
    private final StreamFrameBackend stream;

    private UserFrameBackend(String description, PasstProcess passt, StreamFrameBackend stream) {
        this.description = description;
        this.passt = passt;
        this.stream = stream;
    }

    /** {@code user} with the forwards, as text: {@code user,hostfwd=tcp:127.0.0.1:8080-:80}. */
    public static String describe(List<PortForward> forwards) {
        StringBuilder sb = new StringBuilder("user");
        forwards.forEach(f -> sb.append(",hostfwd=").append(f.spec()));
        return sb.toString();
    }

    /**
     * Starts {@code passt} (a name on the PATH or a path) with {@code forwards} and prepares the
     * connection to it; {@link #start} connects.
     *
     * @throws NetBackendException if passt cannot be started (one line: the backend and why)
     */
    public static UserFrameBackend open(HostIo io, String passt, List<PortForward> forwards) {
        String description = describe(forwards);
        PasstProcess p = PasstProcess.start(passt, List.copyOf(forwards), description);
        return new UserFrameBackend(description, p, StreamFrameBackend.connectUnix(io, p.socket()));
    }

    /** The passt serving this NIC (its pid, for tests and logs). */
    public PasstProcess passt() {
        return passt;
    }

    @Override
    public void start(Listener listener) {
        try {
            stream.start(listener);
        } catch (NetBackendException e) {
            close();
            throw new NetBackendException(description, "cannot connect to passt: " + e.reason(), e);
        }
    }

    @Override
    public SendResult send(byte[] frame, int off, int len) {
        return stream.send(frame, off, len);
    }

    @Override
    public void setReceiving(boolean on) {
        stream.setReceiving(on);
    }

    @Override
    public boolean linkUp() {
        return stream.linkUp();
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public FrameCounters counters() {
        return stream.counters();
    }

    /** Closes the connection, then stops passt. */
    @Override
    public void close() {
        passt.expectExit();     // with the connection gone, --one-off ends it
        try {
            stream.close();
        } finally {
            passt.close();
        }
    }
}
