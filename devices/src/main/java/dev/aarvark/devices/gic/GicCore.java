package dev.aarvark.devices.gic;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.IrqLine;

import java.util.List;

/**
 * The interrupt logic of a GIC, shared by its GICv2 and GICv3 register front ends: every
 * interrupt's state machine ({@link InterruptState}, IHI 0069 §4.1), the distributor's group
 * enables and SPI routing, each CPU interface's priority mask, binary points and active
 * priorities, the choice of each CPU's highest priority pending interrupt, and the IRQ/FIQ
 * outputs to the CPUs.
 *
 * <h2>What the machine uses</h2>
 * <ul>
 *   <li>{@link #GicCore(GicConfig, List)} with one {@link CpuInterruptSignals} per CPU; the core
 *   calls them only when an output changes.</li>
 *   <li>{@link #lineFor(int)} / {@link #lineFor(int, int)}: the input wire of an SPI or PPI, for a
 *   device model.</li>
 *   <li>{@link #irqPending(int)}, {@link #fiqPending(int)}, {@link #wakeupPending(int)}: the
 *   current output levels, e.g. to decide whether a WFI should return.</li>
 * </ul>
 * The register blocks ({@link GicV2Distributor}, {@link GicV2CpuInterface}, {@link GicV3Distributor},
 * {@link GicV3Redistributor}, {@link GicV3CpuInterface}) are built on a core and reach its state
 * through the package-private methods.
 *
 * <h2>Highest priority pending interrupt and signalling</h2>
 * For each CPU the candidate interrupts are those that are enabled, pending and not active
 * (an active and pending interrupt is not signalled again until it is deactivated, IHI 0048B
 * §3.2.4), whose group is enabled both in the distributor (GICD_CTLR.EnableGrp0/1) and in that
 * CPU interface (GICC_CTLR.EnableGrp0/1, ICC_IGRPEN0/1_EL1), and — for SPIs — that are routed to
 * the CPU. The one with the numerically lowest priority wins; ties go to the lowest INTID (an
 * IMPLEMENTATION DEFINED choice; QEMU's). It is signalled (and can be acknowledged) when its
 * priority is below the priority mask and its group priority below the running priority
 * ({@link CpuInterfaceState#canSignal}). Group 0 is signalled as FIQ when the CPU interface says so
 * (GICv2 GICC_CTLR.FIQEn; always on GICv3, IHI 0069 §4.6.2), everything else as IRQ.
 *
 * <h2>Security</h2>
 * One Security state, as the non-secure guest of QEMU's {@code virt} without {@code secure=on}
 * sees it: a GICv2 without the Security Extensions, a GICv3 with GICD_CTLR.DS = 1.
 *
 * <h2>Invariants</h2>
 * Every method runs on the vCPU thread; no locks. After any public or package-private method that
 * changes state returns, each CPU's outputs match its highest priority pending interrupt (front
 * ends that change {@link InterruptState} or {@link CpuInterfaceState} directly call
 * {@link #update()} before they return).
 */
public final class GicCore {
    private final GicConfig config;
    private final GuestErrorLog errors;
    private final InterruptBank bank;
    private final SpiRouting routing;
    private final SgiSources sgiSources;
    private final CpuInterfaceState[] cpus;
    private final CpuInterruptSignals[] outputs;
    private boolean distributorGroup0;
    private boolean distributorGroup1;

    /**
     * A GIC in its reset state.
     *
     * @param config  what to implement
     * @param outputs the IRQ/FIQ outputs, one per CPU in CPU-index order
     * @param errors  the machine's guest error log, which every front end of this GIC reports to
     */
    public GicCore(GicConfig config, List<? extends CpuInterruptSignals> outputs, GuestErrorLog errors) {
        if (outputs.size() != config.cpuCount()) {
            throw new GicConfigException("outputs: need one CpuInterruptSignals per CPU (" + config.cpuCount() + "), got "
                    + outputs.size());
        }
        this.config = config;
        this.errors = java.util.Objects.requireNonNull(errors, "errors");
        boolean v2 = config.architecture() == GicArchitecture.V2;
        this.bank = new InterruptBank(config.cpuCount(), config.spiCount(), v2);
        this.routing = v2 ? new CpuTargetList(config.cpuCount(), config.spiCount())
                : new AffinityRouting(config.mpidrs(), config.spiCount());
        this.sgiSources = v2 ? new SgiSources(config.cpuCount()) : null;
        this.cpus = new CpuInterfaceState[config.cpuCount()];
        this.outputs = new CpuInterruptSignals[config.cpuCount()];
        for (int i = 0; i < cpus.length; i++) {
            cpus[i] = new CpuInterfaceState(config.mpidrs().get(i), config.priorityBits(), config.preemptionBits());
            cpus[i].setGroup0SignalsFiq(!v2);
            this.outputs[i] = outputs.get(i);
        }
    }

