package dev.aarvark.devices.virtio.console;

/** A fixed-capacity FIFO of bytes (a ring buffer); never grows. */
final class BoundedByteQueue {
    private final byte[] ring;
    private int head;
    private int count;

    BoundedByteQueue(int capacity) {
        ring = new byte[capacity];
    }

    /** Appends {@code b}; false (and nothing changes) if the queue is full. */
    boolean offer(byte b) {
        if (count == ring.length) {
            return false;
        }
        ring[(head + count) % ring.length] = b;
        count++;
        return true;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Copies up to {@code dst.length} of the oldest bytes into {@code dst} without removing them. */
    int peek(byte[] dst) {
        int n = Math.min(dst.length, count);
        for (int i = 0; i < n; i++) {
            dst[i] = ring[(head + i) % ring.length];
        }
        return n;
    }

    /** Removes the {@code n} oldest bytes. */
    void drop(int n) {
        int k = Math.min(n, count);
        head = (head + k) % ring.length;
        count -= k;
    }
}
