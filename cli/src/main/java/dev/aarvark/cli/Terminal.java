package dev.aarvark.cli;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The host terminal in the mode QEMU's {@code -nographic} console uses: no line editing, no echo,
 * no signals from Ctrl-C (it goes to the guest), 8-bit input, output post-processing kept. Set only
 * when standard input is a terminal; the previous settings are restored on every exit path
 * ({@link #close()}, and a shutdown hook for signals).
 */
final class Terminal implements AutoCloseable {
    private static final File TTY = new File("/dev/tty");
    private final String saved;
    private final Thread hook;
    private boolean restored;

    private Terminal(String saved) {
        this.saved = saved;
        this.hook = new Thread(this::restore, "aarvark-terminal-restore");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    /** Puts the terminal in raw mode if standard input is one; returns null otherwise. */
    static Terminal rawIfInteractive() {
        if (System.console() == null || !System.console().isTerminal()) {
            return null;
        }
        try {
            String saved = stty(List.of("-g")).trim();
            if (saved.isEmpty()) {
                return null;
            }
            stty(List.of("-ignbrk", "-brkint", "-parmrk", "-istrip", "-inlcr", "-igncr", "-icrnl", "-ixon", "opost",
                    "-echo", "-echonl", "-icanon", "-iexten", "-isig", "cs8", "-parenb", "min", "1", "time", "0"));
            return new Terminal(saved);
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }

    private static String stty(List<String> args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add("stty");
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectInput(TTY).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private synchronized void restore() {
        if (restored) {
            return;
        }
        restored = true;
        try {
            stty(List.of(saved));
        } catch (IOException | InterruptedException e) {
            // Best effort: the terminal may already be gone.
        }
    }

    @Override
    public void close() {
        restore();
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down: the hook runs (harmlessly, restore is idempotent).
        }
    }
}
