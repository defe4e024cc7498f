package dev.aarvark.devices.gic;

/**
 * One interrupt's state and configuration: the handling state machine of IHI 0069 §4.1 /
 * IHI 0048B §3.2.4 (inactive, pending, active, active and pending) plus its enable, priority,
 * group and edge/level configuration.
 *
 * <p>Pending is modelled as QEMU and both specifications describe it (IHI 0048B §4.3.7,
 * IHI 0069 §4.1.2): a <em>latch</em> set by a rising edge of an edge-triggered input, by a
 * software set-pending write or by an SGI, and cleared by a clear-pending write or by the
 * acknowledge that activates the interrupt; for a level-sensitive interrupt the input line is
 * pending in its own right while it is asserted. So:
 * <ul>
 *   <li>a level-sensitive interrupt whose line drops before it is acknowledged is no longer
 *   pending (unless software set it pending);</li>
 *   <li>a level-sensitive interrupt acknowledged while its line is still asserted becomes active
 *   and pending, and is pending again as soon as it is deactivated;</li>
 *   <li>an edge that arrives while the interrupt is active makes it active and pending.</li>
 * </ul>
 *
 * <p>Invariants: the priority holds 8 bits; the state only changes through these methods; an
 * interrupt is offered to a CPU interface ({@link #forwardable}) only when it is enabled, pending
 * and not active.
 */
final class InterruptState {
    private final int intid;
    private boolean enabled;
    private boolean latched;
    private boolean line;
    private boolean active;
    private boolean edgeTriggered;
    private InterruptGroup group = InterruptGroup.GROUP0;
    private int priority;

    /** The reset state: inactive, group 0, priority 0, level-sensitive unless {@code edgeTriggered}. */
    InterruptState(int intid, boolean edgeTriggered, boolean enabled) {
        this.intid = intid;
        this.edgeTriggered = edgeTriggered;
        this.enabled = enabled;
    }

    int intid() {
        return intid;
    }

    boolean enabled() {
        return enabled;
    }

    void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** Pending: the latch, or the asserted line of a level-sensitive interrupt. */
    boolean pending() {
        return latched || (!edgeTriggered && line);
    }

    boolean active() {
        return active;
    }

    void setActive(boolean active) {
        this.active = active;
    }

    boolean edgeTriggered() {
        return edgeTriggered;
    }

    void setEdgeTriggered(boolean edgeTriggered) {
        this.edgeTriggered = edgeTriggered;
    }

    InterruptGroup group() {
        return group;
    }

    void setGroup(InterruptGroup group) {
        this.group = group;
    }

    int priority() {
        return priority;
    }

    void setPriority(int priority) {
        this.priority = priority & 0xFF;
    }

    /** The level of the input line (always low for SGIs). */
    boolean lineLevel() {
        return line;
    }

    /**
     * Drives the input line. A rising edge latches an edge-triggered interrupt pending.
     *
     * @return true if the level changed
     */
    boolean driveLine(boolean level) {
        if (level == line) {
            return false;
        }
        line = level;
        if (level && edgeTriggered) {
            latched = true;
        }
        return true;
    }

    /** A set-pending write or an SGI: pending until acknowledged or cleared. */
    void setPending() {
        latched = true;
    }

    /**
     * A clear-pending write. A level-sensitive interrupt whose line is asserted stays pending
     * (IHI 0048B §4.3.8, IHI 0069 §12.9, GICD_ICPENDR).
     */
    void clearPending() {
        latched = false;
    }

    /** The acknowledge (IAR read): pending becomes active, or active and pending (see class comment). */
    void acknowledge() {
        active = true;
        latched = false;
    }

    /** Enabled, pending and not active: a candidate for the highest priority pending interrupt. */
    boolean forwardable() {
        return enabled && !active && pending();
    }

    InterruptStatus status() {
        return InterruptStatus.of(pending(), active);
    }
}
