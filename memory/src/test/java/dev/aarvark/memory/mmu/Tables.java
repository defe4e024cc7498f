package dev.aarvark.memory.mmu;

import dev.aarvark.memory.GuestRam;

/**
 * Builds translation tables in guest RAM for tests: a bump allocator of granule-sized, granule-aligned
 * zeroed tables, raw descriptor writes, and a {@link #map} helper that creates the intermediate tables a
 * leaf needs. Descriptor bit positions are spelled out here from the Arm ARM descriptor formats, not
 * borrowed from the walker, so a wrong constant in the walker cannot hide behind the same one here.
 */
final class Tables {
    static final long TABLE = 0b11;
    static final long BLOCK = 0b01;
    static final long PAGE = 0b11;
    static final long AF = 1L << 10;
    static final long NG = 1L << 11;
    /** AP[2:1] at bits 7:6. */
    static final long AP_RW_EL1 = 0b00L << 6;
    static final long AP_RW_ALL = 0b01L << 6;
    static final long AP_RO_EL1 = 0b10L << 6;
    static final long AP_RO_ALL = 0b11L << 6;
    static final long PXN = 1L << 53;
    static final long UXN = 1L << 54;
    static final long PXN_TABLE = 1L << 59;
    static final long UXN_TABLE = 1L << 60;
    static final long AP_TABLE_NO_EL0 = 0b01L << 61;
    static final long AP_TABLE_READ_ONLY = 0b10L << 61;

    private final GuestRam ram;
    private final int pageShift;
    private long next;

    Tables(GuestRam ram, int pageShift, long firstTable) {
        this.ram = ram;
        this.pageShift = pageShift;
        this.next = firstTable;
    }

    static long attrIndx(int n) {
        return (long) n << 2;
    }

    long granule() {
        return 1L << pageShift;
    }

    /** A fresh zeroed table (RAM starts zeroed). */
    long newTable() {
        long t = next;
        next += granule();
        return t;
    }

    void set(long table, long index, long descriptor) {
        ram.writeLong(table + 8 * index, descriptor);
    }

    long get(long table, long index) {
        return ram.readLong(table + 8 * index);
    }

    /**
     * Maps {@code va} with {@code leaf} at {@code leafLevel}, walking from {@code root} for an
     * {@code inputBits}-bit range and creating missing tables, each table descriptor carrying
     * {@code tableBits}. Returns the leaf descriptor's physical address.
     */
    long map(long root, int inputBits, long va, int leafLevel, long leaf, long tableBits) {
        int stride = pageShift - 3;
        int start = 3;
        while (pageShift + stride * (3 - start) + stride < inputBits) {
            start--;
        }
        long table = root;
        for (int level = start; ; level++) {
            int shift = pageShift + stride * (3 - level);
            int bits = level == start ? inputBits - shift : stride;
            long index = (va >>> shift) & ((1L << bits) - 1);
            if (level == leafLevel) {
                set(table, index, leaf);
                return table + 8 * index;
            }
            long d = get(table, index);
            if ((d & 0b11) != TABLE) {
                long created = newTable();
                d = created | TABLE | tableBits;
                set(table, index, d);
            }
            table = d & 0x0000_ffff_ffff_f000L & -(1L << pageShift);
        }
    }
}
