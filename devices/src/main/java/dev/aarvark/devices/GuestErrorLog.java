package dev.aarvark.devices;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The guest errors of one machine: a bad register offset or value, a malformed descriptor, an
 * access to an unassigned address. Each report names the device, the {@link GuestError kind}
 * and the specifics; it is logged as a warning on the logger {@code aarvark.guest} (QEMU's
 * {@code -d guest_errors}) as {@code guest error: <device>: <kind text>: <detail>} and counted.
 *
 * <p>Invariants:
 * <ul>
 *   <li>A guest cannot flood the host log. Each (device, kind) pair is logged in full for its
 *   first {@value #LOGGED_PER_KEY} reports (the last of them says so), then only counted; the
 *   counts stay readable through {@link #count}.</li>
 *   <li>Counts belong to this log, and the machine owns one: two machines in one JVM do not
 *   share counters or rate limits.</li>
 *   <li>Reports may come from any thread (the CPU thread, host I/O threads); counting is
 *   lock-free and no report is lost.</li>
 * </ul>
 */
public final class GuestErrorLog {
    /** How many reports of one (device, kind) are logged before the rest are only counted. */
    public static final int LOGGED_PER_KEY = 10;

    private static final Logger LOG = LoggerFactory.getLogger("aarvark.guest");

    private record Key(String device, GuestError kind) {}

    private final ConcurrentHashMap<Key, AtomicLong> counts = new ConcurrentHashMap<>();

    /**
     * Reports a guest error.
     *
     * @param device the device (or CPU part) that saw it, e.g. "pl011" or "virtio-console@a003e00"
     * @param kind   what the guest did wrong; groups repeats
     * @param detail the specifics of this occurrence (register, value, address)
     */
    public void report(String device, GuestError kind, String detail) {
        long n = counts.computeIfAbsent(new Key(device, kind), k -> new AtomicLong()).incrementAndGet();
        if (n <= LOGGED_PER_KEY) {
            LOG.warn("guest error: {}: {}: {}{}", device, kind.text(), detail,
                    n == LOGGED_PER_KEY ? " (further reports of this kind are only counted)" : "");
        }
    }

    /** How often {@code kind} has been reported by {@code device}. */
    public long count(String device, GuestError kind) {
        AtomicLong n = counts.get(new Key(device, kind));
        return n == null ? 0 : n.get();
    }

    /** How often {@code kind} has been reported, by all devices. */
    public long count(GuestError kind) {
        long total = 0;
        for (var e : counts.entrySet()) {
            if (e.getKey().kind() == kind) {
                total += e.getValue().get();
            }
        }
        return total;
    }

    /** How many reports of {@code kind} by {@code device} were logged in full (at most {@value #LOGGED_PER_KEY}). */
    public long logged(String device, GuestError kind) {
        return Math.min(count(device, kind), LOGGED_PER_KEY);
    }
}
