package dev.aarvark.devices.virtio.net;

import java.util.StringJoiner;

/**
 * What a virtio-net device moved and dropped (virtio 1.2 §5.1.6), for the run summary. Monotonic
 * for the device's lifetime (a device reset does not clear them); frame bytes are Ethernet bytes,
 * without the virtio-net header. Notifications and interrupts are counted by the transport.
 * Written on the vCPU thread; read it there or after the run.
 */
public final class NetCounters {
    long receivedFrames;
    long receivedBytes;
    long transmittedFrames;
    long transmittedBytes;
    long receivePauses;
    long transmitBackendFull;
    long controlCommands;
    long controlErrors;
    private final long[] dropped = new long[NetDrop.values().length];

    void drop(NetDrop reason) {
        dropped[reason.ordinal()]++;
    }

    void drop(NetDrop reason, int frames) {
        dropped[reason.ordinal()] += frames;
    }

    /** Frames from the peer written into the guest's receive buffers. */
    public long receivedFrames() {
        return receivedFrames;
    }

    public long receivedBytes() {
        return receivedBytes;
    }

    /** Frames from the guest the backend took (SENT). */
    public long transmittedFrames() {
        return transmittedFrames;
    }

    public long transmittedBytes() {
        return transmittedBytes;
    }

    /** How often the host receive queue filled and the backend was told to stop reading. */
    public long receivePauses() {
        return receivePauses;
    }

    /** How often the backend refused a frame as FULL (the chain was held until writable). */
    public long transmitBackendFull() {
        return transmitBackendFull;
    }

    /** Control commands handled, and those answered VIRTIO_NET_ERR. */
    public long controlCommands() {
        return controlCommands;
    }

    public long controlErrors() {
        return controlErrors;
    }

    /** Frames dropped for {@code reason}. */
    public long dropped(NetDrop reason) {
        return dropped[reason.ordinal()];
    }

    /** Frames dropped for any reason. */
    public long droppedTotal() {
        long sum = 0;
        for (long d : dropped) {
            sum += d;
        }
        return sum;
    }

    /** One line, e.g. "rx 12 frames 3456 B, tx 10 frames 2048 B, dropped 1 (peer frame refused by the receive filter 1)". */
    public String summary() {
        StringJoiner drops = new StringJoiner(", ", " (", ")").setEmptyValue("");
        for (NetDrop r : NetDrop.values()) {
            if (dropped(r) > 0) {
                drops.add(r.text() + " " + dropped(r));
            }
        }
        return String.format("rx %d frames %d B, tx %d frames %d B, dropped %d%s, rx pauses %d, tx backend full %d, "
                        + "control %d (%d errors)", receivedFrames, receivedBytes, transmittedFrames, transmittedBytes,
                droppedTotal(), drops, receivePauses, transmitBackendFull, controlCommands, controlErrors);
    }

    @Override
    public String toString() {
        return summary();
    }
}
