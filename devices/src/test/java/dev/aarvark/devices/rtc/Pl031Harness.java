package dev.aarvark.devices.rtc;

import dev.aarvark.devices.GuestErrors;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A PL031 on a manual clock with a recording interrupt line. */
final class Pl031Harness {
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    /** 2026-11-22T01:41:23Z, the time the reference QEMU boot read. */
    static final long START = 1_795_311_683L;

    final String name = "pl031-test-" + INSTANCES.incrementAndGet();
    final ManualClock clock = new ManualClock(START);
    final List<Boolean> levels = new ArrayList<>();
    final Pl031 rtc = new Pl031(name, levels::add, clock);

    long read(int offset) {
        return rtc.read(offset, 4);
    }

    void write(int offset, long value) {
        rtc.write(offset, 4, value);
    }

    boolean line() {
        return !levels.isEmpty() && levels.getLast();
    }

    long errors(String what) {
        return GuestErrors.count(name, what);
    }
}
