package dev.aarvark.devices.gic;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.MmioDevice;

import java.util.Objects;

/**
 * The GICv3 distributor register block (IHI 0069 §12.8-12.9) of QEMU's {@code virt} board at
 * 0x0800_0000 (64 KiB), with affinity routing always enabled and a single Security state.
 *
 * <h2>Registers and values</h2>
 * <ul>
 *   <li>GICD_CTLR: EnableGrp0 (bit 0) and EnableGrp1 (bit 1) are writable; ARE (bit 4) and DS
 *   (bit 6) are RAO/WI (affinity routing cannot be turned off, there is one Security state);
 *   RWP (bit 31) reads 0 because every write takes effect at once. Resets to 0x50, as QEMU's.</li>
 *   <li>GICD_TYPER = ITLinesNumber | IDbits 15 (16-bit INTIDs) &lt;&lt; 19 | A3V &lt;&lt; 24 |
 *   No1N &lt;&lt; 25, i.e. 0x0378_0007 for QEMU's 224 SPIs. Unlike QEMU (which has an ITS on
 *   {@code virt}) LPIS = 0, so Linux does not set up LPIs; MBIS = 0, SecurityExtn = 0 (DS = 1),
 *   ESPI = 0. GICD_IIDR = 0x0000_043B (QEMU's "Arm r0p0", the GIC-500 value); GICD_TYPER2 and
 *   GICD_STATUSR are RAZ/WI.</li>
 *   <li>GICD_IGROUPRn, IS/ICENABLERn, IS/ICPENDRn, IS/ICACTIVERn, IPRIORITYRn (8 bits),
 *   ICFGRn for SPIs: see {@link InterruptRegisters}. With affinity routing the fields of
 *   INTIDs 0-31 are RAZ/WI here: SGIs and PPIs are configured through each CPU's
 *   {@link GicV3Redistributor} (IHI 0069 §12.9, "when affinity routing is enabled").</li>
 *   <li>GICD_IROUTERn (INTIDs 32 and up): the SPI's target affinity, see {@link AffinityRouting};
 *   64-bit accesses or 32-bit accesses to either half.</li>
 *   <li>RAZ/WI as the specification requires with ARE = 1 and DS = 1: GICD_ITARGETSRn,
 *   GICD_SGIR (writes), GICD_CPENDSGIRn, GICD_SPENDSGIRn, GICD_IGRPMODRn, GICD_NSACRn.</li>
 *   <li>ID registers at 0xFFD0-0xFFFC with QEMU's values (PIDR2 = 0x3B: GICv3).</li>
 * </ul>
 *
 * <h2>Access rules</h2>
 * 32-bit accesses everywhere; byte accesses to GICD_IPRIORITYRn, GICD_ITARGETSRn,
 * GICD_CPENDSGIRn and GICD_SPENDSGIRn; 64-bit accesses to GICD_IROUTERn (IHI 0069 §12.1.3, "GIC memory-mapped register access").
 * libunicorn delivers a 64-bit guest access as two 32-bit ones (low half first), which these
 * rules accept. Other widths, reserved offsets (including the unimplemented message-based SPI
 * registers), writes to read-only registers and reads of GICD_SGIR are guest errors: reads return
 * 0, writes are ignored.
 *
 * <h2>Invariants</h2>
 * All state lives in the {@link GicCore}; the distributor has no per-CPU view, so it needs no
 * accessing-CPU supplier.
 */
public final class GicV3Distributor implements MmioDevice {
    /** Size of the region the board maps. */
    public static final long SIZE = 0x1_0000L;
    /** The name used when none is given. */
    public static final String DEFAULT_NAME = "gicv3-dist";

    /** GICD_IIDR and GICR_IIDR as QEMU reports them. */
    static final int IIDR = 0x0000_043B;
    static final int CTLR_ARE = 1 << 4;
    static final int CTLR_DS = 1 << 6;

    private static final int CTLR = 0x0000;
    private static final int TYPER = 0x0004;
    private static final int IIDR_OFFSET = 0x0008;
    private static final int TYPER2 = 0x000C;
    private static final int STATUSR = 0x0010;
    private static final int IGROUPR = 0x0080;
    private static final int ISENABLER = 0x0100;
    private static final int ICENABLER = 0x0180;
    private static final int ISPENDR = 0x0200;
    private static final int ICPENDR = 0x0280;
    private static final int ISACTIVER = 0x0300;
    private static final int ICACTIVER = 0x0380;
    private static final int IPRIORITYR = 0x0400;
    private static final int ITARGETSR = 0x0800;
    private static final int ICFGR = 0x0C00;
    private static final int IGRPMODR = 0x0D00;
    private static final int NSACR = 0x0E00;
    private static final int SGIR = 0x0F00;
    private static final int CPENDSGIR = 0x0F10;
    private static final int SPENDSGIR_END = 0x0F30;
    private static final int IROUTER = 0x6000;
    private static final int IROUTER_END = 0x6000 + 8 * IntIds.FIRST_SPECIAL;

