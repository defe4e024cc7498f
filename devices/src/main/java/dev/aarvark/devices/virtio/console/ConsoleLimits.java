package dev.aarvark.devices.virtio.console;

/**
 * The per-call bounds that keep a hostile or merely busy guest from stalling the vCPU thread or
 * growing host memory (the ktstr-style caps of the architecture's targets). Each bounds one call
 * into the device (a notification, a host callback, or a deferred-work call); work beyond it waits
 * for the next call, and the device reports it through {@code hasDeferredWork}.
 *
 * @param transmitBytesPerCall  guest-to-host bytes moved per call per port
 * @param transmitChainsPerCall transmit chains taken per call per port (counts empty chains too)
 * @param receiveChainsPerCall  receive chains filled per call per port (zero-length chains count)
 * @param controlChainsPerCall  control chains handled per call, each direction
 * @param copyChunkBytes        the copy buffer per port: no guest length ever sizes an allocation
 * @param emergencyBytes        emergency-write bytes held while the console's host side is full
 */
public record ConsoleLimits(int transmitBytesPerCall, int transmitChainsPerCall, int receiveChainsPerCall,
        int controlChainsPerCall, int copyChunkBytes, int emergencyBytes) {
    /** 64 KiB and one queue's worth of chains per call, 4 KiB copies, 256 emergency bytes. */
    public static final ConsoleLimits DEFAULT = new ConsoleLimits(64 * 1024, 128, 128, 32, 4096, 256);

    public ConsoleLimits {
        if (transmitBytesPerCall < 1 || transmitChainsPerCall < 1 || receiveChainsPerCall < 1
                || controlChainsPerCall < 1 || copyChunkBytes < 1 || emergencyBytes < 1) {
            throw new IllegalArgumentException("every limit must be at least 1: " + this);
        }
    }
}
