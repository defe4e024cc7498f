package dev.aarvark.devices.io;

/**
 * The host side of a byte stream a device carries to and from the guest (a virtio-console port; a
 * file, a socket, the terminal). Data is never dropped: both directions have backpressure.
 *
 * <p>Threading: every method is called on the vCPU thread, and every {@link Listener} callback is
 * made on the vCPU thread (implementations hand host I/O to their own threads and post results
 * through the run loop). Methods never block.
 *
 * <ul>
 *   <li>Guest to host: the device calls {@link #write}; it takes what it can buffer (a bounded
 *   amount) and returns the count. If it took less than offered, the device keeps the rest in the
 *   guest's buffers and waits for {@link Listener#writable()}.</li>
 *   <li>Host to guest: the stream calls {@link Listener#received} with host bytes; the device takes
 *   what fits in the buffers the guest posted and returns the count. The stream keeps the rest,
 *   stops reading from the host, and offers it again after {@link #inputSpace()}.</li>
 * </ul>
 */
public interface HostStream extends AutoCloseable {
    /** What the stream tells the device. */
    interface Listener {
        /** Host bytes for the guest; returns how many were taken (0..len). */
        int received(byte[] data, int off, int len);

        /** The host side can take more after a short {@link #write}. */
        void writable();

        /** A host peer connected ({@code true}) or went away. Files and the terminal are always connected. */
        void hostConnected(boolean connected);
    }

    /** Connects the device; called once, before any other method. */
    void start(Listener listener);

    /** Guest bytes for the host; returns how many were taken (copied) now. */
    int write(byte[] data, int off, int len);

    /** The device has room for host input again (after {@link Listener#received} took less than offered). */
    void inputSpace();

    /** True while a host peer is connected. */
    boolean hostConnected();

    /**
     * Waits (on the calling thread, at most {@code max}) until a {@link #write} would take at least one
     * byte; true if it would. For a device that must hand over what it holds before it loses its
     * queues (a reset); a stream that cannot wait returns false at once.
     */
    default boolean awaitRoom(java.time.Duration max) {
        return false;
    }

    /** A short description, e.g. "unix:/tmp/port.sock". */
    String describe();

    /** Stops host I/O; pending output is flushed where possible. */
    @Override
    void close();
}