    private final String name;
    private final GicCore core;
    private final GuestErrorLog errors;
    private final InterruptRegisters fields;

    /** The distributor of a GICv3, named {@value #DEFAULT_NAME}. */
    public GicV3Distributor(GicCore core) {
        this(DEFAULT_NAME, core);
    }

    /**
     * @param name device name for logs and guest errors
     * @param core a {@link GicArchitecture#V3} core
     */
    public GicV3Distributor(String name, GicCore core) {
        this.name = Objects.requireNonNull(name, "name");
        this.core = Objects.requireNonNull(core, "core");
        this.errors = core.guestErrors();
        AccessingCpu.requireArchitecture(core, GicArchitecture.V3, name);
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

    /** GICD_TYPER (IHI 0069 §12.9). */
    int typer() {
        return core.config().itLinesNumber() | (0xF << 19) | (1 << 24) | (1 << 25);
    }

    private static boolean widthAllowed(long offset, int size) {
        if (size == 4) {
            return true;
        }
        if (size == 1) {
            return (offset >= IPRIORITYR && offset < ICFGR) || (offset >= CPENDSGIR && offset < SPENDSGIR_END);
        }
        return size == 8 && offset >= IROUTER && offset < IROUTER_END;
    }

    @Override
    public long read(long offset, int size) {
        if (!GicRegisterAccess.check(errors, name, true, offset, size, SIZE, widthAllowed(offset, size))) {
            return 0;
        }
        int off = (int) offset;
        if (off >= IROUTER && off < IROUTER_END) {
            long route = readRouter((off - IROUTER) / 8);
            return size == 8 ? route : (off & 4) == 0 ? route & 0xFFFF_FFFFL : route >>> 32;
        }
        if (size == 1) {
            return off < ITARGETSR ? fields.readPriority(0, spi(off - IPRIORITYR)) : 0;
        }
        return readWord(off) & 0xFFFF_FFFFL;
    }

    @Override
    public void write(long offset, int size, long value) {
        if (!GicRegisterAccess.check(errors, name, false, offset, size, SIZE, widthAllowed(offset, size))) {
            return;
        }
        int off = (int) offset;
        if (off >= IROUTER && off < IROUTER_END) {
            writeRouter((off - IROUTER) / 8, size == 8 ? -1L : (off & 4) == 0 ? 0xFFFF_FFFFL : 0xFFFF_FFFF_0000_0000L,
                    size == 8 ? value : (off & 4) == 0 ? value & 0xFFFF_FFFFL : value << 32);
            return;
        }
        if (size == 1) {
            if (off < ITARGETSR) {
                fields.writePriorities(0, spi(off - IPRIORITYR), 1, value);
            }
            return;
        }
        writeWord(off, (int) value);
    }

    /**
     * {@code intid} if it names an SPI; otherwise an INTID that is not implemented, so that the
     * SGI/PPI fields of the distributor's registers read as zero and ignore writes.
     */
    private static int spi(int intid) {
        return intid >= IntIds.FIRST_SPI ? intid : IntIds.FIRST_SPECIAL;
    }

    private int readWord(int off) {
        if (off == CTLR) {
            return (core.distributorGroupEnabled(InterruptGroup.GROUP0) ? 1 : 0)
                    | (core.distributorGroupEnabled(InterruptGroup.GROUP1) ? 2 : 0) | CTLR_ARE | CTLR_DS;
        }
        if (off == TYPER) {
            return typer();
        }
        if (off == IIDR_OFFSET) {
            return IIDR;
        }
        if (off == TYPER2 || off == STATUSR) {
            return 0;
        }
        if (off >= IGROUPR && off < ISENABLER) {
            return fields.readBits(InterruptRegisters.Bit.GROUP, 0, spi((off - IGROUPR) * 8));
        }
        if (off >= ISENABLER && off < ISPENDR) {
            return fields.readBits(InterruptRegisters.Bit.ENABLE, 0, spi((off & 0x7F) * 8));
        }
        if (off >= ISPENDR && off < ISACTIVER) {
            return fields.readBits(InterruptRegisters.Bit.PENDING, 0, spi((off & 0x7F) * 8));
        }
        if (off >= ISACTIVER && off < IPRIORITYR) {
            return fields.readBits(InterruptRegisters.Bit.ACTIVE, 0, spi((off & 0x7F) * 8));
        }
        if (off >= IPRIORITYR && off < ITARGETSR) {
            return fields.readPriorities(0, spi(off - IPRIORITYR), 4);
        }
        if (off >= ITARGETSR && off < ICFGR) {
            return 0;
        }
        if (off >= ICFGR && off < IGRPMODR) {
            return fields.readConfig(0, spi((off - ICFGR) * 4));
        }
        if ((off >= IGRPMODR && off < IGRPMODR + 0x80) || (off >= NSACR && off < NSACR + 0x100)
                || (off >= CPENDSGIR && off < SPENDSGIR_END)) {
            return 0;
        }
        if (off == SGIR) {
            GicRegisterAccess.writeOnly(errors, name, "GICD_SGIR");
            return 0;
        }
        if (IdRegisters.GICV3_DISTRIBUTOR.contains(off)) {
            return IdRegisters.GICV3_DISTRIBUTOR.read(off);
        }
        GicRegisterAccess.reservedRead(errors, name, off);
        return 0;
    }

    private void writeWord(int off, int value) {
        if (off == CTLR) {
            core.setDistributorGroupEnabled(InterruptGroup.GROUP0, (value & 1) != 0);
            core.setDistributorGroupEnabled(InterruptGroup.GROUP1, (value & 2) != 0);
            core.update();
        } else if (off == TYPER || off == IIDR_OFFSET || off == TYPER2) {
            GicRegisterAccess.readOnly(errors, name, off == TYPER ? "GICD_TYPER" : off == TYPER2 ? "GICD_TYPER2" : "GICD_IIDR", value);
        } else if (off == STATUSR) {
            return;
        } else if (off >= IGROUPR && off < ISENABLER) {
            fields.writeGroups(0, spi((off - IGROUPR) * 8), value);
        } else if (off >= ISENABLER && off < ICENABLER) {
            fields.setBits(InterruptRegisters.Bit.ENABLE, 0, spi((off - ISENABLER) * 8), value);
        } else if (off >= ICENABLER && off < ISPENDR) {
            fields.clearBits(InterruptRegisters.Bit.ENABLE, 0, spi((off - ICENABLER) * 8), value);
        } else if (off >= ISPENDR && off < ICPENDR) {
            fields.setBits(InterruptRegisters.Bit.PENDING, 0, spi((off - ISPENDR) * 8), value);
        } else if (off >= ICPENDR && off < ISACTIVER) {
            fields.clearBits(InterruptRegisters.Bit.PENDING, 0, spi((off - ICPENDR) * 8), value);
        } else if (off >= ISACTIVER && off < ICACTIVER) {
            fields.setBits(InterruptRegisters.Bit.ACTIVE, 0, spi((off - ISACTIVER) * 8), value);
        } else if (off >= ICACTIVER && off < IPRIORITYR) {
            fields.clearBits(InterruptRegisters.Bit.ACTIVE, 0, spi((off - ICACTIVER) * 8), value);
        } else if (off >= IPRIORITYR && off < ITARGETSR) {
            int first = off - IPRIORITYR;
            for (int i = 0; i < 4; i++) {
                fields.writePriorityNoUpdate(0, spi(first + i), (value >>> (8 * i)) & 0xFF);
            }
            core.update();
        } else if (off >= ICFGR && off < IGRPMODR) {
            fields.writeConfig(0, spi((off - ICFGR) * 4), value);
        } else if ((off >= ITARGETSR && off < ICFGR) || (off >= IGRPMODR && off < IGRPMODR + 0x80)
                || (off >= NSACR && off < NSACR + 0x100) || off == SGIR || (off >= CPENDSGIR && off < SPENDSGIR_END)) {
            return;
        } else if (IdRegisters.GICV3_DISTRIBUTOR.contains(off)) {
            GicRegisterAccess.readOnly(errors, name, String.format("ID register at 0x%04x", off), value);
        } else {
            GicRegisterAccess.reservedWrite(errors, name, off, value & 0xFFFF_FFFFL);
        }
    }

    private long readRouter(int intid) {
        if (intid < IntIds.FIRST_SPI || !core.bank().implemented(intid)) {
            return 0;
        }
        return core.affinityRouting().read(intid);
    }

    /** Replaces the bits of GICD_IROUTER{@code intid} under {@code mask} with {@code value}. */
    private void writeRouter(int intid, long mask, long value) {
        if (intid < IntIds.FIRST_SPI || !core.bank().implemented(intid)) {
            return;
        }
        AffinityRouting routes = core.affinityRouting();
        routes.write(intid, (routes.read(intid) & ~mask) | (value & mask));
        core.update();
    }
}
