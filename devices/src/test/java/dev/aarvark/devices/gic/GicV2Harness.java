package dev.aarvark.devices.gic;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.GuestError;

import java.util.ArrayList;
import java.util.List;

/**
 * A GICv2 as QEMU's {@code virt} has it, with {@code cpus} CPU interfaces wired to recording
 * outputs, and register shorthands for the distributor ({@code d}) and the CPU interface
 * ({@code c}) as seen from CPU {@link #current}.
 */
final class GicV2Harness {
    // Distributor offsets (IHI 0048B Table 4-1).
    static final int GICD_CTLR = 0x000;
    static final int GICD_TYPER = 0x004;
    static final int GICD_IIDR = 0x008;
    static final int GICD_IGROUPR = 0x080;
    static final int GICD_ISENABLER = 0x100;
    static final int GICD_ICENABLER = 0x180;
    static final int GICD_ISPENDR = 0x200;
    static final int GICD_ICPENDR = 0x280;
    static final int GICD_ISACTIVER = 0x300;
    static final int GICD_ICACTIVER = 0x380;
    static final int GICD_IPRIORITYR = 0x400;
    static final int GICD_ITARGETSR = 0x800;
    static final int GICD_ICFGR = 0xC00;
    static final int GICD_SGIR = 0xF00;
    static final int GICD_CPENDSGIR = 0xF10;
    static final int GICD_SPENDSGIR = 0xF20;
    static final int GICD_PIDR2 = 0xFE8;
    // CPU interface offsets (IHI 0048B Table 4-2).
    static final int GICC_CTLR = 0x00;
    static final int GICC_PMR = 0x04;
    static final int GICC_BPR = 0x08;
    static final int GICC_IAR = 0x0C;
    static final int GICC_EOIR = 0x10;
    static final int GICC_RPR = 0x14;
    static final int GICC_HPPIR = 0x18;
    static final int GICC_ABPR = 0x1C;
    static final int GICC_AIAR = 0x20;
    static final int GICC_AEOIR = 0x24;
    static final int GICC_AHPPIR = 0x28;
    static final int GICC_APR0 = 0xD0;
    static final int GICC_NSAPR0 = 0xE0;
    static final int GICC_IIDR = 0xFC;
    static final int GICC_DIR = 0x1000;

    final String name = "gicv2-test";
    final GuestErrorLog guestErrors = new GuestErrorLog();
    final List<RecordingSignals> cpu = new ArrayList<>();
    final GicCore core;
    final GicV2Distributor dist;
    final GicV2CpuInterface cpuif;
    int current;

    GicV2Harness() {
        this(1);
    }

    GicV2Harness(int cpus) {
        for (int i = 0; i < cpus; i++) {
            cpu.add(new RecordingSignals());
        }
        core = new GicCore(GicConfig.qemuVirtV2(cpus), cpu, guestErrors);
        dist = new GicV2Distributor(name + "-dist", core, () -> current);
        cpuif = new GicV2CpuInterface(name + "-cpu", core, () -> current);
    }

    int d(int offset) {
        return (int) dist.read(offset, 4);
    }

    void d(int offset, int value) {
        dist.write(offset, 4, value & 0xFFFF_FFFFL);
    }

    int c(int offset) {
        return (int) cpuif.read(offset, 4);
    }

    void c(int offset, int value) {
        cpuif.write(offset, 4, value & 0xFFFF_FFFFL);
    }

    RecordingSignals signals() {
        return cpu.get(current);
    }

    boolean irq() {
        return signals().irq;
    }

    boolean fiq() {
        return signals().fiq;
    }

    /** Minimal bring-up: distributor and CPU interface enabled for Group 0, PMR open, everything else at reset. */
    GicV2Harness enabled() {
        d(GICD_CTLR, 1);
        for (int i = 0; i < cpu.size(); i++) {
            int saved = current;
            current = i;
            c(GICC_PMR, 0xF0);
            c(GICC_CTLR, 1);
            current = saved;
        }
        return this;
    }

    /** Enables {@code intid} with {@code priority}, edge-triggered if {@code edge}. */
    void configure(int intid, int priority, boolean edge) {
        dist.write(GICD_IPRIORITYR + intid, 1, priority);
        int cfg = GICD_ICFGR + (intid / 16) * 4;
        int bit = 2 << (2 * (intid % 16));
        d(cfg, edge ? d(cfg) | bit : d(cfg) & ~bit);
        d(GICD_ISENABLER + (intid / 32) * 4, 1 << (intid % 32));
    }

    long errors(String device, GuestError kind) {
        return guestErrors.count(device, kind);
    }
}
