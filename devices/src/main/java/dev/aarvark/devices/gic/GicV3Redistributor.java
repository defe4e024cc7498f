package dev.aarvark.devices.gic;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.MmioDevice;

import java.util.Objects;

/**
 * One CPU's GICv3 redistributor (IHI 0069 §12.10-12.11): the RD_base frame and, 64 KiB above it,
 * the SGI_base frame, 128 KiB in all. QEMU's {@code virt} places CPU n's at
 * 0x080A_0000 + n * 0x2_0000.
 *
 * <h2>RD_base frame</h2>
 * <ul>
 *   <li>GICR_CTLR reads 0 and ignores writes: no LPIs (Enable_LPIs RES0), no asynchronous
 *   operations (RWP, UWP 0), GICR_TYPER.DPGS 0. GICR_IIDR = 0x0000_043B as QEMU.</li>
 *   <li>GICR_TYPER (64-bit; 32-bit halves at 0x08 and 0x0C): Affinity_Value = the CPU's
 *   Aff3.Aff2.Aff1.Aff0, Processor_Number = CPU index, Last = 1 on the highest-numbered CPU,
 *   CommonLPIAff = 1 as QEMU, PLPIS = VLPIS = DirectLPI = 0, PPInum = 0 (16 PPIs).</li>
 *   <li>GICR_WAKER: ProcessorSleep (bit 1) is writable; ChildrenAsleep (bit 2) follows it at
 *   once, because the interface to the CPU has nothing to quiesce — Linux clears ProcessorSleep
 *   and polls ChildrenAsleep until it reads 0. Resets to ProcessorSleep | ChildrenAsleep, as
 *   QEMU's. Like QEMU, ProcessorSleep does not hold back interrupt delivery.</li>
 *   <li>GICR_STATUSR and the LPI registers (GICR_SETLPIR ... GICR_SYNCR), which are RES0 without
 *   LPIs, are RAZ/WI. ID registers at 0xFFD0-0xFFFC (PIDR2 = 0x3B).</li>
 * </ul>
 *
 * <h2>SGI_base frame</h2>
 * GICR_IGROUPR0, GICR_IS/ICENABLER0, GICR_IS/ICPENDR0, GICR_IS/ICACTIVER0,
 * GICR_IPRIORITYR0-7 and GICR_ICFGR0/1 for this CPU's SGIs and PPIs, see
 * {@link InterruptRegisters}: SGIs are always edge-triggered (GICR_ICFGR0 reads 0xAAAA_AAAA),
 * PPIs are configurable in GICR_ICFGR1. GICR_IGRPMODR0 and GICR_NSACR are RAZ/WI (DS = 1).
 *
 * <h2>Access rules</h2>
 * 32-bit accesses everywhere; byte accesses to GICR_IPRIORITYRn; 64-bit accesses to GICR_TYPER.
 * Other widths, reserved offsets and writes to read-only registers are guest errors: reads return
 * 0, writes are ignored.
 */
public final class GicV3Redistributor implements MmioDevice {
    /** Size of one CPU's redistributor: the RD_base and SGI_base frames. */
    public static final long SIZE = 0x2_0000L;
    /** Offset of the SGI_base frame. */
    public static final long SGI_BASE = 0x1_0000L;

    static final int WAKER_PROCESSOR_SLEEP = 1 << 1;
    static final int WAKER_CHILDREN_ASLEEP = 1 << 2;

    private static final int CTLR = 0x0000;
    private static final int IIDR = 0x0004;
    private static final int TYPER = 0x0008;
    private static final int TYPER_HIGH = 0x000C;
    private static final int STATUSR = 0x0010;
    private static final int WAKER = 0x0014;
    private static final int LPI_FIRST = 0x0040;
    private static final int LPI_END = 0x00C8;

    private static final int IGROUPR0 = 0x1_0080;
    private static final int ISENABLER0 = 0x1_0100;
    private static final int ICENABLER0 = 0x1_0180;
    private static final int ISPENDR0 = 0x1_0200;
    private static final int ICPENDR0 = 0x1_0280;
    private static final int ISACTIVER0 = 0x1_0300;
    private static final int ICACTIVER0 = 0x1_0380;
    private static final int IPRIORITYR = 0x1_0400;
    private static final int IPRIORITYR_END = 0x1_0420;
    private static final int ICFGR0 = 0x1_0C00;
    private static final int ICFGR1 = 0x1_0C04;
    private static final int IGRPMODR0 = 0x1_0D00;
    private static final int NSACR = 0x1_0E00;

    private final String name;
    private final GicCore core;
    private final GuestErrorLog errors;
    private final int cpu;
    private final InterruptRegisters fields;
    private boolean processorSleep = true;

    /** CPU {@code cpu}'s redistributor, named {@code "gicv3-redist<cpu>"}. */
    public GicV3Redistributor(GicCore core, int cpu) {
        this("gicv3-redist" + cpu, core, cpu);
    }

    /**
     * @param name device name for logs and guest errors
     * @param core a {@link GicArchitecture#V3} core
     * @param cpu  the CPU this redistributor belongs to
     */
    public GicV3Redistributor(String name, GicCore core, int cpu) {
        this.name = Objects.requireNonNull(name, "name");
        this.core = Objects.requireNonNull(core, "core");
        this.errors = core.guestErrors();
        AccessingCpu.requireArchitecture(core, GicArchitecture.V3, name);
        if (cpu < 0 || cpu >= core.cpuCount()) {
            throw new GicConfigException(name + ": CPU " + cpu + " does not exist (the GIC has " + core.cpuCount() + ")");
        }
        this.cpu = cpu;
        this.fields = new InterruptRegisters(core);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return SIZE;
    }

