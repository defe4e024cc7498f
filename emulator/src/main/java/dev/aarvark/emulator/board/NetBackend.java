package dev.aarvark.emulator.board;

import dev.aarvark.devices.io.net.PortForward;
import dev.aarvark.devices.io.net.UserFrameBackend;

import java.nio.file.Path;
import java.util.List;

/**
 * The host side of a network card, as QEMU's {@code -netdev} names it: nothing ({@code none}, a
 * NIC with no cable), a QEMU-framed stream socket ({@code -netdev stream}: a 4-byte big-endian
 * length before each frame) that aarvark connects to or listens on, or a datagram socket
 * ({@code -netdev dgram}: one frame per UDP datagram), or user-mode networking through passt
 * ({@code -nic user,hostfwd=...}). {@link #spec()} is its text form.
 */
public sealed interface NetBackend {
    /** No peer: the link is down and transmitted frames are dropped. */
    record None() implements NetBackend {
    }

    /** {@code stream:connect=unix:PATH}. */
    record StreamConnectUnix(Path path) implements NetBackend {
    }

    /** {@code stream:connect=tcp:HOST:PORT}. */
    record StreamConnectTcp(String host, int port) implements NetBackend {
    }

    /** {@code stream:listen=unix:PATH}: one peer at a time. */
    record StreamListenUnix(Path path) implements NetBackend {
    }

    /** {@code stream:listen=tcp:[HOST:]PORT}: one peer at a time, on 127.0.0.1 unless a host is given. */
    record StreamListenTcp(String host, int port) implements NetBackend {
    }

    /** {@code dgram:local=HOST:PORT,remote=HOST:PORT}. */
    record Dgram(String localHost, int localPort, String remoteHost, int remotePort) implements NetBackend {
    }

    /** {@code tap:IFNAME}: a Linux TAP device, existing or made on open, with the virtio-net header. */
    record Tap(String ifname) implements NetBackend {
    }

    /** {@code user[,hostfwd=...]}: user-mode networking through a passt of the NIC's own. */
    record User(List<PortForward> forwards) implements NetBackend {
        public User {
            forwards = List.copyOf(forwards);
        }
    }

    /** The backend as text, in the form the command line reads. */
    default String spec() {
        return switch (this) {
            case None x -> "none";
            case StreamConnectUnix s -> "stream:connect=unix:" + s.path();
            case StreamConnectTcp s -> "stream:connect=tcp:" + s.host() + ":" + s.port();
            case StreamListenUnix s -> "stream:listen=unix:" + s.path();
            case StreamListenTcp s -> "stream:listen=tcp:" + s.host() + ":" + s.port();
            case Dgram d -> "dgram:local=" + d.localHost() + ":" + d.localPort() + ",remote=" + d.remoteHost() + ":"
                    + d.remotePort();
            case User u -> UserFrameBackend.describe(u.forwards());
            case Tap t -> "tap:" + t.ifname();
        };
    }
}
