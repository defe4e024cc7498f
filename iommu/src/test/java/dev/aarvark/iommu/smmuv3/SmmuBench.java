package dev.aarvark.iommu.smmuv3;

import dev.aarvark.iommu.BypassDmaSpace;
import dev.aarvark.iommu.DmaFaultRecord;
import dev.aarvark.iommu.DmaRequester;
import dev.aarvark.memory.GuestRam;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

import static dev.aarvark.iommu.smmuv3.SmmuV3.*;

/**
 * A test driver for {@link SmmuV3}: 16 MiB of RAM, the stream table, CD, page tables and queues a
 * guest driver would write, and helpers to issue commands and read events back. Each method does what
 * the spec tells a driver to do; the tests then check what the SMMU did.
 */
final class SmmuBench implements AutoCloseable {
    static final long RAM = 0x4000_0000L;
    static final long STRTAB = RAM + 0x10_0000, CMDQ = RAM + 0x11_0000, EVTQ = RAM + 0x12_0000, CD = RAM + 0x13_0000;
    static final long TABLES = RAM + 0x20_0000;
    static final int CMDQ_LOG2 = 4, EVTQ_LOG2 = 3, STRTAB_LOG2 = 4;
    static final DmaRequester WHO = DmaRequester.descriptor("virtio-net@a003e00", 0, 2, 3);

    // Stage-1 page descriptor bits (Arm ARM D5): valid page, AF, inner shareable, AttrIndx 0.
    static final long PAGE = 0b11 | 1L << 10 | 3L << 8;
    static final long AP_RO = 1L << 7, AP_EL0 = 1L << 6, NG = 1L << 11;

    final Arena arena = Arena.ofConfined();
    final GuestRam ram = GuestRam.allocate(arena, RAM, 16 << 20);
    final List<SmmuInterrupt> irqs = new ArrayList<>();
    final List<String> errors = new ArrayList<>();
    final List<DmaFaultRecord> faults = new ArrayList<>();
    final SmmuV3 smmu = new SmmuV3(ram, irqs::add, (kind, detail) -> errors.add(kind + ": " + detail));
    private long nextTable = TABLES;
    private int cmdProd;
    private int eventsRead;

    /** The DMA path of stream {@code sid}. */
    SmmuDmaSpace stream(int sid) {
        return new SmmuDmaSpace(smmu, sid, new BypassDmaSpace(ram, faults::add), faults::add);
    }

    void w32(int off, long v) {
        smmu.write(off, 4, v);
    }

    void w64(int off, long v) {
        smmu.write(off, 8, v);
    }

    long r32(int off) {
        return smmu.read(off, 4);
    }

    /** Queues, a linear stream table of 16 STEs (all V = 0), RECINVSID, interrupts on, then SMMUEN. */
    SmmuBench enable() {
        w64(CMDQ_BASE, CMDQ | CMDQ_LOG2);
        w32(CMDQ_PROD, 0);
        w32(CMDQ_CONS, 0);
        w64(EVENTQ_BASE, EVTQ | EVTQ_LOG2);
        w32(EVENTQ_PROD, 0);
        w32(EVENTQ_CONS, 0);
        w64(STRTAB_BASE, STRTAB);
        w32(STRTAB_BASE_CFG, STRTAB_LOG2);
        w32(CR2, CR2_RECINVSID);
        w32(IRQ_CTRL, IRQ_CTRL_GERROR_IRQEN | IRQ_CTRL_EVENTQ_IRQEN);
        w32(CR0, CR0_CMDQEN | CR0_EVENTQEN);
        cmd(CMD_CFGI_STE_RANGE, 31);
        cmd(CMD_TLBI_NSNH_ALL, 0);
        cmd(CMD_SYNC, 0);
        w32(CR0, CR0_CMDQEN | CR0_EVENTQEN | CR0_SMMUEN);
        return this;
    }

    /** Writes the first two doublewords of the STE of {@code sid} in the linear table. */
    void ste(int sid, long d0, long d1) {
        ram.writeLong(STRTAB + sid * 64L, d0);
        ram.writeLong(STRTAB + sid * 64L + 8, d1);
    }

