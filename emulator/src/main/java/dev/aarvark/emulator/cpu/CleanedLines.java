package dev.aarvark.emulator.cpu;

/**
 * A set of 64-byte lines of one RAM bank: the lines the guest cleaned from its data cache by VA
 * and has not yet invalidated from its instruction cache ({@link InstructionCacheMaintenance}).
 * One bit per line, one {@code long} per 4 KiB page, allocated in chunks of 2 MiB of RAM as
 * lines are added, so a set that stays sparse (Linux patches a few thousand scattered lines)
 * costs little for any size of RAM.
 *
 * <p>Not thread-safe: the vCPU thread only.
 */
final class CleanedLines {
    /** A line is 64 bytes (CTR_EL0.DminLine and IminLine of the A53, A57 and A72). */
    static final int LINE_SHIFT = 6;
    private static final int PAGE_SHIFT = 12;
    /** Pages per chunk: 512, so 2 MiB of RAM and 4 KiB of masks per chunk. */
    private static final int CHUNK_PAGES_SHIFT = 9;

    /** Receives the lines to drop: {@code [offset, offset + length)} from the bank's base. */
    interface RangeSink {
        void range(long offset, long length);
    }

    private final long[][] chunks;
    private boolean empty = true;

    CleanedLines(long ramBytes) {
        long pages = ramBytes >>> PAGE_SHIFT;
        this.chunks = new long[(int) ((pages + (1 << CHUNK_PAGES_SHIFT) - 1) >>> CHUNK_PAGES_SHIFT)][];
    }

    /** Adds the line at {@code offset} (bytes from the bank's base, inside the bank). */
    void add(long offset) {
        long page = offset >>> PAGE_SHIFT;
        int c = (int) (page >>> CHUNK_PAGES_SHIFT);
        long[] chunk = chunks[c];
        if (chunk == null) {
            chunk = chunks[c] = new long[1 << CHUNK_PAGES_SHIFT];
        }
        chunk[(int) (page & ((1 << CHUNK_PAGES_SHIFT) - 1))] |= 1L << (offset >>> LINE_SHIFT);
        empty = false;
    }

    /** Removes the line at {@code offset}, if present. */
    void remove(long offset) {
        long page = offset >>> PAGE_SHIFT;
        long[] chunk = chunks[(int) (page >>> CHUNK_PAGES_SHIFT)];
        if (chunk != null) {
            chunk[(int) (page & ((1 << CHUNK_PAGES_SHIFT) - 1))] &= ~(1L << (offset >>> LINE_SHIFT));
        }
    }

    /**
     * Reports the set as maximal runs of consecutive lines within a page, in ascending order, and
     * empties it.
     *
     * @return the number of lines reported
     */
    long drain(RangeSink sink) {
        if (empty) {
            return 0;
        }
        long lines = 0;
        for (int c = 0; c < chunks.length; c++) {
            long[] chunk = chunks[c];
            if (chunk == null) {
                continue;
            }
            for (int i = 0; i < chunk.length; i++) {
                long mask = chunk[i];
                if (mask == 0) {
                    continue;
                }
                chunk[i] = 0;
                lines += Long.bitCount(mask);
                long pageOffset = (((long) c << CHUNK_PAGES_SHIFT) + i) << PAGE_SHIFT;
                while (mask != 0) {
                    int first = Long.numberOfTrailingZeros(mask);
                    int run = Long.numberOfTrailingZeros(~(mask >>> first));
                    if (first + run >= 64) {
                        run = 64 - first;
                    }
                    sink.range(pageOffset + ((long) first << LINE_SHIFT), (long) run << LINE_SHIFT);
                    mask = run == 64 ? 0 : mask & ~(((1L << run) - 1) << first);
                }
            }
        }
        empty = true;
        return lines;
    }

    /** Empties the set. */
    void clear() {
        for (int c = 0; c < chunks.length; c++) {
            chunks[c] = null;
        }
        empty = true;
    }
}
