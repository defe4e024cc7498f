package dev.aarvark.devices.virtio.net;

import org.slf4j.Logger;

/**
 * A host-side warning that a peer or a backend can cause at any rate (frames dropped on a full host
 * queue): logged at most once per {@link #INTERVAL_NANOS}, each line saying how many occurrences
 * it stands for since the previous one. Guest mistakes go to the {@code GuestErrorLog} instead,
 * which limits per kind.
 */
final class RateLimitedWarning {
    /** One line per second at most. */
    static final long INTERVAL_NANOS = 1_000_000_000L;

    private final Logger log;
    private boolean loggedOnce;
    private long lastNanos;
    private long unlogged;

    RateLimitedWarning(Logger log) {
        this.log = log;
    }

    /** One occurrence; {@code message} is logged if the interval has passed since the last line. */
    void occurred(String message) {
        unlogged++;
        long now = System.nanoTime();
        if (loggedOnce && now - lastNanos < INTERVAL_NANOS) {
            return;
        }
        log.warn("{}{}", message, unlogged > 1 ? " (" + unlogged + " times since the last report)" : "");
        loggedOnce = true;
        lastNanos = now;
        unlogged = 0;
    }
}
