package dev.aarvark.devices;

/**
 * One kind of guest mistake: what the guest did wrong, independent of which device saw it and of
 * the specifics of one occurrence. A {@link GuestErrorLog} groups its reports by (device, kind)
 * for counting and rate limiting.
 *
 * <p>Invariant: one meaning is one kind. The same mistake seen by different devices (a write to
 * a read-only register on the PL011, the GIC or the virtio-mmio transport) is reported as the
 * same constant; the device name and the detail tell the occurrences apart. The families are
 * closed ({@code sealed}), so a consumer (the event log) can switch over them exhaustively.
 */
public sealed interface GuestError permits RegisterError, QueueError, ProtocolError, InterruptError,
        SemihostingError, BusError, IommuError {
    /** The stable short description, e.g. "write to read-only register"; part of every log line. */
    String text();
}