    /** The guest error log the front ends of this GIC report to (the machine's). */
    public GuestErrorLog guestErrors() {
        return errors;
    }

    public GicConfig config() {
        return config;
    }

    /**
     * The input wire of SPI {@code intid}, or of PPI {@code intid} of CPU 0. Level-sensitive
     * interrupts are pending while the line is high; edge-triggered ones latch pending on a
     * rising edge (per the interrupt's GICD_ICFGR / GICR_ICFGR configuration).
     *
     * @throws InvalidInterruptIdException for SGIs and INTIDs that are not implemented
     */
    public IrqLine lineFor(int intid) {
        return lineFor(0, intid);
    }

    /**
     * The input wire of PPI {@code intid} of CPU {@code cpu} (for an SPI the CPU is ignored).
     *
     * @throws InvalidInterruptIdException for SGIs, INTIDs that are not implemented, or a CPU
     *                                     that does not exist
     */
    public IrqLine lineFor(int cpu, int intid) {
        if (cpu < 0 || cpu >= cpus.length) {
            throw new InvalidInterruptIdException("CPU " + cpu + " does not exist (the GIC has " + cpus.length + ")");
        }
        if (IntIds.isSgi(intid) || !bank.implemented(intid)) {
            throw new InvalidInterruptIdException("INTID " + intid + " is not an interrupt input: inputs are PPIs 16-31 and SPIs 32-"
                    + (bank.limit() - 1));
        }
        InterruptState state = bank.get(cpu, intid);
        return level -> {
            if (state.driveLine(level)) {
                update();
            }
        };
    }

    /** CPU 0's IRQ output. */
    public boolean irqPending() {
        return irqPending(0);
    }

    /** CPU 0's FIQ output. */
    public boolean fiqPending() {
        return fiqPending(0);
    }

    /** Whether CPU 0 has a reason to leave WFI; see {@link #wakeupPending(int)}. */
    public boolean wakeupPending() {
        return wakeupPending(0);
    }

    /** The level of CPU {@code cpu}'s IRQ output. */
    public boolean irqPending(int cpu) {
        return cpus[cpu].irqOut();
    }

    /** The level of CPU {@code cpu}'s FIQ output. */
    public boolean fiqPending(int cpu) {
        return cpus[cpu].fiqOut();
    }

    /**
     * True if CPU {@code cpu}'s IRQ or FIQ output is asserted: a WFI wake-up event whatever the
     * CPU's own PSTATE.I/F masks say (Arm ARM, "Wait For Interrupt": WFI wake-up events), which the GIC never
     * sees. Interrupts held back by the GIC itself (disabled, below the priority mask or the
     * running priority) do not wake the CPU, as on hardware.
     */
    public boolean wakeupPending(int cpu) {
        CpuInterfaceState c = cpus[cpu];
        return c.irqOut() || c.fiqOut();
    }

    /** The state of {@code intid} as CPU {@code cpu} sees it (for diagnostics and tests). */
    public InterruptStatus status(int cpu, int intid) {
        if (!bank.implemented(intid)) {
            throw new InvalidInterruptIdException("INTID " + intid + " is not implemented");
        }
        return bank.get(cpu, intid).status();
    }

    // ---- for the register front ends ----

    int cpuCount() {
        return cpus.length;
    }

    InterruptBank bank() {
        return bank;
    }

    CpuInterfaceState cpuInterface(int cpu) {
        return cpus[cpu];
    }

    /** GICv2 target lists; only on a GICv2. */
    CpuTargetList targetList() {
        if (routing instanceof CpuTargetList t) {
            return t;
        }
        throw new IllegalStateException("a " + config.architecture() + " GIC has no GICD_ITARGETSR target lists");
    }

    /** GICv3 affinity routes; only on a GICv3. */
    AffinityRouting affinityRouting() {
        if (routing instanceof AffinityRouting r) {
            return r;
        }
        throw new IllegalStateException("a " + config.architecture() + " GIC has no GICD_IROUTER routes");
    }

    /** GICv2 SGI sources; only on a GICv2. */
    SgiSources sgiSources() {
        if (sgiSources == null) {
            throw new IllegalStateException("a " + config.architecture() + " GIC does not track SGI sources");
        }
        return sgiSources;
    }

    boolean distributorGroupEnabled(InterruptGroup group) {
        return group == InterruptGroup.GROUP0 ? distributorGroup0 : distributorGroup1;
    }

    void setDistributorGroupEnabled(InterruptGroup group, boolean enabled) {
        if (group == InterruptGroup.GROUP0) {
            distributorGroup0 = enabled;
        } else {
            distributorGroup1 = enabled;
        }
    }

