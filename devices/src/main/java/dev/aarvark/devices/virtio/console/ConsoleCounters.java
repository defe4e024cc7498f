package dev.aarvark.devices.virtio.console;

/**
 * What a console device moved, for the benchmark breakdown. Monotonic for the device's lifetime.
 * Notifications and interrupts are counted by the transport.
 */
public final class ConsoleCounters {
    long bytesToHost;
    long bytesToGuest;
    long chainsToHost;
    long chainsToGuest;
    long controlMessagesFromDriver;
    long controlMessagesToDriver;
    long emergencyBytes;
    long emergencyBytesDropped;

    /** Guest output bytes the host streams took. */
    public long bytesToHost() {
        return bytesToHost;
    }

    /** Host input bytes written into the guest's receive buffers. */
    public long bytesToGuest() {
        return bytesToGuest;
    }

    /** Transmit chains completed. */
    public long chainsToHost() {
        return chainsToHost;
    }

    /** Receive chains completed. */
    public long chainsToGuest() {
        return chainsToGuest;
    }

    public long controlMessagesFromDriver() {
        return controlMessagesFromDriver;
    }

    public long controlMessagesToDriver() {
        return controlMessagesToDriver;
    }

    /** Bytes written through emerg_wr. */
    public long emergencyBytes() {
        return emergencyBytes;
    }

    /** Emergency bytes dropped: emerg_wr has no flow control, and the hold buffer was full. */
    public long emergencyBytesDropped() {
        return emergencyBytesDropped;
    }
}
