package dev.aarvark.memory;

import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.LongConsumer;

/**
 * Which 4 KiB pages of one RAM bank host code has written (device DMA, the loaders, semihosting,
 * a debugger) since they were last taken: a dirty-page bitmap in the manner of rust-vmm
 * {@code vm-memory}'s, kept by {@link GuestRam} for every write made through its accessors. The
 * guest CPU's own stores reach the bank natively and are not recorded.
 *
 * <p>Its reader is the CPU's instruction-cache maintenance: code a device wrote by DMA must be
 * translated again once the guest invalidates its instruction cache, and these are the pages
 * libunicorn never saw written.
 *
 * <p>Thread-safe: writers on any thread mark pages; {@link #take} clears each word atomically, so a
 * page marked while it runs is reported by this call or by the next one, never lost. A write that
 * happens-before the reader's call (a device completing a request the guest then acts on) is seen.
 */
public final class HostWrittenPages {
    private final long base;
    private final long pages;
    private final AtomicLongArray words;

    HostWrittenPages(long base, long size) {
        this.base = base;
        this.pages = size / GuestRam.PAGE;
        this.words = new AtomicLongArray((int) ((pages + 63) >>> 6));
    }

    /** Records a write of {@code [pa, pa+len)}, which the caller has checked lies in the bank. */
    void mark(long pa, long len) {
        if (len <= 0) {
            return;
        }
        long first = (pa - base) >>> 12;
        long last = (pa - base + len - 1) >>> 12;
        for (long page = first; page <= last; page++) {
            int w = (int) (page >>> 6);
            long bit = 1L << page;
            if ((words.get(w) & bit) == 0) {
                words.accumulateAndGet(w, bit, (a, b) -> a | b);
            }
        }
    }

    /**
     * Reports each page written since the last call, by index from the bank's base (page {@code i}
     * is {@code [base + 4096 i, base + 4096 (i+1))}), in ascending order, and forgets them.
     */
    public void take(LongConsumer pageIndex) {
        for (int w = 0; w < words.length(); w++) {
            if (words.get(w) == 0) {
                continue;
            }
            long v = words.getAndSet(w, 0);
            while (v != 0) {
                int b = Long.numberOfTrailingZeros(v);
                v &= v - 1;
                pageIndex.accept(((long) w << 6) + b);
            }
        }
    }

    /** Forgets every recorded page. */
    public void clear() {
        for (int w = 0; w < words.length(); w++) {
            words.set(w, 0);
        }
    }

    /** The number of pages in the bank. */
    public long pages() {
        return pages;
    }
}
