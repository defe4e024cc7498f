package dev.aarvark.devices.gic;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.InterruptError;

import java.util.Objects;

/**
 * One CPU's GICv3 CPU interface as its System registers see it (IHI 0069 §12.2, ICC_*_EL1), for a
 * Non-secure EL1 guest of a GIC with GICD_CTLR.DS = 1. Each method is one register access; the
 * emulator binds them to the MRS/MSR encodings (its {@code GicV3Registers}), because libunicorn
 * does not implement these registers and every access reaches Java as an UNDEF trap
 * (docs/libunicorn.md, "System-register hooks").
 *
 * <h2>Values (QEMU 7.2 with a Cortex-A57/A72)</h2>
 * <ul>
 *   <li>ICC_SRE_EL1 = 0x7 (SRE, DFB, DIB), RAO/WI: the System register interface is always
 *   enabled and there is no IRQ/FIQ bypass.</li>
 *   <li>ICC_CTLR_EL1: CBPR (bit 0) and EOImode (bit 1) writable; PRIbits = priority bits - 1
 *   (4 on {@code virt}), IDbits = 1 (24-bit INTIDs) and A3V = 1 as QEMU reports; PMHE, SEIS,
 *   RSS, ExtRange 0. Reset value 0x8C00.</li>
 *   <li>ICC_PMR_EL1: only the implemented priority bits (0xF8 with 5 bits) are kept; Linux
 *   probes them by writing and reading back.</li>
 *   <li>ICC_BPR0_EL1 (minimum and reset 7 - preemption bits = 2) and ICC_BPR1_EL1 (minimum and
 *   reset 3); with CBPR set, ICC_BPR1_EL1 reads ICC_BPR0_EL1 + 1 (at most 7) and ignores writes
 *   (the Non-secure view).</li>
 *   <li>ICC_AP0R{n}_EL1 / ICC_AP1R{n}_EL1 for n below {@link #activePriorityRegisterCount()}
 *   (1 on {@code virt}; the others do not exist and UNDEF, as on QEMU).</li>
 * </ul>
 *
 * <h2>Behaviour</h2>
 * <ul>
 *   <li>ICC_IAR0_EL1 / ICC_IAR1_EL1 acknowledge the highest priority pending interrupt if it is
 *   in the register's group and may be signalled (above ICC_PMR_EL1, group priority above the
 *   running priority), else return 1023.</li>
 *   <li>ICC_EOIR0_EL1 / ICC_EOIR1_EL1 drop the running priority if the highest active priority
 *   belongs to the register's group, and with EOImode 0 also deactivate the written INTID;
 *   ICC_DIR_EL1 deactivates when EOImode is 1. Special INTIDs (1020-1023) are ignored.</li>
 *   <li>ICC_HPPIR0/1_EL1 report the highest priority pending interrupt of their group regardless
 *   of priority mask and running priority (as QEMU), else 1023. ICC_RPR_EL1 is 0xFF when idle.</li>
 *   <li>ICC_SGI1R_EL1 generates a Group 1 SGI, ICC_SGI0R_EL1 a Group 0 SGI, ICC_ASGI1R_EL1 (the
 *   other Security state's Group 1, which with DS = 1 is Group 0, as QEMU treats it) for the
 *   CPUs Aff3.Aff2.Aff1.{n : TargetList[n] = 1}, or with IRM = 1 for every CPU but this one.
 *   An SGI is set pending on a target only if it is configured in the generated group.
 *   The range selector RS is ignored (GICD_TYPER.RSS = 0).</li>
 * </ul>
 * Guest mistakes (an EOI with nothing active or of the wrong group, ICC_DIR_EL1 with EOImode 0)
 * are reported through the GIC's {@link GuestErrorLog} and ignored.
 */
public final class GicV3CpuInterface {
    /** ICC_SRE_EL1: SRE | DFB | DIB. */
    public static final long SRE = 0x7;

    private static final long CTLR_CBPR = 1;
    private static final long CTLR_EOIMODE = 1 << 1;
    private static final long CTLR_IDBITS_24 = 1L << 11;
    private static final long CTLR_A3V = 1L << 15;

    private final String name;
    private final GicCore core;
    private final GuestErrorLog errors;
    private final int cpu;
    private final CpuInterfaceState state;

