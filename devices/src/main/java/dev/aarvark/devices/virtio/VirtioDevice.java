package dev.aarvark.devices.virtio;

/**
 * A virtio device type (virtio 1.2 §5) as a transport drives it: its identity, the device-type
 * feature bits it offers, its virtqueues, its configuration space (§2.5), and what it does when the
 * driver makes it live (DRIVER_OK), notifies a queue, or resets it.
 *
 * <p>The transport owns everything device-independent: the status state machine (§2.1, §3.1), feature
 * negotiation (§2.2; the transport adds the ring features {@link VirtioFeature#INDIRECT_DESC} and
 * {@link VirtioFeature#EVENT_IDX}, which its split virtqueues implement, and
 * {@link VirtioFeature#VERSION_1} or the legacy bits), queue configuration and the interrupt. The
 * device sees the result only through the {@link DriverSession} passed to {@link #activate}.
 *
 * <p>Invariants an implementation keeps: every method runs on the vCPU thread; no method throws on
 * guest input (guest mistakes go to the machine's {@code GuestErrorLog}); {@link #queueNotified} and the deferred
 * work bound the work done per call, so a hostile guest cannot stall the vCPU thread; after
 * {@link #reset} the device holds no queue, chain or session from before.
 */
public interface VirtioDevice {
    /** The virtio device ID (§5), e.g. 3 for a console. */
    int deviceId();

    /** The device-type feature bits (0–23) the device offers. */
    long deviceFeatures();

    /** How many virtqueues the device has. */
    int queueCount();

    /** The largest size the device supports for {@code queue} (QueueNumMax); at least 1. */
    int queueMaxSize(int queue);

    /** The size of the device-specific configuration space in bytes. */
    int configSize();

    /**
     * Reads {@code size} (1, 2 or 4) bytes of the configuration space at {@code offset}, little-endian.
     * The transport has checked that the access is naturally aligned and inside {@link #configSize}.
     */
    int readConfig(int offset, int size);

    /** Writes the configuration space; the same guarantees as {@link #readConfig}. */
    void writeConfig(int offset, int size, int value);

    /**
     * The driver set DRIVER_OK: the negotiated features and the enabled queues are final until the
     * next {@link #reset}. Called once per driver session.
     */
    void activate(DriverSession session);

    /** The driver notified {@code queue} (an available buffer notification, §2.7.13); only after {@link #activate}. */
    void queueNotified(int queue);

    /** Device reset (§2.4): forget the session, every queue and every chain; keep host-side connections. */
    void reset();

    /**
     * True if the device stopped work at a per-call cap and has more it could do now without a new
     * notification (the run loop should call {@link #runDeferredWork} soon).
     */
    boolean hasDeferredWork();

    /** Continues work stopped at a per-call cap; bounded like {@link #queueNotified}. */
    void runDeferredWork();

    /**
     * Hands the host side everything the driver gave the device for it (transmit buffers it made
     * available), waiting for a slow host until {@code deadlineNanos} ({@link System#nanoTime}).
     * Called when the device is about to lose its queues: the driver resets it, or the machine ends
     * after the guest powered off. A device that writes its host side synchronously (QEMU's) never
     * has such output left; this is how a device with host backpressure keeps the same promise.
     * Returns false if output was left. Devices with no host output return true.
     */
    default boolean finishOutput(long deadlineNanos) {
        return true;
    }

}
