package dev.aarvark.devices.rtc;

/** A wall clock that moves only when the test says so. */
final class ManualClock implements WallClock {
    static final long SECOND = 1_000_000_000L;

    long nanos;

    ManualClock(long seconds) {
        nanos = seconds * SECOND;
    }

    @Override
    public long epochNanos() {
        return nanos;
    }

    void advanceNanos(long n) {
        nanos += n;
    }

    void advanceSeconds(long s) {
        nanos += s * SECOND;
    }
}
