package dev.aarvark.emulator;

import java.nio.file.Path;

/**
 * The host side of a console port as the command line names it: {@code stdio}, {@code file:PATH}
 * (guest output appended), {@code unix:PATH} (a Unix socket aarvark listens on), {@code tcp:PORT}
 * (listening on 127.0.0.1 only) or {@code none} (output discarded, by choice).
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

    /**
     * Parses a backend.
     *
     * @param flag the flag it came from, for the one-line error
     * @throws IllegalArgumentException naming the flag, the text and the accepted forms
     */
    static PortBackend parse(String flag, String text) {
        if (text.equals("stdio")) {
            return new Stdio();
        }
        if (text.equals("none")) {
            return new None();
        }
        int colon = text.indexOf(':');
        String kind = colon < 0 ? text : text.substring(0, colon);
        String arg = colon < 0 ? "" : text.substring(colon + 1);
        if (!arg.isEmpty()) {
            switch (kind) {
                case "file" -> {
                    return new File(Path.of(arg));
                }
                case "unix" -> {
                    return new Unix(Path.of(arg));
                }
                case "tcp" -> {
                    try {
                        int port = Integer.parseInt(arg);
                        if (port >= 1 && port <= 65535) {
                            return new Tcp(port);
                        }
                    } catch (NumberFormatException e) {
                        // Reported below.
                    }
                    throw new IllegalArgumentException(flag + " " + text + ": tcp needs a port from 1 to 65535");
                }
                default -> {
                }
            }
        }
        throw new IllegalArgumentException(flag + " " + text + ": use stdio, file:PATH, unix:PATH, tcp:PORT or none");
    }
}
