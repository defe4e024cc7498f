package dev.aarvark.devices.gic;

/**
 * The four states of an interrupt in the GIC's handling state machine (IHI 0048B §1.4.1 and
 * §3.2.4; IHI 0069 §4.1): inactive, pending, active, and active and pending.
 */
public enum InterruptStatus {
    INACTIVE,
    PENDING,
    ACTIVE,
    ACTIVE_AND_PENDING;

    /** The state with the given pending and active flags. */
    public static InterruptStatus of(boolean pending, boolean active) {
        if (active) {
            return pending ? ACTIVE_AND_PENDING : ACTIVE;
        }
        return pending ? PENDING : INACTIVE;
    }
}