    /** An STE that translates through the single CD at {@code cd}. */
    void stage1Ste(int sid, long cd) {
        ste(sid, 1 | 0b101 << 1 | cd, 0);
    }

    /** A CD: 48-bit VA through TTB0 (4 KB granule, TTB1 walks off), IPS 48, R and A set, MAIR attr 0 = Normal WB. */
    void cd(long at, int asid, long ttb0) {
        cd(at, asid, ttb0, 16 | 0L << 6);
    }

    /** A CD with the given T0SZ/TG0 bits (dword 0 [7:0]) and the rest as {@link #cd(long, int, long)}. */
    void cd(long at, int asid, long ttb0, long tcrBits) {
        long d0 = tcrBits | 1L << 30 /* EPD1 */ | 1L << 31 /* V */ | 5L << 32 /* IPS 48 */ | 1L << 41 /* AA64 */
                | 1L << 45 /* R */ | 1L << 46 /* A */ | (long) asid << 48;
        ram.writeLong(at, d0);
        ram.writeLong(at + 8, ttb0);
        ram.writeLong(at + 16, 0);
        ram.writeLong(at + 24, 0xff);
    }

    /** A zeroed, 4 KB-aligned table page. */
    long newTable() {
        long t = nextTable;
        nextTable += 4096;
        for (int i = 0; i < 4096; i += 8) {
            ram.writeLong(t + i, 0);
        }
        return t;
    }

    /** A 4-level, 4 KB granule map of {@code va} to {@code pa} with {@code attrs}, under the level-0 table {@code l0}. */
    long map(long l0, long va, long pa, long attrs) {
        long table = l0;
        for (int level = 0; level < 3; level++) {
            long at = table + ((va >>> (39 - 9 * level)) & 0x1ff) * 8;
            long d = ram.readLong(at);
            if ((d & 3) != 3) {
                d = newTable() | 3;
                ram.writeLong(at, d);
            }
            table = d & 0x0000_ffff_ffff_f000L;
        }
        long leaf = table + ((va >>> 12) & 0x1ff) * 8;
        ram.writeLong(leaf, pa | attrs);
        return leaf;
    }

    /** Puts one command in the queue and moves CMDQ_PROD past it (which runs it). */
    void cmd(long d0, long d1) {
        long at = CMDQ + (cmdProd & ((1 << CMDQ_LOG2) - 1)) * 16L;
        ram.writeLong(at, d0);
        ram.writeLong(at + 8, d1);
        cmdProd = (cmdProd + 1) & ((2 << CMDQ_LOG2) - 1);
        w32(CMDQ_PROD, cmdProd);
    }

    /** CMD_TLBI_NH_VA for {@code asid} and {@code va}, then CMD_SYNC. */
    void tlbiVa(int asid, long va) {
        cmd(CMD_TLBI_NH_VA | (long) asid << 48, va & ~0xfffL);
        cmd(CMD_SYNC, 0);
    }

    /** How many events the SMMU has produced that this driver has not read. */
    int pendingEvents() {
        int prod = (int) r32(EVENTQ_PROD) & ((2 << EVTQ_LOG2) - 1);
        int cons = (int) r32(EVENTQ_CONS) & ((2 << EVTQ_LOG2) - 1);
        return (prod - cons) & ((2 << EVTQ_LOG2) - 1);
    }

    /** Reads the next event and moves EVENTQ_CONS past it, as a driver does. */
    SmmuEvent nextEvent() {
        int cons = (int) r32(EVENTQ_CONS);
        int idx = cons & ((1 << EVTQ_LOG2) - 1);
        long at = EVTQ + idx * 32L;
        SmmuEvent e = SmmuEvent.decode(ram.readLong(at), ram.readLong(at + 8), ram.readLong(at + 16), ram.readLong(at + 24));
        w32(EVENTQ_CONS, (cons & Q_OVERFLOW) | (((cons & ((2 << EVTQ_LOG2) - 1)) + 1) & ((2 << EVTQ_LOG2) - 1)));
        eventsRead++;
        return e;
    }

    @Override
    public void close() {
        arena.close();
    }
}
