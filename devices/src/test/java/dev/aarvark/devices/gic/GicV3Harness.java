package dev.aarvark.devices.gic;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.GuestError;

import java.util.ArrayList;
import java.util.List;

/**
 * A GICv3 as QEMU's {@code virt} has it (224 SPIs, 5 priority bits), with {@code cpus}
 * redistributors and CPU interfaces wired to recording outputs, and register shorthands for the
 * distributor ({@code d}), a redistributor ({@code r}, offsets from RD_base; SGI_base registers
 * include the 0x10000) and the CPU interfaces.
 */
final class GicV3Harness {
    static final int GICD_CTLR = 0x0000;
    static final int GICD_TYPER = 0x0004;
    static final int GICD_IIDR = 0x0008;
    static final int GICD_IGROUPR = 0x0080;
    static final int GICD_ISENABLER = 0x0100;
    static final int GICD_ICENABLER = 0x0180;
    static final int GICD_ISPENDR = 0x0200;
    static final int GICD_ICPENDR = 0x0280;
    static final int GICD_ICACTIVER = 0x0380;
    static final int GICD_IPRIORITYR = 0x0400;
    static final int GICD_ITARGETSR = 0x0800;
    static final int GICD_ICFGR = 0x0C00;
    static final int GICD_IGRPMODR = 0x0D00;
    static final int GICD_IROUTER = 0x6000;
    static final int GICD_PIDR2 = 0xFFE8;
    static final int GICR_CTLR = 0x0000;
    static final int GICR_IIDR = 0x0004;
    static final int GICR_TYPER = 0x0008;
    static final int GICR_WAKER = 0x0014;
    static final int GICR_PIDR2 = 0xFFE8;
    static final int GICR_IGROUPR0 = 0x1_0080;
    static final int GICR_ISENABLER0 = 0x1_0100;
    static final int GICR_ICENABLER0 = 0x1_0180;
    static final int GICR_ISPENDR0 = 0x1_0200;
    static final int GICR_ICPENDR0 = 0x1_0280;
    static final int GICR_ISACTIVER0 = 0x1_0300;
    static final int GICR_ICACTIVER0 = 0x1_0380;
    static final int GICR_IPRIORITYR0 = 0x1_0400;
    static final int GICR_ICFGR0 = 0x1_0C00;
    static final int GICR_ICFGR1 = 0x1_0C04;
    static final int GICR_IGRPMODR0 = 0x1_0D00;

    final String name = "gicv3-test";
    final GuestErrorLog guestErrors = new GuestErrorLog();
    final List<RecordingSignals> cpu = new ArrayList<>();
    final GicCore core;
    final GicV3Distributor dist;
    final List<GicV3Redistributor> redist = new ArrayList<>();
    final List<GicV3CpuInterface> icc = new ArrayList<>();

    GicV3Harness() {
        this(1);
    }

    GicV3Harness(int cpus) {
        for (int i = 0; i < cpus; i++) {
            cpu.add(new RecordingSignals());
        }
        core = new GicCore(GicConfig.qemuVirtV3(cpus), cpu, guestErrors);
        dist = new GicV3Distributor(name + "-dist", core);
        for (int i = 0; i < cpus; i++) {
            redist.add(new GicV3Redistributor(name + "-redist" + i, core, i));
            icc.add(new GicV3CpuInterface(name + "-cpuif" + i, core, i));
        }
    }

    int d(int offset) {
        return (int) dist.read(offset, 4);
    }

    void d(int offset, int value) {
        dist.write(offset, 4, value & 0xFFFF_FFFFL);
    }

    int r(int offset) {
        return (int) redist.get(0).read(offset, 4);
    }

    void r(int offset, int value) {
        redist.get(0).write(offset, 4, value & 0xFFFF_FFFFL);
    }

    GicV3CpuInterface icc() {
        return icc.get(0);
    }

    RecordingSignals signals() {
        return cpu.get(0);
    }

    /** Linux's setup in short: distributor groups on, every interrupt in Group 1, PMR 0xF0, Group 1 enabled on every CPU. */
    GicV3Harness enabled() {
        d(GICD_CTLR, 0x3);
        for (int i = IntIds.FIRST_SPI; i < core.config().interruptLimit(); i += 32) {
            d(GICD_IGROUPR + i / 8, -1);
        }
        for (int i = 0; i < icc.size(); i++) {
            redist.get(i).write(GICR_IGROUPR0, 4, 0xFFFF_FFFFL);
            icc.get(i).writePmr(0xF0);
            icc.get(i).writeIgrpen1(1);
        }
        return this;
    }

    /** Enables {@code intid} with {@code priority} through the redistributor (private) or distributor (SPI). */
    void configure(int intid, int priority, boolean edge) {
        if (intid < IntIds.FIRST_SPI) {
            redist.get(0).write(GICR_IPRIORITYR0 + intid, 1, priority);
            if (intid >= IntIds.FIRST_PPI) {
                int bit = 2 << (2 * (intid - 16));
                r(GICR_ICFGR1, edge ? r(GICR_ICFGR1) | bit : r(GICR_ICFGR1) & ~bit);
            }
            r(GICR_ISENABLER0, 1 << intid);
        } else {
            dist.write(GICD_IPRIORITYR + intid, 1, priority);
            int cfg = GICD_ICFGR + (intid / 16) * 4;
            int bit = 2 << (2 * (intid % 16));
            d(cfg, edge ? d(cfg) | bit : d(cfg) & ~bit);
            d(GICD_ISENABLER + (intid / 32) * 4, 1 << (intid % 32));
        }
    }

    long errors(String device, GuestError kind) {
        return guestErrors.count(device, kind);
    }
}
