package dev.aarvark.devices.uart;

import dev.aarvark.devices.io.ByteSink;

/**
 * A fixed-capacity first-in first-out ring of UART characters: the PL011's transmit FIFO (8-bit
 * entries) or receive FIFO (12-bit entries: data plus the four status bits of TRM 3.3.1).
 *
 * <p>Invariant: {@code 0 <= count() <= capacity()}; entries come out in the order they went in. The
 * ring knows nothing about the FIFO-enable bit: the UART decides how many entries it lets in
 * (1 with LCR_H.FEN clear, the full depth with it set).
 */
final class UartFifo {
    private final int[] entries;
    private final byte[] drainBuffer;
    private int head;
    private int count;

    UartFifo(int capacity) {
        this.entries = new int[capacity];
        this.drainBuffer = new byte[capacity];
    }

    int capacity() {
        return entries.length;
    }

    int count() {
        return count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Appends one entry; the caller has checked that {@code count() < capacity()}. */
    void push(int entry) {
        if (count == entries.length) {
            throw new IllegalStateException("UART FIFO overflow: the caller must check the depth");
        }
        entries[(head + count) % entries.length] = entry;
        count++;
    }

    /** Removes and returns the oldest entry; the caller has checked that the FIFO is not empty. */
    int pop() {
        if (count == 0) {
            throw new IllegalStateException("UART FIFO underflow: the caller must check for empty");
        }
        int entry = entries[head];
        head = (head + 1) % entries.length;
        count--;
        return entry;
    }

    /**
     * Offers the entries' low bytes to {@code sink}, oldest first, in one call, and removes the ones
     * it took; the rest stay, in order. Returns how many it took.
     */
    int drainTo(ByteSink sink) {
        for (int i = 0; i < count; i++) {
            drainBuffer[i] = (byte) entries[(head + i) % entries.length];
        }
        int taken = Math.max(0, Math.min(count, sink.offer(drainBuffer, 0, count)));
        head = (head + taken) % entries.length;
        count -= taken;
        return taken;
    }
}
