package dev.aarvark.cli.it;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An aarvark process whose console a test drives: it waits for text on standard output and types
 * lines on standard input, as a user at the terminal would (standard input is a pipe here, so no
 * raw mode and no escape keys).
 */
final class Interactive implements AutoCloseable {
    private final Process process;
    private final StringBuffer out = new StringBuffer();
    private final StringBuffer err = new StringBuffer();
    private final OutputStream in;
    private int consumed;

    Interactive(String... args) throws IOException {
        this(aarvarkCommand(args), true);
    }

    /** Any program driven the same way, e.g. a QEMU guest with {@code -nographic} as a real peer. */
    static Interactive program(List<String> command) throws IOException {
        return new Interactive(command, true);
    }

    private Interactive(List<String> command, boolean unused) throws IOException {
        process = new ProcessBuilder(command).start();
        in = process.getOutputStream();
        collect(process.getInputStream(), out);
        collect(process.getErrorStream(), err);
    }

    private static List<String> aarvarkCommand(String... args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>(List.of(java, "--enable-native-access=ALL-UNNAMED", "-Xss4m",
                "-Daarvark.root=" + Aarvark.root(), "-jar", Aarvark.root().resolve("cli/target/aarvark.jar").toString()));
        cmd.addAll(List.of(args));
        return cmd;
    }

    private static void collect(InputStream stream, StringBuffer into) {
        Thread.ofPlatform().daemon().start(() -> {
            try (InputStream s = stream) {
                byte[] b = new byte[4096];
                for (int n; (n = s.read(b)) > 0; ) {
                    into.append(new String(b, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // Process ended.
            }
        });
    }

    /** What the process wrote on standard error so far (aarvark's log lines). */
    String stderr() {
        return err.toString();
    }

    long pid() {
        return process.pid();
    }

    /** Waits until {@code regex} appears after what earlier waits consumed; returns the match. */
    Matcher await(String regex, int seconds) throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            Matcher m = p.matcher(out.toString());
            if (m.find(consumed)) {
                consumed = m.end();
                return m;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("'" + regex + "' did not appear within " + seconds + " s; console:\n" + out + "\nstderr:\n" + err);
    }

    void type(String line) throws IOException {
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    int waitForExit(int seconds) throws InterruptedException {
        if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
            throw new AssertionError("aarvark did not exit within " + seconds + " s; console:\n" + out);
        }
        return process.exitValue();
    }

    /** The emulator process's resident set size in KiB (Linux /proc). */
    long rssKib() throws java.io.IOException {
        for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + process.pid());
    }

    String console() {
        return out.toString();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

    static Path linux(String file) {
        Path p = Aarvark.root().resolve(".cache/guests/linux/" + file);
        if (!p.toFile().isFile()) {
            throw new IllegalStateException("Linux guest file " + p + " is missing: run 'make guests' (make test does)");
        }
        return p;
    }
}
