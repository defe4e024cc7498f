package dev.aarvark.cli;

import dev.aarvark.devices.io.ByteSink;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A console sink that remembers each complete line with the {@link System#nanoTime()} at which
 * its newline arrived, so a benchmark can time the phases a guest announces on its console.
 * Keeps at most {@link #MAX_LINES} lines; always has room.
 */
final class ConsoleMarkers implements ByteSink {
    static final int MAX_LINES = 10_000;

    /** One console line and when it ended. */
    record Line(String text, long nanos) {
    }

    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private final List<Line> lines = new ArrayList<>();

    @Override
    public synchronized int offer(byte[] b, int off, int len) {
        for (int i = off; i < off + len; i++) {
            if (b[i] == '\n') {
                if (lines.size() < MAX_LINES) {
                    lines.add(new Line(current.toString(StandardCharsets.UTF_8), System.nanoTime()));
                }
                current.reset();
            } else if (current.size() < 4096) {
                current.write(b[i]);
            }
        }
        return len;
    }

    /** Lines so far. */
    synchronized List<Line> lines() {
        return List.copyOf(lines);
    }
}
