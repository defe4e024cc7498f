package dev.aarvark.devices.rtc;

import java.time.Instant;

/**
 * The host's wall-clock time, as the real-time clock sees it: nanoseconds since the Unix epoch
 * (1970-01-01T00:00:00Z). Injected so that tests can drive time by hand.
 *
 * <p>A wall clock may be stepped (by NTP or an administrator), forwards or backwards; users must
 * not assume it is monotonic.
 */
@FunctionalInterface
public interface WallClock {
    /** Nanoseconds since the Unix epoch, now. */
    long epochNanos();

    /** The host's system clock. */
    WallClock SYSTEM = () -> {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    };
}
