package dev.aarvark.devices.io;

import java.util.concurrent.Executor;

/**
 * Where a device's output bytes go on the host side (the console: terminal, console log and
 * {@code --expect} watcher), with backpressure instead of blocking.
 *
 * <p>{@link #offer} is called on the vCPU thread and never blocks: it takes what the sink has room
 * for now and returns the count. A device that was refused some bytes keeps them (a PL011 keeps
 * them in its transmit FIFO and shows TXFF; a virtio port holds the chain) and asks
 * {@link #whenRoom} to be told when to try again. The array belongs to the caller and is reused: an
 * implementation that keeps the bytes copies them before returning.
 */
@FunctionalInterface
public interface ByteSink {
    /** Takes as many of the {@code len} bytes from {@code off} as fit now; returns how many (0..len). */
    int offer(byte[] b, int off, int len);

    /** How many bytes {@link #offer} would take now. */
    default int room() {
        return Integer.MAX_VALUE;
    }

    /**
     * Runs {@code r} once when there is room again, on a thread of the sink's choosing (at once,
     * on the caller's thread, for a sink that always has room). A sink that can refuse bytes must
     * not call {@code r} from inside this call (a device would offer again at once and recurse).
     * {@code r} must not block; see {@link #postingRoomTo} for a device that must run on the vCPU
     * thread.
     */
    default void whenRoom(Runnable r) {
        r.run();
    }

    /** The output has paused (called by the run loop between slices); nothing by default. */
    default void flush() {
    }

    /** This sink, with its {@link #whenRoom} callbacks handed to {@code thread} (the vCPU thread's run loop). */
    default ByteSink postingRoomTo(Executor thread) {
        ByteSink self = this;
        return new ByteSink() {
            @Override
            public int offer(byte[] b, int off, int len) {
                return self.offer(b, off, len);
            }

            @Override
            public int room() {
                return self.room();
            }

            @Override
            public void whenRoom(Runnable r) {
                self.whenRoom(() -> thread.execute(r));
            }

            @Override
            public void flush() {
                self.flush();
            }
        };
    }

    /** A sink that discards everything, always with room. */
    ByteSink DISCARD = (b, off, len) -> len;
}