    /** GICR_TYPER (IHI 0069 §12.11). */
    long typer() {
        long mpidr = core.cpuInterface(cpu).mpidr();
        boolean last = cpu == core.cpuCount() - 1;
        return (Affinity.packed(mpidr) << 32) | (1L << 24) | ((long) cpu << 8) | (last ? 1L << 4 : 0);
    }

    private static boolean widthAllowed(long offset, int size) {
        return size == 4 || (size == 1 && offset >= IPRIORITYR && offset < IPRIORITYR_END) || (size == 8 && offset == TYPER);
    }

    @Override
    public long read(long offset, int size) {
        if (!GicRegisterAccess.check(errors, name, true, offset, size, SIZE, widthAllowed(offset, size))) {
            return 0;
        }
        int off = (int) offset;
        if (size == 8) {
            return typer();
        }
        if (size == 1) {
            return fields.readPriority(cpu, off - IPRIORITYR);
        }
        return readWord(off) & 0xFFFF_FFFFL;
    }

    @Override
    public void write(long offset, int size, long value) {
        if (!GicRegisterAccess.check(errors, name, false, offset, size, SIZE, widthAllowed(offset, size))) {
            return;
        }
        int off = (int) offset;
        if (size == 8) {
            GicRegisterAccess.readOnly(errors, name, "GICR_TYPER", value);
            return;
        }
        if (size == 1) {
            fields.writePriorities(cpu, off - IPRIORITYR, 1, value);
            return;
        }
        writeWord(off, (int) value);
    }

    private int readWord(int off) {
        switch (off) {
            case CTLR, STATUSR:
                return 0;
            case IIDR:
                return GicV3Distributor.IIDR;
            case TYPER:
                return (int) typer();
            case TYPER_HIGH:
                return (int) (typer() >>> 32);
            case WAKER:
                return processorSleep ? WAKER_PROCESSOR_SLEEP | WAKER_CHILDREN_ASLEEP : 0;
            case IGROUPR0:
                return fields.readBits(InterruptRegisters.Bit.GROUP, cpu, 0);
            case ISENABLER0, ICENABLER0:
                return fields.readBits(InterruptRegisters.Bit.ENABLE, cpu, 0);
            case ISPENDR0, ICPENDR0:
                return fields.readBits(InterruptRegisters.Bit.PENDING, cpu, 0);
            case ISACTIVER0, ICACTIVER0:
                return fields.readBits(InterruptRegisters.Bit.ACTIVE, cpu, 0);
            case ICFGR0:
                return fields.readConfig(cpu, 0);
            case ICFGR1:
                return fields.readConfig(cpu, IntIds.FIRST_PPI);
            case IGRPMODR0, NSACR:
                return 0;
            default:
                if (off >= IPRIORITYR && off < IPRIORITYR_END) {
                    return fields.readPriorities(cpu, off - IPRIORITYR, 4);
                }
                if (off >= LPI_FIRST && off < LPI_END) {
                    return 0;
                }
                if (IdRegisters.GICV3_REDISTRIBUTOR.contains(off)) {
                    return IdRegisters.GICV3_REDISTRIBUTOR.read(off);
                }
                GicRegisterAccess.reservedRead(errors, name, off);
                return 0;
        }
    }

    private void writeWord(int off, int value) {
        switch (off) {
            case CTLR, STATUSR, IGRPMODR0, NSACR -> {
            }
            case IIDR, TYPER, TYPER_HIGH -> GicRegisterAccess.readOnly(errors, name, off == IIDR ? "GICR_IIDR" : "GICR_TYPER", value);
            case WAKER -> processorSleep = (value & WAKER_PROCESSOR_SLEEP) != 0;
            case IGROUPR0 -> fields.writeGroups(cpu, 0, value);
            case ISENABLER0 -> fields.setBits(InterruptRegisters.Bit.ENABLE, cpu, 0, value);
            case ICENABLER0 -> fields.clearBits(InterruptRegisters.Bit.ENABLE, cpu, 0, value);
            case ISPENDR0 -> fields.setBits(InterruptRegisters.Bit.PENDING, cpu, 0, value);
            case ICPENDR0 -> fields.clearBits(InterruptRegisters.Bit.PENDING, cpu, 0, value);
            case ISACTIVER0 -> fields.setBits(InterruptRegisters.Bit.ACTIVE, cpu, 0, value);
            case ICACTIVER0 -> fields.clearBits(InterruptRegisters.Bit.ACTIVE, cpu, 0, value);
            case ICFGR0 -> {
                // SGIs are always edge-triggered: RO (RAO in the odd bits).
            }
            case ICFGR1 -> fields.writeConfig(cpu, IntIds.FIRST_PPI, value);
            default -> {
                if (off >= IPRIORITYR && off < IPRIORITYR_END) {
                    fields.writePriorities(cpu, off - IPRIORITYR, 4, value & 0xFFFF_FFFFL);
                } else if (off >= LPI_FIRST && off < LPI_END) {
                    return;
                } else if (IdRegisters.GICV3_REDISTRIBUTOR.contains(off)) {
                    GicRegisterAccess.readOnly(errors, name, String.format("ID register at 0x%04x", off), value);
                } else {
                    GicRegisterAccess.reservedWrite(errors, name, off, value & 0xFFFF_FFFFL);
                }
            }
        }
    }
}