    /** CPU {@code cpu}'s highest priority pending interrupt (see the class comment), or null. */
    PendingInterrupt highestPending(int cpu) {
        CpuInterfaceState c = cpus[cpu];
        boolean g0 = distributorGroup0 && c.groupEnabled(InterruptGroup.GROUP0);
        boolean g1 = distributorGroup1 && c.groupEnabled(InterruptGroup.GROUP1);
        if (!g0 && !g1) {
            return null;
        }
        InterruptState best = null;
        int limit = bank.limit();
        for (int intid = 0; intid < limit; intid++) {
            InterruptState s = bank.get(cpu, intid);
            if (!s.forwardable()) {
                continue;
            }
            if (!(s.group() == InterruptGroup.GROUP0 ? g0 : g1)) {
                continue;
            }
            if (intid >= IntIds.FIRST_SPI && !routing.reaches(intid, cpu)) {
                continue;
            }
            if (best == null || s.priority() < best.priority()) {
                best = s;
            }
        }
        return best == null ? null : new PendingInterrupt(best.intid(), best.priority(), best.group());
    }

    /**
     * Acknowledges {@code hppi} on CPU {@code cpu} (the caller has checked it may be): its group
     * priority becomes active in the active-priority registers and the interrupt goes from pending
     * to active (or active and pending, see {@link InterruptState}).
     *
     * @return for a GICv2 SGI, the CPU interface that sent the consumed request; otherwise 0
     */
    int acknowledge(int cpu, PendingInterrupt hppi) {
        CpuInterfaceState c = cpus[cpu];
        InterruptState s = bank.get(cpu, hppi.intid());
        c.activePriorities().activate(hppi.group(), hppi.priority() & c.groupPriorityMask(hppi.group()));
        s.acknowledge();
        int source = 0;
        if (sgiSources != null && IntIds.isSgi(hppi.intid())) {
            source = sgiSources.takeLowest(cpu, hppi.intid());
            if (sgiSources.get(cpu, hppi.intid()) != 0) {
                // Requests from other CPUs remain: active and pending (IHI 0048B §4.3.15).
                s.setPending();
            }
        }
        update();
        return source;
    }

    /**
     * The priority drop of an end-of-interrupt: the highest active priority of {@code group} is
     * no longer active (IHI 0048B §3.2.1, IHI 0069 §4.1).
     *
     * @return false if nothing of that group was active
     */
    boolean dropPriority(int cpu, InterruptGroup group) {
        boolean dropped = cpus[cpu].activePriorities().dropHighest(group);
        update();
        return dropped;
    }

    /** Deactivates {@code intid} (active becomes inactive, active and pending becomes pending). */
    void deactivate(int cpu, int intid) {
        bank.get(cpu, intid).setActive(false);
        update();
    }

    /**
     * GICv2 GICD_SGIR / GICD_SPENDSGIR: SGI {@code sgi} becomes pending on every CPU in
     * {@code targetMask}, recorded as requested by CPU {@code source}.
     */
    void sendSgiFrom(int source, int targetMask, int sgi) {
        for (int target = 0; target < cpus.length; target++) {
            if ((targetMask & (1 << target)) != 0) {
                sgiSources().add(target, sgi, 1 << source);
                bank.get(target, sgi).setPending();
            }
        }
        update();
    }

    /**
     * GICv3 SGI delivery to one redistributor: SGI {@code sgi} becomes pending on CPU
     * {@code target} if it is configured in {@code group} there; an SGI generated for the other
     * group is ignored (IHI 0069 §12.2, ICC_SGI0R_EL1 / ICC_SGI1R_EL1, as QEMU's
     * gicv3_redist_send_sgi does with GICD_CTLR.DS = 1).
     */
    void pendSgi(int target, int sgi, InterruptGroup group) {
        InterruptState s = bank.get(target, sgi);
        if (s.group() == group) {
            s.setPending();
            update();
        }
    }

    /** Recomputes every CPU's outputs and tells the machine about those that changed. */
    void update() {
        for (int cpu = 0; cpu < cpus.length; cpu++) {
            CpuInterfaceState c = cpus[cpu];
            PendingInterrupt hppi = highestPending(cpu);
            boolean irq = false;
            boolean fiq = false;
            if (hppi != null && c.canSignal(hppi.priority(), hppi.group())) {
                if (hppi.group() == InterruptGroup.GROUP0 && c.group0SignalsFiq()) {
                    fiq = true;
                } else {
                    irq = true;
                }
            }
            if (irq != c.irqOut()) {
                c.setIrqOut(irq);
                outputs[cpu].irq(irq);
            }
            if (fiq != c.fiqOut()) {
                c.setFiqOut(fiq);
                outputs[cpu].fiq(fiq);
            }
        }
    }
}
