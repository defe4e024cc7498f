package dev.aarvark.cli;

import dev.aarvark.emulator.board.PortBackend;

import java.nio.file.Path;

/** Reads the host side of a console port as the command line names it ({@code --hvc}, {@code --port}). */
final class PortBackendParser {
    private PortBackendParser() {
    }

    /**
     * Parses a backend.
     *
     * @param flag the flag it came from, for the one-line error
     * @throws IllegalArgumentException naming the flag, the text and the accepted forms
     */
    static PortBackend parse(String flag, String text) {
        if (text.equals("stdio")) {
            return new PortBackend.Stdio();
        }
        if (text.equals("none")) {
            return new PortBackend.None();
        }
        int colon = text.indexOf(':');
        String kind = colon < 0 ? text : text.substring(0, colon);
        String arg = colon < 0 ? "" : text.substring(colon + 1);
        if (!arg.isEmpty()) {
            switch (kind) {
                case "file" -> {
                    return new PortBackend.File(Path.of(arg));
                }
                case "unix" -> {
                    return new PortBackend.Unix(Path.of(arg));
                }
                case "tcp" -> {
                    try {
                        int port = Integer.parseInt(arg);
                        if (port >= 1 && port <= 65535) {
                            return new PortBackend.Tcp(port);
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
