package dev.aarvark.emulator.board;

import java.nio.file.Path;

/**
 * The host side of a console port: the terminal ({@code stdio}), a file (guest output appended), a
 * Unix socket aarvark listens on, a TCP port on 127.0.0.1 only, or nothing (output discarded, by
 * choice). {@link #spec()} is its text form ({@code file:PATH}, {@code unix:PATH}, {@code tcp:PORT}).
 */
public sealed interface PortBackend {
    record Stdio() implements PortBackend {
    }

    record File(Path path) implements PortBackend {
    }

    record Unix(Path path) implements PortBackend {
    }

    record Tcp(int port) implements PortBackend {
    }

    record None() implements PortBackend {
    }

    /** The backend as text, in the form {@link #parse} reads and host streams name themselves. */
    default String spec() {
        return switch (this) {
            case Stdio x -> "stdio";
            case File f -> "file:" + f.path();
            case Unix u -> "unix:" + u.path();
            case Tcp t -> "tcp:" + t.port();
            case None x -> "none";
        };
    }
}
