package dev.aarvark.devices.rtc;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.GuestError;

import java.util.ArrayList;
import java.util.List;

/** A PL031 on a manual clock with a recording interrupt line. */
final class Pl031Harness {
    /** 2026-11-22T01:41:23Z, the time the reference QEMU boot read. */
    static final long START = 1_795_311_683L;

    final String name = "pl031-test";
    final GuestErrorLog guestErrors = new GuestErrorLog();
    final ManualClock clock = new ManualClock(START);
    final List<Boolean> levels = new ArrayList<>();
    final Pl031 rtc = new Pl031(name, levels::add, clock, guestErrors);

    long read(int offset) {
        return rtc.read(offset, 4);
    }

    void write(int offset, long value) {
        rtc.write(offset, 4, value);
    }

    boolean line() {
        return !levels.isEmpty() && levels.getLast();
    }

    long errors(GuestError kind) {
        return guestErrors.count(name, kind);
    }
}
