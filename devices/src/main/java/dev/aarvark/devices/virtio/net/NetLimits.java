package dev.aarvark.devices.virtio.net;

import dev.aarvark.devices.io.net.FrameBackend;

/**
 * The bounds that keep a hostile or merely busy guest or peer from stalling the vCPU thread or
 * growing host memory (virtio 1.2 §2.7.13 and §5.1.6 leave how much a device does per available
 * buffer notification to the device; the device contract of
 * {@link dev.aarvark.devices.virtio.VirtioDevice} requires a bound). Every value is at least 1 and
 * the host receive queue holds at least one largest frame, so the device always makes progress.
 * Each per-call bound limits one call into the device (a notification, a backend callback, or a
 * deferred-work call); work beyond it is deferred work ({@code hasDeferredWork}).
 *
 * @param transmitChainsPerCall transmit chains taken per call (empty and malformed ones count)
 * @param transmitBytesPerCall  frame bytes sent per call; a call stops after the frame that reaches it
 * @param receiveChainsPerCall  receive chains filled per call before a new frame is started; a
 *                              frame already started is finished (it may span up to a queue of
 *                              merged buffers, which must be published together)
 * @param controlChainsPerCall  control commands handled per call
 * @param hostReceiveFrames     frames from the peer held while the guest has no buffers for them
 * @param hostReceiveBytes      bytes those frames may take together; at least one largest frame
 */
public record NetLimits(int transmitChainsPerCall, int transmitBytesPerCall, int receiveChainsPerCall,
        int controlChainsPerCall, int hostReceiveFrames, int hostReceiveBytes) {
    /** The most bytes one frame from a backend may have: a vnet header and the largest frame. */
    static final int LARGEST_BACKEND_FRAME = NetHeader.BYTES + FrameBackend.MAX_FRAME;

    /**
     * Half a queue of chains per call (128 transmit and receive, 16 control), 256 KiB of
     * transmitted frames per call, and 256 frames / 1 MiB held for the guest (about 680 full-size
     * 1,514-byte frames would fit in the bytes; the frame bound is hit first at MTU 1500, the byte
     * bound with jumbo or segmentation-offload frames, at about 16 of 64 KiB).
     */
    public static final NetLimits DEFAULT = new NetLimits(128, 256 * 1024, 128, 16, 256, 1 << 20);

    public NetLimits {
        if (transmitChainsPerCall < 1 || transmitBytesPerCall < 1 || receiveChainsPerCall < 1
                || controlChainsPerCall < 1 || hostReceiveFrames < 1) {
            throw new IllegalArgumentException("every limit must be at least 1: " + this);
        }
        if (hostReceiveBytes < LARGEST_BACKEND_FRAME) {
            throw new IllegalArgumentException("hostReceiveBytes " + hostReceiveBytes + " must hold the largest frame, "
                    + LARGEST_BACKEND_FRAME + " bytes");
        }
    }
}
