package dev.aarvark.emulator.boot;

/**
 * One entry of a DTB's memory reservation block (Devicetree Specification v0.4 §5.3): a physical
 * range the client program must not use for general allocation. Both fields are unsigned 64-bit
 * values; the all-zero pair is the block's terminator and so cannot be an entry.
 */
public record MemoryReservation(long address, long size) {
    public MemoryReservation {
        if (address == 0 && size == 0) {
            throw new IllegalArgumentException("a memory reservation of address 0 and size 0 is the block terminator");
        }
    }
}
