package dev.aarvark.devices.gic;

/**
 * The programmable state of one CPU interface that both register models share (IHI 0048B §4.4,
 * IHI 0069 §12.2): priority mask, binary points, EOI mode, group enables, the v2-only AckCtl and
 * FIQEn controls, and the {@link ActivePriorities}. The register front ends translate their own
 * layouts into these fields; {@link GicCore} applies the signalling rules.
 *
 * <p>Priority grouping (IHI 0048B §3.3, IHI 0069 §4.8, the GroupBits() pseudocode): BPR0 (GICC_BPR,
 * ICC_BPR0_EL1) splits Group 0 priorities into group priority bits [7:BPR0+1]; BPR1 (GICC_ABPR,
 * ICC_BPR1_EL1) splits Group 1 priorities into [7:BPR1] — unless CBPR is set, when BPR0 applies to
 * both groups. The minimum BPR0 is {@code 7 - preemptionBits} and the minimum BPR1 one more;
 * writing less stores the minimum.
 *
 * <p>Invariants: PMR holds only implemented priority bits; BPRs are within [minimum, 7].
 */
final class CpuInterfaceState {
    private final long mpidr;
    private final int priorityMask;
    private final int minBpr0;
    private final ActivePriorities activePriorities;

    private int pmr;
    private int bpr0;
    private int bpr1;
    private boolean cbpr;
    private boolean eoiModeSplit;
    private boolean group0Enabled;
    private boolean group1Enabled;
    private boolean group0SignalsFiq;
    private boolean ackCtl;

    private boolean irqOut;
    private boolean fiqOut;

    CpuInterfaceState(long mpidr, int priorityBits, int preemptionBits) {
        this.mpidr = mpidr;
        this.priorityMask = (0xFF << (8 - priorityBits)) & 0xFF;
        this.minBpr0 = 7 - preemptionBits;
        this.activePriorities = new ActivePriorities(preemptionBits);
        this.bpr0 = minBpr0;
        this.bpr1 = minBpr0 + 1;
    }

    long mpidr() {
        return mpidr;
    }

    ActivePriorities activePriorities() {
        return activePriorities;
    }

    /** The implemented bits of a priority value (GICC_PMR, ICC_PMR_EL1). */
    int priorityMask() {
        return priorityMask;
    }

    int pmr() {
        return pmr;
    }

    void setPmr(int value) {
        pmr = value & priorityMask;
    }

    int minBpr0() {
        return minBpr0;
    }

    int minBpr1() {
        return minBpr0 + 1;
    }

    int bpr0() {
        return bpr0;
    }

    void setBpr0(int value) {
        bpr0 = Math.max(value & 7, minBpr0);
    }

    int bpr1() {
        return bpr1;
    }

    void setBpr1(int value) {
        bpr1 = Math.max(value & 7, minBpr1());
    }

    boolean cbpr() {
        return cbpr;
    }

    void setCbpr(boolean cbpr) {
        this.cbpr = cbpr;
    }

    /** EOImode: true if EOI only drops priority and deactivation is a separate DIR write. */
    boolean eoiModeSplit() {
        return eoiModeSplit;
    }

    void setEoiModeSplit(boolean split) {
        this.eoiModeSplit = split;
    }

    boolean groupEnabled(InterruptGroup group) {
        return group == InterruptGroup.GROUP0 ? group0Enabled : group1Enabled;
    }

    void setGroupEnabled(InterruptGroup group, boolean enabled) {
        if (group == InterruptGroup.GROUP0) {
            group0Enabled = enabled;
        } else {
            group1Enabled = enabled;
        }
    }

    /** GICv2 GICC_CTLR.FIQEn; always true for GICv3 (IHI 0069 §4.6.2: Group 0 is FIQ). */
    boolean group0SignalsFiq() {
        return group0SignalsFiq;
    }

    void setGroup0SignalsFiq(boolean fiq) {
        this.group0SignalsFiq = fiq;
    }

    /** GICv2 GICC_CTLR.AckCtl: GICC_IAR may acknowledge Group 1 interrupts. */
    boolean ackCtl() {
        return ackCtl;
    }

    void setAckCtl(boolean ackCtl) {
        this.ackCtl = ackCtl;
    }

    /** The mask of the group priority bits of a {@code group} interrupt's priority. */
    int groupPriorityMask(InterruptGroup group) {
        if (group == InterruptGroup.GROUP0 || cbpr) {
            return (0xFF << (bpr0 + 1)) & 0xFF;
        }
        return (0xFF << bpr1) & 0xFF;
    }

    /**
     * True if a pending interrupt of {@code priority} and {@code group} may be signalled and
     * acknowledged now: it is above the priority mask, and its group priority is higher than the
     * running priority (only group priorities preempt; IHI 0048B §3.3, IHI 0069 §4.8).
     */
    boolean canSignal(int priority, InterruptGroup group) {
        if (priority >= pmr) {
            return false;
        }
        int running = activePriorities.runningPriority();
        if (running == ActivePriorities.IDLE) {
            return true;
        }
        int mask = groupPriorityMask(group);
        return (priority & mask) < (running & mask);
    }

    boolean irqOut() {
        return irqOut;
    }

    void setIrqOut(boolean level) {
        irqOut = level;
    }

    boolean fiqOut() {
        return fiqOut;
    }

    void setFiqOut(boolean level) {
        fiqOut = level;
    }
}
