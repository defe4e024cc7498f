package dev.aarvark.devices.gic;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.InterruptError;
import dev.aarvark.devices.MmioDevice;

import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * The GICv2 CPU interface register block (IHI 0048B §4.1.3 and §4.4) of QEMU's {@code virt} board
 * at 0x0801_0000: registers at 0x000-0x0FC and GICC_DIR at 0x1000 (8 KiB used of the 64 KiB
 * region), banked per CPU, without the Security Extensions.
 *
 * <h2>Registers</h2>
 * <ul>
 *   <li>GICC_CTLR (§4.4.1): EnableGrp0 (0), EnableGrp1 (1), AckCtl (2), FIQEn (3), CBPR (4),
 *   EOImode (9); the IRQ/FIQ bypass-disable bits read as 0, as QEMU has no bypass (mask
 *   0x21F).</li>
 *   <li>GICC_PMR (§4.4.2) with all 8 priority bits; GICC_BPR (minimum 0) and GICC_ABPR
 *   (minimum 1), the Group 0 and Group 1 binary points (§4.4.3, §4.4.8).</li>
 *   <li>GICC_IAR (§4.4.4): acknowledges the highest priority pending interrupt if it may be
 *   signalled and returns its INTID, with the requesting CPU in bits [12:10] for an SGI; 1023
 *   if there is none of sufficient priority; 1022 if it is a Group 1 interrupt and AckCtl is 0
 *   (it stays pending). GICC_AIAR (§4.4.9) acknowledges only Group 1 interrupts.</li>
 *   <li>GICC_EOIR / GICC_AEOIR (§4.4.5, §4.4.10): priority drop of the interrupt's group and,
 *   with EOImode 0, deactivation; GICC_DIR (§4.4.15) deactivates when EOImode is 1. Spurious
 *   and unimplemented INTIDs are ignored.</li>
 *   <li>GICC_RPR (§4.4.6): the running priority, 0xFF when idle. GICC_HPPIR / GICC_AHPPIR
 *   (§4.4.7, §4.4.11): the highest priority pending interrupt above the priority mask, as QEMU
 *   reports it (ignoring the running priority), with the same 1022/1023 rules as the IARs.</li>
 *   <li>GICC_APR0-3 / GICC_NSAPR0-3 (§4.4.12-13): the Group 0 and Group 1 active priorities,
 *   128 levels (QEMU's GIC_NR_APRS = 4).</li>
 *   <li>GICC_IIDR (§4.4.14) = 0x0002_043B: QEMU's value, ArchitectureVersion 2, implementer
 *   Arm. (A GIC-400 reports 0x0202_143B; Linux checks for that value only when it runs at EL2.)</li>
 * </ul>
 *
 * <h2>Access rules</h2>
 * 32-bit accesses only (§4.1, "GIC register access"). Other widths, reserved offsets, writes to read-only and reads of
 * write-only registers are guest errors: reads return 0, writes are ignored. So is a GICC_DIR
 * write with EOImode 0, which the specification leaves UNPREDICTABLE.
 */
public final class GicV2CpuInterface implements MmioDevice {
    /** Size of the region the board maps. */
    public static final long SIZE = 0x1_0000L;
    /** The name used when none is given. */
    public static final String DEFAULT_NAME = "gicv2-cpu";

    /** GICC_IIDR as QEMU 7.2 reports it: {@code (revision << 16) | 0x43B}. */
    static final int IIDR = 0x0002_043B;

    private static final int CTLR_MASK = 0x21F;
    private static final int CTLR = 0x00;
    private static final int PMR = 0x04;
    private static final int BPR = 0x08;
    private static final int IAR = 0x0C;
    private static final int EOIR = 0x10;
    private static final int RPR = 0x14;
    private static final int HPPIR = 0x18;
    private static final int ABPR = 0x1C;
    private static final int AIAR = 0x20;
    private static final int AEOIR = 0x24;
    private static final int AHPPIR = 0x28;
    private static final int APR = 0xD0;
    private static final int NSAPR = 0xE0;
    private static final int IIDR_OFFSET = 0xFC;
    private static final int DIR = 0x1000;

    private final String name;
    private final GicCore core;
    private final GuestErrorLog errors;
    private final IntSupplier accessingCpu;

    /** The CPU interface of a single-CPU GICv2, named {@value #DEFAULT_NAME}. */
    public GicV2CpuInterface(GicCore core) {
        this(DEFAULT_NAME, core, AccessingCpu.only(core, DEFAULT_NAME));
    }

    /**
     * @param name         device name for logs and guest errors
     * @param core         a {@link GicArchitecture#V2} core
     * @param accessingCpu the index of the CPU making the current access (its interface answers)
     */
    public GicV2CpuInterface(String name, GicCore core, IntSupplier accessingCpu) {
        this.name = Objects.requireNonNull(name, "name");
        this.core = Objects.requireNonNull(core, "core");
        this.errors = core.guestErrors();
        this.accessingCpu = Objects.requireNonNull(accessingCpu, "accessingCpu");
        AccessingCpu.requireArchitecture(core, GicArchitecture.V2, name);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return SIZE;
    }

    @Override
    public long read(long offset, int size) {
        if (!GicRegisterAccess.check(errors, name, true, offset, size, SIZE, size == 4)) {
            return 0;
        }
        int cpu = AccessingCpu.of(accessingCpu, core);
        CpuInterfaceState c = core.cpuInterface(cpu);
        int off = (int) offset;
        return switch (off) {
            case CTLR -> readCtlr(c);
            case PMR -> c.pmr();
            case BPR -> c.bpr0();
            case ABPR -> c.bpr1();
            case IAR -> acknowledge(cpu, false);
            case AIAR -> acknowledge(cpu, true);
            case RPR -> Math.min(c.activePriorities().runningPriority(), 0xFF);
            case HPPIR -> highestPending(cpu, false);
            case AHPPIR -> highestPending(cpu, true);
            case IIDR_OFFSET -> IIDR;
            case EOIR, AEOIR, DIR -> {
                GicRegisterAccess.writeOnly(errors, name, off == EOIR ? "GICC_EOIR" : off == AEOIR ? "GICC_AEOIR" : "GICC_DIR");
                yield 0;
            }
            default -> {
                if (off >= APR && off < APR + 0x10) {
                    yield c.activePriorities().read(InterruptGroup.GROUP0, (off - APR) / 4) & 0xFFFF_FFFFL;
                }
                if (off >= NSAPR && off < NSAPR + 0x10) {
                    yield c.activePriorities().read(InterruptGroup.GROUP1, (off - NSAPR) / 4) & 0xFFFF_FFFFL;
                }
                GicRegisterAccess.reservedRead(errors, name, off);
                yield 0;
            }
        };
    }

    @Override
    public void write(long offset, int size, long value) {
        if (!GicRegisterAccess.check(errors, name, false, offset, size, SIZE, size == 4)) {
            return;
        }
        int cpu = AccessingCpu.of(accessingCpu, core);
        CpuInterfaceState c = core.cpuInterface(cpu);
        int off = (int) offset;
        int v = (int) value;
        switch (off) {
            case CTLR -> writeCtlr(c, v);
            case PMR -> c.setPmr(v);
            case BPR -> c.setBpr0(v);
            case ABPR -> c.setBpr1(v);
            case EOIR -> endOfInterrupt(cpu, v, false);
            case AEOIR -> endOfInterrupt(cpu, v, true);
            case DIR -> deactivate(cpu, v);
            case IAR, AIAR, RPR, HPPIR, AHPPIR, IIDR_OFFSET -> GicRegisterAccess.readOnly(errors, name, registerName(off), value);
            default -> {
                if (off >= APR && off < APR + 0x10) {
                    c.activePriorities().write(InterruptGroup.GROUP0, (off - APR) / 4, v);
                } else if (off >= NSAPR && off < NSAPR + 0x10) {
                    c.activePriorities().write(InterruptGroup.GROUP1, (off - NSAPR) / 4, v);
                } else {
                    GicRegisterAccess.reservedWrite(errors, name, off, value);
                    return;
                }
            }
        }
        core.update();
    }

    private static String registerName(int off) {
        return switch (off) {
            case IAR -> "GICC_IAR";
            case AIAR -> "GICC_AIAR";
            case RPR -> "GICC_RPR";
            case HPPIR -> "GICC_HPPIR";
            case AHPPIR -> "GICC_AHPPIR";
            default -> "GICC_IIDR";
        };
    }

    private static int readCtlr(CpuInterfaceState c) {
        return (c.groupEnabled(InterruptGroup.GROUP0) ? 1 : 0)
                | (c.groupEnabled(InterruptGroup.GROUP1) ? 1 << 1 : 0)
                | (c.ackCtl() ? 1 << 2 : 0)
                | (c.group0SignalsFiq() ? 1 << 3 : 0)
                | (c.cbpr() ? 1 << 4 : 0)
                | (c.eoiModeSplit() ? 1 << 9 : 0);
    }

    private static void writeCtlr(CpuInterfaceState c, int value) {
        int v = value & CTLR_MASK;
        c.setGroupEnabled(InterruptGroup.GROUP0, (v & 1) != 0);
        c.setGroupEnabled(InterruptGroup.GROUP1, (v & (1 << 1)) != 0);
        c.setAckCtl((v & (1 << 2)) != 0);
        c.setGroup0SignalsFiq((v & (1 << 3)) != 0);
        c.setCbpr((v & (1 << 4)) != 0);
        c.setEoiModeSplit((v & (1 << 9)) != 0);
    }

    /** GICC_IAR (aliased = false) and GICC_AIAR (aliased = true). */
    private int acknowledge(int cpu, boolean aliased) {
        CpuInterfaceState c = core.cpuInterface(cpu);
        PendingInterrupt hppi = core.highestPending(cpu);
        if (hppi == null || !c.canSignal(hppi.priority(), hppi.group())) {
            return IntIds.SPURIOUS;
        }
        if (aliased && hppi.group() != InterruptGroup.GROUP1) {
            return IntIds.SPURIOUS;
        }
        if (!aliased && hppi.group() == InterruptGroup.GROUP1 && !c.ackCtl()) {
            return IntIds.GROUP1_NOT_ACKNOWLEDGED;
        }
        int source = core.acknowledge(cpu, hppi);
        return IntIds.isSgi(hppi.intid()) ? hppi.intid() | (source << 10) : hppi.intid();
    }

    /** GICC_HPPIR (aliased = false) and GICC_AHPPIR (aliased = true). */
    private int highestPending(int cpu, boolean aliased) {
        CpuInterfaceState c = core.cpuInterface(cpu);
        PendingInterrupt hppi = core.highestPending(cpu);
        if (hppi == null || hppi.priority() >= c.pmr()) {
            return IntIds.SPURIOUS;
        }
        if (aliased && hppi.group() != InterruptGroup.GROUP1) {
            return IntIds.SPURIOUS;
        }
        if (!aliased && hppi.group() == InterruptGroup.GROUP1 && !c.ackCtl()) {
            return IntIds.GROUP1_NOT_ACKNOWLEDGED;
        }
        if (IntIds.isSgi(hppi.intid())) {
            int sources = core.sgiSources().get(cpu, hppi.intid());
            return hppi.intid() | (Integer.numberOfTrailingZeros(sources | 0x100) & 7) << 10;
        }
        return hppi.intid();
    }

    /** GICC_EOIR (aliased = false) and GICC_AEOIR (aliased = true). */
    private void endOfInterrupt(int cpu, int value, boolean aliased) {
        int intid = value & 0x3FF;
        if (!core.bank().implemented(intid)) {
            return;
        }
        CpuInterfaceState c = core.cpuInterface(cpu);
        if (c.activePriorities().runningPriority() == ActivePriorities.IDLE) {
            errors.report(name, InterruptError.EOI_NOTHING_ACTIVE,
                    String.format("%s <- 0x%x ignored", aliased ? "GICC_AEOIR" : "GICC_EOIR", value));
            return;
        }
        InterruptGroup group = core.bank().get(cpu, intid).group();
        if (aliased && group != InterruptGroup.GROUP1) {
            errors.report(name, InterruptError.EOI_WRONG_GROUP, "GICC_AEOIR for Group 0 INTID " + intid + " ignored");
            return;
        }
        core.dropPriority(cpu, group);
        if (!c.eoiModeSplit()) {
            core.deactivate(cpu, intid);
        }
    }

    /** GICC_DIR. */
    private void deactivate(int cpu, int value) {
        int intid = value & 0x3FF;
        if (!core.bank().implemented(intid)) {
            return;
        }
        if (!core.cpuInterface(cpu).eoiModeSplit()) {
            errors.report(name, InterruptError.DEACTIVATE_WITH_EOIMODE_0,
                    String.format("GICC_DIR <- 0x%x ignored (UNPREDICTABLE, IHI 0048B 4.4.15)", value));
            return;
        }
        core.deactivate(cpu, intid);
    }
}
