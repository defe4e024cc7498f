package dev.aarvark.devices;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The one place guest mistakes are reported: a bad register offset or value, a malformed
 * descriptor, an access to an unassigned address. Each report names the device, the register or
 * queue and the value; it is logged as a warning on the logger {@code aarvark.guest} (QEMU's
 * {@code -d guest_errors}) and counted.
 *
 * <p>Invariant: a guest cannot flood the host log. Each distinct (device, what) key is logged in
 * full for its first {@value #LOGGED_PER_KEY} occurrences, then only counted; the counts stay
 * readable through {@link #count}.
 */
public final class GuestErrors {
    /** How many reports of one kind are logged before the rest are only counted. */
    public static final int LOGGED_PER_KEY = 10;

    private static final Logger LOG = LoggerFactory.getLogger("aarvark.guest");
    private static final ConcurrentHashMap<String, AtomicLong> COUNTS = new ConcurrentHashMap<>();

    private GuestErrors() {}

    /**
     * Reports a guest error.
     *
     * @param device the device (or CPU part) that saw it, e.g. "pl011" or "virtio-net@0a003e00"
     * @param what   a stable short description used to group repeats, e.g. "write to read-only register"
     * @param detail the specifics of this occurrence (register, value, address)
     */
    public static void report(String device, String what, String detail) {
        String key = device + ": " + what;
        long n = COUNTS.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
        if (n <= LOGGED_PER_KEY) {
            LOG.warn("guest error: {}: {}: {}{}", device, what, detail,
                    n == LOGGED_PER_KEY ? " (further reports of this kind are only counted)" : "");
        }
    }

    /** How often {@code (device, what)} has been reported in this process. */
    public static long count(String device, String what) {
        AtomicLong n = COUNTS.get(device + ": " + what);
        return n == null ? 0 : n.get();
    }
}
