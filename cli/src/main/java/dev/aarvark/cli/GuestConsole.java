package dev.aarvark.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A guest machine in a child process (an aarvark or a QEMU) whose serial console a benchmark
 * drives as a user at a terminal would: it waits for text on the console and types lines. Each
 * wait starts after what the previous wait matched, so a marker printed twice is seen twice.
 * Standard error is discarded; {@link #close} kills the process.
 */
final class GuestConsole implements AutoCloseable {
    private final String name;
    private final Process process;
    private final OutputStream in;
    private final StringBuffer console = new StringBuffer();
    private final Thread reader;
    private int consumed;

    /** Starts {@code command}; {@code name} ("aarvark", "QEMU") is used in error messages. */
    GuestConsole(String name, List<String> command) throws IOException {
        this.name = name;
        process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        in = process.getOutputStream();
        reader = Thread.ofPlatform().daemon().start(() -> {
            try (InputStream s = process.getInputStream()) {
                byte[] b = new byte[4096];
                for (int n; (n = s.read(b)) > 0; ) {
                    console.append(new String(b, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // The process ended.
            }
        });
    }

    /** Waits until {@code regex} appears after the last match; returns the match. */
    Matcher await(String regex, int seconds) throws InterruptedException {
        Pattern p = Pattern.compile(regex);
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < deadline) {
            Matcher m = p.matcher(console.toString());
            if (m.find(consumed)) {
                consumed = m.end();
                return m;
            }
            if (!process.isAlive() && !reader.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        String text = console.toString();
        throw new IllegalStateException(name + ": '" + regex + "' did not appear within " + seconds + " s"
                + (process.isAlive() ? "" : " (the process ended)") + "; console tail:\n"
                + text.substring(Math.max(0, text.length() - 2000)));
    }

    void type(String line) throws IOException {
        in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    /** Types {@code poweroff -f} and waits up to 60 s for the process to end. */
    void powerOff() throws IOException, InterruptedException {
        type("poweroff -f");
        process.waitFor(60, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
        reader.join(1000);
    }
}