    /** CPU {@code cpu}'s interface, named {@code "gicv3-cpuif<cpu>"}. */
    public GicV3CpuInterface(GicCore core, int cpu) {
        this("gicv3-cpuif" + cpu, core, cpu);
    }

    /**
     * @param name name for logs and guest errors
     * @param core a {@link GicArchitecture#V3} core
     * @param cpu  the CPU whose interface this is
     */
    public GicV3CpuInterface(String name, GicCore core, int cpu) {
        this.name = Objects.requireNonNull(name, "name");
        this.core = Objects.requireNonNull(core, "core");
        this.errors = core.guestErrors();
        AccessingCpu.requireArchitecture(core, GicArchitecture.V3, name);
        if (cpu < 0 || cpu >= core.cpuCount()) {
            throw new GicConfigException(name + ": CPU " + cpu + " does not exist (the GIC has " + core.cpuCount() + ")");
        }
        this.cpu = cpu;
        this.state = core.cpuInterface(cpu);
    }

    public String name() {
        return name;
    }

    /** How many ICC_AP0R{n}_EL1 (and ICC_AP1R{n}_EL1) registers exist: 2^(preemption bits - 5). */
    public int activePriorityRegisterCount() {
        return state.activePriorities().registerCount();
    }

    public long readSre() {
        return SRE;
    }

    /** RAO/WI: the System register interface cannot be disabled. */
    public void writeSre(long value) {
    }

    public long readCtlr() {
        long value = CTLR_A3V | CTLR_IDBITS_24 | ((long) (core.config().priorityBits() - 1) << 8);
        if (state.cbpr()) {
            value |= CTLR_CBPR;
        }
        if (state.eoiModeSplit()) {
            value |= CTLR_EOIMODE;
        }
        return value;
    }

    public void writeCtlr(long value) {
        state.setCbpr((value & CTLR_CBPR) != 0);
        state.setEoiModeSplit((value & CTLR_EOIMODE) != 0);
        core.update();
    }

    public long readPmr() {
        return state.pmr();
    }

    public void writePmr(long value) {
        state.setPmr((int) value & 0xFF);
        core.update();
    }

    public long readBpr0() {
        return state.bpr0();
    }

    public void writeBpr0(long value) {
        state.setBpr0((int) (value & 7));
        core.update();
    }

    public long readBpr1() {
        return state.cbpr() ? Math.min(state.bpr0() + 1, 7) : state.bpr1();
    }

    public void writeBpr1(long value) {
        if (!state.cbpr()) {
            state.setBpr1((int) (value & 7));
            core.update();
        }
    }

    public long readIgrpen0() {
        return state.groupEnabled(InterruptGroup.GROUP0) ? 1 : 0;
    }

    public void writeIgrpen0(long value) {
        state.setGroupEnabled(InterruptGroup.GROUP0, (value & 1) != 0);
        core.update();
    }

    public long readIgrpen1() {
        return state.groupEnabled(InterruptGroup.GROUP1) ? 1 : 0;
    }

    public void writeIgrpen1(long value) {
        state.setGroupEnabled(InterruptGroup.GROUP1, (value & 1) != 0);
        core.update();
    }

    public long readIar0() {
        return acknowledge(InterruptGroup.GROUP0);
    }

    public long readIar1() {
        return acknowledge(InterruptGroup.GROUP1);
    }

    public void writeEoir0(long value) {
        endOfInterrupt(InterruptGroup.GROUP0, value);
    }

    public void writeEoir1(long value) {
        endOfInterrupt(InterruptGroup.GROUP1, value);
    }

    /** ICC_DIR_EL1: deactivates the INTID when EOImode is 1. */
    public void writeDir(long value) {
        int intid = (int) (value & 0xFF_FFFF);
        if (!core.bank().implemented(intid)) {
            return;
        }
        if (!state.eoiModeSplit()) {
            errors.report(name, InterruptError.DEACTIVATE_WITH_EOIMODE_0,
                    String.format("ICC_DIR_EL1 <- 0x%x ignored (UNPREDICTABLE)", value));
            return;
        }
        core.deactivate(cpu, intid);
    }

