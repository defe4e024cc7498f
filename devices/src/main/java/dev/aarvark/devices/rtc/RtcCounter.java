package dev.aarvark.devices.rtc;

/**
 * The PL031's 32-bit seconds counter (RTCDR), derived from a wall clock rather than stored: the
 * counter reads the clock's whole seconds plus an offset that RTCLR loads (PL031 TRM 3.3.1 and
 * 3.3.3). It therefore advances between guest accesses without anyone ticking it.
 *
 * <p>Invariant: {@code value(t)} is {@code (floor(t / 1 s) + offset) mod 2^32}, so the counter
 * increments exactly when the clock crosses a whole second, and wraps at 2^32 as the hardware
 * register does.
 */
final class RtcCounter {
    static final long NANOS_PER_SECOND = 1_000_000_000L;
    static final long MASK = 0xFFFF_FFFFL;

    private long offsetSeconds;

    /** The counter value at wall-clock time {@code nowNanos}, 0 to 2^32-1. */
    long value(long nowNanos) {
        return (Math.floorDiv(nowNanos, NANOS_PER_SECOND) + offsetSeconds) & MASK;
    }

    /** Makes the counter read {@code value} at {@code nowNanos} and count on from there. */
    void load(long value, long nowNanos) {
        offsetSeconds = (value & MASK) - Math.floorDiv(nowNanos, NANOS_PER_SECOND);
    }

    /**
     * Nanoseconds from {@code nowNanos} until the counter next becomes {@code target}: strictly in
     * the future, at most 2^32 seconds away (if the counter reads {@code target} now, the next time
     * is after a full wrap).
     */
    long nanosUntil(long target, long nowNanos) {
        long seconds = (target - value(nowNanos)) & MASK;
        if (seconds == 0) {
            seconds = MASK + 1;
        }
        return seconds * NANOS_PER_SECOND - Math.floorMod(nowNanos, NANOS_PER_SECOND);
    }
}
