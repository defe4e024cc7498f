package dev.aarvark.devices.virtio.mmio;

/**
 * What one virtio-mmio transport did, for the benchmark breakdown: queue notifications from the
 * driver, used buffer notifications sent and suppressed (§2.7.7), configuration change
 * notifications and device resets (the board counts MMIO accesses). Monotonic for the transport's lifetime (not cleared by reset).
 */
public final class TransportCounters {
    long queueNotifies;
    long notifiesBeforeDriverOk;
    long usedBufferInterrupts;
    long suppressedUsedNotifications;
    long configChangeInterrupts;
    long deviceResets;

    /** QueueNotify writes that named an existing queue. */
    public long queueNotifies() {
        return queueNotifies;
    }

    /** Notifications written before DRIVER_OK (kept pending, §3.1.1). */
    public long notifiesBeforeDriverOk() {
        return notifiesBeforeDriverOk;
    }

    /** Used buffer notifications that set InterruptStatus bit 0. */
    public long usedBufferInterrupts() {
        return usedBufferInterrupts;
    }

    /** Completions for which the driver's used_event or NO_INTERRUPT flag suppressed the notification. */
    public long suppressedUsedNotifications() {
        return suppressedUsedNotifications;
    }

    /** Configuration change notifications (InterruptStatus bit 1), e.g. for DEVICE_NEEDS_RESET. */
    public long configChangeInterrupts() {
        return configChangeInterrupts;
    }

    /** Status writes of 0. */
    public long deviceResets() {
        return deviceResets;
    }
}