    public long readHppir0() {
        return highestPending(InterruptGroup.GROUP0);
    }

    public long readHppir1() {
        return highestPending(InterruptGroup.GROUP1);
    }

    public long readRpr() {
        return Math.min(state.activePriorities().runningPriority(), 0xFF);
    }

    public long readAp0r(int n) {
        return state.activePriorities().read(InterruptGroup.GROUP0, checkApr(n)) & 0xFFFF_FFFFL;
    }

    public void writeAp0r(int n, long value) {
        state.activePriorities().write(InterruptGroup.GROUP0, checkApr(n), (int) value);
        core.update();
    }

    public long readAp1r(int n) {
        return state.activePriorities().read(InterruptGroup.GROUP1, checkApr(n)) & 0xFFFF_FFFFL;
    }

    public void writeAp1r(int n, long value) {
        state.activePriorities().write(InterruptGroup.GROUP1, checkApr(n), (int) value);
        core.update();
    }

    public void writeSgi0r(long value) {
        generateSgi(value, InterruptGroup.GROUP0);
    }

    public void writeSgi1r(long value) {
        generateSgi(value, InterruptGroup.GROUP1);
    }

    public void writeAsgi1r(long value) {
        generateSgi(value, InterruptGroup.GROUP0);
    }

    private int checkApr(int n) {
        if (n < 0 || n >= activePriorityRegisterCount()) {
            throw new IndexOutOfBoundsException("ICC_APxR" + n + "_EL1 does not exist; there are " + activePriorityRegisterCount());
        }
        return n;
    }

    private long acknowledge(InterruptGroup group) {
        PendingInterrupt hppi = core.highestPending(cpu);
        if (hppi == null || hppi.group() != group || !state.canSignal(hppi.priority(), hppi.group())) {
            return IntIds.SPURIOUS;
        }
        core.acknowledge(cpu, hppi);
        return hppi.intid();
    }

    private long highestPending(InterruptGroup group) {
        PendingInterrupt hppi = core.highestPending(cpu);
        return hppi == null || hppi.group() != group ? IntIds.SPURIOUS : hppi.intid();
    }

    private void endOfInterrupt(InterruptGroup group, long value) {
        int intid = (int) (value & 0xFF_FFFF);
        if (!core.bank().implemented(intid)) {
            return;
        }
        String register = group == InterruptGroup.GROUP0 ? "ICC_EOIR0_EL1" : "ICC_EOIR1_EL1";
        InterruptGroup active = state.activePriorities().highestActiveGroup();
        if (active == null) {
            errors.report(name, InterruptError.EOI_NOTHING_ACTIVE, String.format("%s <- 0x%x ignored", register, value));
            return;
        }
        if (active != group) {
            errors.report(name, InterruptError.EOI_WRONG_GROUP,
                    String.format("%s <- 0x%x ignored: the running priority belongs to %s", register, value, active));
            return;
        }
        core.dropPriority(cpu, group);
        if (!state.eoiModeSplit()) {
            core.deactivate(cpu, intid);
        }
    }

    /** ICC_SGI0R_EL1 / ICC_SGI1R_EL1 / ICC_ASGI1R_EL1 (IHI 0069 §12.2). */
    private void generateSgi(long value, InterruptGroup group) {
        int sgi = (int) ((value >>> 24) & 0xF);
        boolean allButSelf = ((value >>> 40) & 1) != 0;
        long upper = (((value >>> 48) & 0xFF) << 32) | (((value >>> 32) & 0xFF) << 16) | (((value >>> 16) & 0xFF) << 8);
        int targetList = (int) (value & 0xFFFF);
        for (int target = 0; target < core.cpuCount(); target++) {
            long mpidr = core.cpuInterface(target).mpidr();
            if (allButSelf) {
                if (target == cpu) {
                    continue;
                }
            } else {
                int aff0 = Affinity.aff0(mpidr);
                if (Affinity.upper(mpidr) != upper || aff0 > 15 || (targetList & (1 << aff0)) == 0) {
                    continue;
                }
            }
            core.pendSgi(target, sgi, group);
        }
    }

    /** The guest error log of this interface's GIC (the machine's). */
    public GuestErrorLog guestErrors() {
        return errors;
    }
}
