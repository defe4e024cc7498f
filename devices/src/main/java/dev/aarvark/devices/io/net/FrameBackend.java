package dev.aarvark.devices.io.net;

import java.util.List;

/**
 * The host side of a network card: whole Ethernet frames (destination MAC first, no FCS, no
 * virtio-net header) to and from a peer (a TAP, a QEMU-framed stream or datagram socket, passt, or
 * nothing). The frame-level counterpart of {@link dev.aarvark.devices.io.HostStream}.
 *
 * <p>Threading: every method is called on the vCPU thread, and every {@link Listener} callback is
 * made on the vCPU thread (host I/O runs on the machine's one event loop,
 * {@link dev.aarvark.devices.io.HostIo}, and results are posted through its {@code vcpu()}
 * executor). No method blocks.
 *
 * <p>Backpressure both ways:
 * <ul>
 *   <li>Guest to peer: {@link #send} copies the frame and returns {@link SendResult#SENT}, or
 *       {@link SendResult#FULL} without taking it when the backend's bounded send buffer is full;
 *       the device then keeps the frame in the guest's buffer and offers it again after
 *       {@link Listener#writable()}. With no peer, frames are {@link SendResult#DROPPED_NO_PEER}
 *       (as a cable-less NIC drops them), and counted by the device.</li>
 *   <li>Peer to guest: the backend calls {@link Listener#receivedBatch} (or {@link Listener#received})
 *       with the frames it read. After
 *       {@link #setReceiving setReceiving(false)} it stops reading from the peer (frames stay in
 *       the socket or the kernel, where the peer's own flow control sees them); the frames already
 *       read that the device did not take wait, bounded, and come first after
 *       {@code setReceiving(true)}, which resumes.</li>
 * </ul>
 */
public interface FrameBackend extends AutoCloseable {
    /** The largest frame a backend carries: 65,535 bytes of IP plus a 14-byte Ethernet header. */
    int MAX_FRAME = 65_535 + 14;

    /** What {@link #send} did with a frame. */
    enum SendResult {
        /** Taken (copied) for the peer. */
        SENT,
        /** Not taken: the send buffer is full; offer it again after {@link Listener#writable()}. */
        FULL,
        /** Not taken and never will be: there is no peer (the link is down). */
        DROPPED_NO_PEER
    }

    /** What the backend tells the device. */
    interface Listener {
        /** One frame from the peer; the array is the listener's to keep. */
        void received(byte[] frame);

        /**
         * Frames from the peer, in order, that arrived together: the same as {@code received} for
         * each, but the device may write them to the guest in one pass (one used-buffer
         * notification for the lot). Returns how many it took, from the start of the list; the
         * arrays taken are the listener's to keep. A device that takes fewer has asked for
         * {@link FrameBackend#setReceiving setReceiving(false)}: the backend keeps the rest, in
         * order, and offers them first after {@code setReceiving(true)}.
         */
        default int receivedBatch(List<byte[]> frames) {
            for (byte[] f : frames) {
                received(f);
            }
            return frames.size();
        }

        /** The backend can take frames again after {@link #send} returned {@link SendResult#FULL}. */
        void writable();

        /** A peer came ({@code true}) or went: the NIC's link state. */
        void linkChanged(boolean up);
    }

    /** Connects the device; called once, before any other method. */
    void start(Listener listener);

    /** Offers {@code frame[off, off+len)} to the peer. */
    SendResult send(byte[] frame, int off, int len);

    /** Flow control of the peer-to-guest direction (see the class comment). */
    void setReceiving(boolean on);

    /** True while a peer is there. */
    boolean linkUp();

    /** Whether frames carry the 12-byte virtio-net header too (a TAP opened with IFF_VNET_HDR). */
    default boolean carriesVnetHeader() {
        return false;
    }

    /**
     * What the guest's driver now takes in received frames (set when a driver goes live, changes
     * them through the control queue, or resets the device). A backend that carries the vnet
     * header may then pass frames with partial checksums or not yet segmented; others ignore it.
     * Frames already read keep their form: the device drops those the driver cannot take.
     */
    default void setReceiveOffloads(ReceiveOffloads offloads) {
    }

    /** A short description, e.g. "stream:connect=unix:/tmp/a.sock". */
    String describe();

    /** What the backend has carried and dropped so far (a snapshot; callable from any thread). */
    FrameCounters counters();

    /** Stops host I/O and releases the socket or device; frames not yet sent are dropped. */
    @Override
    void close();
}
