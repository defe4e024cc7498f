package dev.aarvark.devices.gic;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.RegisterError;
import dev.aarvark.devices.MmioDevice;

import java.util.Objects;
import java.util.function.IntSupplier;

/**
 * The GICv2 distributor register block (IHI 0048B §4.1.2 and §4.3) of QEMU's {@code virt} board at
 * 0x0800_0000: 4 KiB of registers in a 64 KiB region, without the Security Extensions.
 *
 * <h2>Registers and values</h2>
 * <ul>
 *   <li>GICD_CTLR: EnableGrp0 (bit 0) and EnableGrp1 (bit 1).</li>
 *   <li>GICD_TYPER: ITLinesNumber = {@code (32 + SPIs) / 32 - 1} (8 on {@code virt}: 288 INTIDs),
 *   CPUNumber = CPUs - 1, SecurityExtn = 0, LSPI = 0. GICD_IIDR = 0x0000_043B (Arm, as QEMU).</li>
 *   <li>GICD_IGROUPRn, GICD_IS/ICENABLERn, GICD_IS/ICPENDRn, GICD_IS/ICACTIVERn, GICD_IPRIORITYRn
 *   (8 bits), GICD_ICFGRn: see {@link InterruptRegisters}. Registers 0 of each (INTIDs 0-31) are
 *   banked per CPU.</li>
 *   <li>GICD_ITARGETSRn (§4.3.12): the fields of INTIDs 0-31 are read-only and read as the
 *   accessing CPU's own bit, so drivers can discover their CPU interface number (Linux's
 *   {@code gic_get_cpumask}, seL4's {@code infer_cpu_gic_id}). SPI fields hold target lists; with
 *   one CPU they read as that CPU's bit and ignore writes (see {@link CpuTargetList}).</li>
 *   <li>GICD_SGIR (§4.3.15, write-only, word only): TargetListFilter 0 (the list in bits [23:16]),
 *   1 (all but the requester), 2 (the requester); 3 is reserved and ignored as a guest error.
 *   NSATT is ignored (no Security Extensions).</li>
 *   <li>GICD_CPENDSGIRn / GICD_SPENDSGIRn (§4.3.16-17): one byte per SGI, one bit per source
 *   CPU, for the accessing CPU's SGIs.</li>
 *   <li>GICD_NSACRn: RAZ/WI (no Security Extensions). ID registers at 0xFD0-0xFFC with QEMU's
 *   values (PIDR2 = 0x2B: GICv2).</li>
 * </ul>
 *
 * <h2>Access rules</h2>
 * 32-bit accesses everywhere; byte accesses to GICD_IPRIORITYRn, GICD_ITARGETSRn,
 * GICD_CPENDSGIRn and GICD_SPENDSGIRn (§4.1, "GIC register access"). Other widths, reserved offsets, writes to
 * read-only registers and reads of GICD_SGIR are guest errors: reads return 0, writes are
 * ignored. Bits and fields of INTIDs that are not implemented are RAZ/WI without a report.
 *
 * <h2>Invariants</h2>
 * All state lives in the {@link GicCore}; this class only decodes offsets. Every write that can
 * change an interrupt's state updates the CPU outputs before returning.
 */
public final class GicV2Distributor implements MmioDevice {
    /** Size of the region the board maps. */
    public static final long SIZE = 0x1_0000L;
    /** The name used when none is given. */
    public static final String DEFAULT_NAME = "gicv2-dist";

    /** GICD_IIDR as QEMU reports it: implementer Arm (0x43B), revision 0. */
    static final int IIDR = 0x0000_043B;

    private static final int CTLR = 0x000;
    private static final int TYPER = 0x004;
    private static final int IIDR_OFFSET = 0x008;
    private static final int IGROUPR = 0x080;
    private static final int ISENABLER = 0x100;
    private static final int ICENABLER = 0x180;
    private static final int ISPENDR = 0x200;
    private static final int ICPENDR = 0x280;
    private static final int ISACTIVER = 0x300;
    private static final int ICACTIVER = 0x380;
    private static final int IPRIORITYR = 0x400;
    private static final int ITARGETSR = 0x800;
    private static final int ICFGR = 0xC00;
    private static final int NSACR = 0xE00;
    private static final int SGIR = 0xF00;
    private static final int CPENDSGIR = 0xF10;
    private static final int SPENDSGIR = 0xF20;

    private final String name;
    private final GicCore core;
    private final GuestErrorLog errors;
    private final IntSupplier accessingCpu;
    private final InterruptRegisters fields;

