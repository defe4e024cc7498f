package dev.aarvark.devices.virtio.net;

import java.util.ArrayDeque;

/**
 * Frames from the peer waiting for the guest's receive buffers (virtio 1.2 §5.1.6.4: the device
 * fills buffers as the driver makes them available), in arrival order. Bounded in frames and bytes
 * ({@link NetLimits#hostReceiveFrames()}, {@link NetLimits#hostReceiveBytes()}): a frame that does
 * not fit is refused, never queued. The high-water mark is reached when the next largest frame might
 * not fit (so the backend can be stopped before anything is refused); the low-water mark is half
 * of both bounds.
 */
final class HostRxQueue {
    private final ArrayDeque<byte[]> frames = new ArrayDeque<>();
    private final int maxFrames;
    private final long maxBytes;
    private long bytes;

    HostRxQueue(int maxFrames, long maxBytes) {
        this.maxFrames = maxFrames;
        this.maxBytes = maxBytes;
    }

    /** Appends {@code frame}; false (nothing queued) if it does not fit the bounds. */
    boolean offer(byte[] frame) {
        if (frames.size() >= maxFrames || bytes + frame.length > maxBytes) {
            return false;
        }
        frames.addLast(frame);
        bytes += frame.length;
        return true;
    }

    /** The oldest frame, still queued, or {@code null}. */
    byte[] peek() {
        return frames.peekFirst();
    }

    /** Removes the oldest frame. */
    void remove() {
        byte[] f = frames.pollFirst();
        if (f != null) {
            bytes -= f.length;
        }
    }

    boolean isEmpty() {
        return frames.isEmpty();
    }

    int size() {
        return frames.size();
    }

    long bytes() {
        return bytes;
    }

    /** The backend should stop: the queue is full in frames, or the largest frame might not fit. */
    boolean atHighWater() {
        return frames.size() >= maxFrames || bytes + NetLimits.LARGEST_BACKEND_FRAME > maxBytes;
    }

    /** The backend may resume: at most half of both bounds is used. */
    boolean atLowWater() {
        return frames.size() <= maxFrames / 2 && bytes <= maxBytes / 2;
    }

    /** Drops every frame; returns how many there were. */
    int clear() {
        int n = frames.size();
        frames.clear();
        bytes = 0;
        return n;
    }
}