    /** The distributor of a single-CPU GICv2, named {@value #DEFAULT_NAME}. */
    public GicV2Distributor(GicCore core) {
        this(DEFAULT_NAME, core, AccessingCpu.only(core, DEFAULT_NAME));
    }

    /**
     * @param name         device name for logs and guest errors
     * @param core         a {@link GicArchitecture#V2} core
     * @param accessingCpu the index of the CPU making the current access
     */
    public GicV2Distributor(String name, GicCore core, IntSupplier accessingCpu) {
        this.name = Objects.requireNonNull(name, "name");
        this.core = Objects.requireNonNull(core, "core");
        this.errors = core.guestErrors();
        this.accessingCpu = Objects.requireNonNull(accessingCpu, "accessingCpu");
        AccessingCpu.requireArchitecture(core, GicArchitecture.V2, name);
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

    private static boolean byteAccessible(long offset) {
        return (offset >= IPRIORITYR && offset < ICFGR) || (offset >= CPENDSGIR && offset < SPENDSGIR + 0x10);
    }

    @Override
    public long read(long offset, int size) {
        if (!GicRegisterAccess.check(errors, name, true, offset, size, SIZE, size == 4 || (size == 1 && byteAccessible(offset)))) {
            return 0;
        }
        int cpu = AccessingCpu.of(accessingCpu, core);
        int off = (int) offset;
        if (size == 1) {
            return readByte(cpu, off);
        }
        return readWord(cpu, off) & 0xFFFF_FFFFL;
    }

    @Override
    public void write(long offset, int size, long value) {
        if (!GicRegisterAccess.check(errors, name, false, offset, size, SIZE, size == 4 || (size == 1 && byteAccessible(offset)))) {
            return;
        }
        int cpu = AccessingCpu.of(accessingCpu, core);
        int off = (int) offset;
        if (size == 1) {
            writeByte(cpu, off, (int) value & 0xFF);
            core.update();
            return;
        }
        writeWord(cpu, off, (int) value);
    }

    private int readWord(int cpu, int off) {
        if (off == CTLR) {
            return (core.distributorGroupEnabled(InterruptGroup.GROUP0) ? 1 : 0)
                    | (core.distributorGroupEnabled(InterruptGroup.GROUP1) ? 2 : 0);
        }
        if (off == TYPER) {
            return core.config().itLinesNumber() | ((core.cpuCount() - 1) << 5);
        }
        if (off == IIDR_OFFSET) {
            return IIDR;
        }
        if (off >= IGROUPR && off < ISENABLER) {
            return fields.readBits(InterruptRegisters.Bit.GROUP, cpu, (off - IGROUPR) * 8);
        }
        if (off >= ISENABLER && off < ISPENDR) {
            return fields.readBits(InterruptRegisters.Bit.ENABLE, cpu, (off & 0x7F) * 8);
        }
        if (off >= ISPENDR && off < ISACTIVER) {
            return fields.readBits(InterruptRegisters.Bit.PENDING, cpu, (off & 0x7F) * 8);
        }
        if (off >= ISACTIVER && off < IPRIORITYR) {
            return fields.readBits(InterruptRegisters.Bit.ACTIVE, cpu, (off & 0x7F) * 8);
        }
        if (byteAccessible(off)) {
            int value = 0;
            for (int i = 3; i >= 0; i--) {
                value = (value << 8) | readByte(cpu, off + i);
            }
            return value;
        }
        if (off >= ICFGR && off < ICFGR + 0x100) {
            return fields.readConfig(cpu, (off - ICFGR) * 4);
        }
        if (off >= NSACR && off < NSACR + 0x100) {
            return 0;
        }
        if (off == SGIR) {
            GicRegisterAccess.writeOnly(errors, name, "GICD_SGIR");
            return 0;
        }
        if (IdRegisters.GICV2_DISTRIBUTOR.contains(off)) {
            return IdRegisters.GICV2_DISTRIBUTOR.read(off);
        }
        GicRegisterAccess.reservedRead(errors, name, off);
        return 0;
    }

    private int readByte(int cpu, int off) {
        if (off >= IPRIORITYR && off < ITARGETSR) {
            return fields.readPriority(cpu, off - IPRIORITYR);
        }
        if (off >= ITARGETSR && off < ICFGR) {
            int intid = off - ITARGETSR;
            if (!core.bank().implemented(intid)) {
                return 0;
            }
            return IntIds.isPrivate(intid) ? 1 << cpu : core.targetList().read(intid);
        }
        if (off >= CPENDSGIR && off < SPENDSGIR + 0x10) {
            return core.sgiSources().get(cpu, (off - CPENDSGIR) & 0xF);
        }
        GicRegisterAccess.reservedRead(errors, name, off);
        return 0;
    }

    private void writeWord(int cpu, int off, int value) {
        if (off == CTLR) {
            core.setDistributorGroupEnabled(InterruptGroup.GROUP0, (value & 1) != 0);
            core.setDistributorGroupEnabled(InterruptGroup.GROUP1, (value & 2) != 0);
            core.update();
        } else if (off == TYPER) {
            GicRegisterAccess.readOnly(errors, name, "GICD_TYPER", value);
        } else if (off == IIDR_OFFSET) {
            GicRegisterAccess.readOnly(errors, name, "GICD_IIDR", value);
        } else if (off >= IGROUPR && off < ISENABLER) {
            fields.writeGroups(cpu, (off - IGROUPR) * 8, value);
        } else if (off >= ISENABLER && off < ICENABLER) {
            fields.setBits(InterruptRegisters.Bit.ENABLE, cpu, (off - ISENABLER) * 8, value);
        } else if (off >= ICENABLER && off < ISPENDR) {
            fields.clearBits(InterruptRegisters.Bit.ENABLE, cpu, (off - ICENABLER) * 8, value);
        } else if (off >= ISPENDR && off < ICPENDR) {
            fields.setBits(InterruptRegisters.Bit.PENDING, cpu, (off - ISPENDR) * 8, value);
        } else if (off >= ICPENDR && off < ISACTIVER) {
            fields.clearBits(InterruptRegisters.Bit.PENDING, cpu, (off - ICPENDR) * 8, value);
        } else if (off >= ISACTIVER && off < ICACTIVER) {
            fields.setBits(InterruptRegisters.Bit.ACTIVE, cpu, (off - ISACTIVER) * 8, value);
        } else if (off >= ICACTIVER && off < IPRIORITYR) {
            fields.clearBits(InterruptRegisters.Bit.ACTIVE, cpu, (off - ICACTIVER) * 8, value);
        } else if (byteAccessible(off)) {
            for (int i = 0; i < 4; i++) {
                writeByte(cpu, off + i, (value >>> (8 * i)) & 0xFF);
            }
            core.update();
        } else if (off >= ICFGR && off < ICFGR + 0x100) {
            fields.writeConfig(cpu, (off - ICFGR) * 4, value);
        } else if (off >= NSACR && off < NSACR + 0x100) {
            return;
        } else if (off == SGIR) {
            generateSgi(cpu, value);
        } else if (IdRegisters.GICV2_DISTRIBUTOR.contains(off)) {
            GicRegisterAccess.readOnly(errors, name, String.format("ID register at 0x%03x", off), value);
        } else {
            GicRegisterAccess.reservedWrite(errors, name, off, value & 0xFFFF_FFFFL);
        }
    }

    /** One byte of a byte-accessible register; the caller updates the outputs. */
    private void writeByte(int cpu, int off, int value) {
        if (off >= IPRIORITYR && off < ITARGETSR) {
            fields.writePriorityNoUpdate(cpu, off - IPRIORITYR, value);
        } else if (off >= ITARGETSR && off < ICFGR) {
            int intid = off - ITARGETSR;
            if (IntIds.isSpi(intid) && core.bank().implemented(intid)) {
                core.targetList().write(intid, value);
            }
        } else if (off >= CPENDSGIR && off < SPENDSGIR) {
            int sgi = off - CPENDSGIR;
            SgiSources sources = core.sgiSources();
            sources.remove(cpu, sgi, value);
            if (sources.get(cpu, sgi) == 0) {
                core.bank().get(cpu, sgi).clearPending();
            }
        } else if (off >= SPENDSGIR && off < SPENDSGIR + 0x10) {
            int sgi = off - SPENDSGIR;
            int mask = value & core.targetList().implementedMask();
            if (mask != 0) {
                core.sgiSources().add(cpu, sgi, mask);
                core.bank().get(cpu, sgi).setPending();
            }
        } else {
            GicRegisterAccess.reservedWrite(errors, name, off, value);
        }
    }

    /** GICD_SGIR (IHI 0048B §4.3.15). */
    private void generateSgi(int cpu, int value) {
        int sgi = value & 0xF;
        int implemented = core.targetList().implementedMask();
        int targets = switch ((value >>> 24) & 3) {
            case 0 -> (value >>> 16) & implemented;
            case 1 -> implemented & ~(1 << cpu);
            case 2 -> 1 << cpu;
            default -> {
                errors.report(name, RegisterError.RESERVED_VALUE,
                        String.format("GICD_SGIR <- 0x%08x: TargetListFilter 0b11 is reserved; no SGI sent", value));
                yield 0;
            }
        };
        core.sendSgiFrom(cpu, targets, sgi);
    }
}
