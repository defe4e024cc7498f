package dev.aarvark.iommu.smmuv3;

import dev.aarvark.memory.PhysicalAccessException;
import dev.aarvark.memory.PhysicalMemory;
import dev.aarvark.memory.mmu.AccessKind;
import dev.aarvark.memory.mmu.Translation;
import dev.aarvark.memory.mmu.TranslationFault;
import dev.aarvark.memory.mmu.TranslationRegime;
import dev.aarvark.memory.mmu.Vmsav8Walker;
import dev.aarvark.memory.mmu.WalkResult;

import java.util.HashMap;
import java.util.Map;

/**
 * An Arm SMMUv3.1 (IHI 0070) with stage-1 translation only, at the register layout of QEMU's
 * {@code virt} board (page 0 and page 1, 0x20000 bytes).
 *
 * <p>What is there (the ID registers say so): AArch64 tables, 4 KB and 64 KB granules, 48-bit input
 * and output addresses, little-endian tables, 16-bit ASIDs, linear and 2-level stream tables (§5.2,
 * SIDSIZE 16), linear and 2-level CD tables (§5.4, SSIDSIZE 16), coherent access, wired interrupts,
 * terminate-only fault model. Not there: stage 2, ATS, PRI, MSIs, HTTU, stalls, range invalidation.
 *
 * <p>What it keeps true:
 * <ul>
 * <li>GBPA.ABORT is set at reset: until a driver enables the SMMU (or clears ABORT), every device
 * access is aborted (§6.3.14). With SMMUEN set, a stream reaches memory only as its STE says.</li>
 * <li>Commands run when the guest writes CMDQ_PROD (or enables the queue, or acknowledges a command
 * error), in order, until the queue is empty or a command fails; a failing command stops the queue
 * with CMDQ_CONS.ERR and SMMU_GERROR.CMDQ_ERR until the guest acknowledges it in GERRORN (§4, §7.1).</li>
 * <li>Events go to the event queue in the spec's format (§7.3); a full queue drops the event and
 * toggles EVENTQ_PROD.OVFLG (§7.4); nothing is held on the host.</li>
 * <li>Configuration (STE, CD) and translations are cached, and only the commands that invalidate them
 * on hardware do: CMD_CFGI_* for configuration, CMD_TLBI_* for the {@link Iotlb}.</li>
 * <li>Device transactions carry no attributes of their own: they are data accesses, privileged unless
 * the STE's PRIVCFG says unprivileged, without a SubstreamID.</li>
 * </ul>
 * Registers are 32 bits wide; 64-bit registers may be accessed as one 64-bit or two 32-bit accesses.
 * Called on the vCPU thread only (register accesses and device DMA alike).
 */
public final class SmmuV3 {
    /** The size of the register block: page 0 and page 1. */
    public static final long SIZE = 0x20000;

    // Register offsets (IHI 0070 §6.2 "SMMU programming interface register map").
    public static final int IDR0 = 0x00, IDR1 = 0x04, IDR2 = 0x08, IDR3 = 0x0c, IDR4 = 0x10, IDR5 = 0x14,
            IIDR = 0x18, AIDR = 0x1c, CR0 = 0x20, CR0ACK = 0x24, CR1 = 0x28, CR2 = 0x2c, STATUSR = 0x40,
            GBPA = 0x44, AGBPA = 0x48, IRQ_CTRL = 0x50, IRQ_CTRLACK = 0x54, GERROR = 0x60, GERRORN = 0x64,
            GERROR_IRQ_CFG0 = 0x68, GERROR_IRQ_CFG1 = 0x70, GERROR_IRQ_CFG2 = 0x74, STRTAB_BASE = 0x80,
            STRTAB_BASE_CFG = 0x88, CMDQ_BASE = 0x90, CMDQ_PROD = 0x98, CMDQ_CONS = 0x9c, EVENTQ_BASE = 0xa0,
            EVENTQ_IRQ_CFG0 = 0xb0, EVENTQ_IRQ_CFG1 = 0xb8, EVENTQ_IRQ_CFG2 = 0xbc;
    /** EVENTQ_PROD and EVENTQ_CONS are in page 1 (also answered at their page-0 offsets, as QEMU does). */
    public static final int EVENTQ_PROD = 0x100a8, EVENTQ_CONS = 0x100ac;

    public static final int CR0_SMMUEN = 1, CR0_PRIQEN = 1 << 1, CR0_EVENTQEN = 1 << 2, CR0_CMDQEN = 1 << 3;
    public static final int CR2_RECINVSID = 1 << 1;
    public static final int GBPA_UPDATE = 1 << 31, GBPA_ABORT = 1 << 20;
    public static final int IRQ_CTRL_GERROR_IRQEN = 1, IRQ_CTRL_EVENTQ_IRQEN = 1 << 2;
    public static final int GERROR_CMDQ_ERR = 1, GERROR_EVTQ_ABT_ERR = 1 << 2;
    public static final int CERROR_NONE = 0, CERROR_ILL = 1, CERROR_ABT = 2;
    /** EVENTQ_PROD.OVFLG and EVENTQ_CONS.OVACKFLG. */
    public static final int Q_OVERFLOW = 1 << 31;

    // Command opcodes (§4 "Commands").
    public static final int CMD_PREFETCH_CONFIG = 0x01, CMD_PREFETCH_ADDR = 0x02, CMD_CFGI_STE = 0x03,
            CMD_CFGI_STE_RANGE = 0x04, CMD_CFGI_CD = 0x05, CMD_CFGI_CD_ALL = 0x06, CMD_TLBI_NH_ALL = 0x10,
            CMD_TLBI_NH_ASID = 0x11, CMD_TLBI_NH_VA = 0x12, CMD_TLBI_NH_VAA = 0x13, CMD_TLBI_EL2_ALL = 0x20,
            CMD_TLBI_EL2_ASID = 0x21, CMD_TLBI_EL2_VA = 0x22, CMD_TLBI_EL2_VAA = 0x23, CMD_TLBI_S12_VMALL = 0x28,
            CMD_TLBI_S2_IPA = 0x2a, CMD_TLBI_NSNH_ALL = 0x30, CMD_SYNC = 0x46;

    /** log2 of the queue sizes SMMU_IDR1 offers (CMDQS, EVTQS) and of the stream/substream ID widths. */
    public static final int CMDQS = 10, EVTQS = 8, SIDSIZE = 16, SSIDSIZE = 16;
    /** Output (and input) address size in bits. */
    public static final int OAS_BITS = 48;

    /** IDR0: ST_LVL 2-level, TERM_MODEL, STALL_MODEL terminate-only, TTENDIAN LE, CD2L, ASID16, COHACC, TTF AArch64, S1P. */
    public static final int IDR0_VALUE = 1 << 27 | 1 << 26 | 1 << 24 | 2 << 21 | 1 << 19 | 1 << 12 | 1 << 4 | 2 << 2 | 1 << 1;
    /** IDR1: CMDQS, EVTQS, PRIQS 0, SSIDSIZE, SIDSIZE; tables and queues not preset. */
    public static final int IDR1_VALUE = CMDQS << 21 | EVTQS << 16 | SSIDSIZE << 6 | SIDSIZE;
    /** IDR5: GRAN64K, GRAN4K, OAS 48 bits (0b101). */
    public static final int IDR5_VALUE = 1 << 6 | 1 << 4 | 0b101;
    /** AIDR: SMMUv3.1. */
    public static final int AIDR_VALUE = 1;

    private static final long ADDR_51_6 = 0x000f_ffff_ffff_ffc0L;
    private static final long ADDR_51_5 = 0x000f_ffff_ffff_ffe0L;

    private final PhysicalMemory memory;
    private final SmmuInterrupts interrupts;
    private final SmmuGuestErrors errors;
    private final Vmsav8Walker walker = new Vmsav8Walker();
    private final Iotlb iotlb = new Iotlb();
    private final Map<Integer, StreamConfig> configs = new HashMap<>();
    private long configGeneration;

    private int cr0, cr1, cr2, gbpa = GBPA_ABORT, irqCtrl, gerror, gerrorn, gerrorIrqCfg1, gerrorIrqCfg2;
    private int strtabBaseCfg, cmdqProd, cmdqCons, eventqProd, eventqCons, eventqIrqCfg1, eventqIrqCfg2;
    private long gerrorIrqCfg0, strtabBase, cmdqBase, eventqBase, eventqIrqCfg0;
    private long eventsWritten, eventsLost;

    /**
     * @param memory     guest physical memory: where the SMMU reads its tables and queues and writes events
     * @param interrupts where its interrupt edges go
     * @param errors     where guest mistakes are reported
     */
    public SmmuV3(PhysicalMemory memory, SmmuInterrupts interrupts, SmmuGuestErrors errors) {
        this.memory = memory;
        this.interrupts = interrupts;
        this.errors = errors;
    }

    /** The guest physical memory the SMMU and the streams behind it reach. */
    public PhysicalMemory memory() {
        return memory;
    }

    /** The TLB (for tests and statistics). */
    public Iotlb iotlb() {
        return iotlb;
    }

    /** Events written to the event queue since reset. */
    public long eventsWritten() {
        return eventsWritten;
    }

    /** Events dropped: the queue was disabled, full or could not be written. */
    public long eventsLost() {
        return eventsLost;
    }

    /** Changes whenever a cached translation or configuration may have changed. */
    long generation() {
        return configGeneration + iotlb.generation();
    }

    // ---------------------------------------------------------------- registers

    /** A register read of {@code size} bytes (4, or 8 at an 8-byte aligned offset). */
    public long read(long offset, int size) {
        if (!widthOk(offset, size)) {
            errors.report(SmmuGuestError.BAD_WIDTH, size + "-byte read at 0x" + Long.toHexString(offset));
            return 0;
        }
        if (size == 8) {
            return (read32((int) offset) & 0xffff_ffffL) | (long) read32((int) offset + 4) << 32;
        }
        return read32((int) offset) & 0xffff_ffffL;
    }

    /** A register write of {@code size} bytes (4, or 8 at an 8-byte aligned offset: low word first). */
    public void write(long offset, int size, long value) {
        if (!widthOk(offset, size)) {
            errors.report(SmmuGuestError.BAD_WIDTH, size + "-byte write at 0x" + Long.toHexString(offset));
            return;
        }
        write32((int) offset, (int) value);
        if (size == 8) {
            write32((int) offset + 4, (int) (value >>> 32));
        }
    }

    private static boolean widthOk(long offset, int size) {
        return offset >= 0 && offset + size <= SIZE && (size == 4 || size == 8) && (offset & (size - 1)) == 0;
    }

    private static int lo(long v) {
        return (int) v;
    }

    private static int hi(long v) {
        return (int) (v >>> 32);
    }

    private static long setHalf(long reg, boolean high, int v) {
        return high ? (reg & 0xffff_ffffL) | (long) v << 32 : (reg & ~0xffff_ffffL) | (v & 0xffff_ffffL);
    }

    private int read32(int off) {
        int o = pageOneQueueOffset(off);
        return switch (o) {
            case IDR0 -> IDR0_VALUE;
            case IDR1 -> IDR1_VALUE;
            case IDR2, IDR3, IDR4, IIDR, STATUSR -> 0;
            case IDR5 -> IDR5_VALUE;
            case AIDR -> AIDR_VALUE;
            case CR0, CR0ACK -> cr0;
            case CR1 -> cr1;
            case CR2 -> cr2;
            case GBPA -> gbpa;
            case AGBPA -> 0;
            case IRQ_CTRL, IRQ_CTRLACK -> irqCtrl;
            case GERROR -> gerror;
            case GERRORN -> gerrorn;
            case GERROR_IRQ_CFG0 -> lo(gerrorIrqCfg0);
            case GERROR_IRQ_CFG0 + 4 -> hi(gerrorIrqCfg0);
            case GERROR_IRQ_CFG1 -> gerrorIrqCfg1;
            case GERROR_IRQ_CFG2 -> gerrorIrqCfg2;
            case STRTAB_BASE -> lo(strtabBase);
            case STRTAB_BASE + 4 -> hi(strtabBase);
            case STRTAB_BASE_CFG -> strtabBaseCfg;
            case CMDQ_BASE -> lo(cmdqBase);
            case CMDQ_BASE + 4 -> hi(cmdqBase);
            case CMDQ_PROD -> cmdqProd;
            case CMDQ_CONS -> cmdqCons;
            case EVENTQ_BASE -> lo(eventqBase);
            case EVENTQ_BASE + 4 -> hi(eventqBase);
            case EVENTQ_PROD & 0xffff -> eventqProd;
            case EVENTQ_CONS & 0xffff -> eventqCons;
            case EVENTQ_IRQ_CFG0 -> lo(eventqIrqCfg0);
            case EVENTQ_IRQ_CFG0 + 4 -> hi(eventqIrqCfg0);
            case EVENTQ_IRQ_CFG1 -> eventqIrqCfg1;
            case EVENTQ_IRQ_CFG2 -> eventqIrqCfg2;
            default -> {
                errors.report(SmmuGuestError.READ_UNKNOWN, "read of offset 0x" + Integer.toHexString(off));
                yield 0;
            }
        };
    }

    /** Page-1 EVENTQ_PROD/CONS map to their page-0 alias; any other page-1 offset stays out of range. */
    private static int pageOneQueueOffset(int off) {
        if (off == EVENTQ_PROD || off == EVENTQ_CONS) {
            return off & 0xffff;
        }
        return off;
    }

    private void write32(int off, int v) {
        int o = pageOneQueueOffset(off);
        switch (o) {
            case CR0 -> writeCr0(v);
            case CR1 -> cr1 = v & 0xfff;
            case CR2 -> cr2 = v & 0x7;
            case GBPA -> writeGbpa(v);
            case IRQ_CTRL -> irqCtrl = v & (IRQ_CTRL_GERROR_IRQEN | IRQ_CTRL_EVENTQ_IRQEN);
            case GERRORN -> writeGerrorn(v);
            case GERROR_IRQ_CFG0, GERROR_IRQ_CFG0 + 4 -> gerrorIrqCfg0 = setHalf(gerrorIrqCfg0, o != GERROR_IRQ_CFG0, v);
            case GERROR_IRQ_CFG1 -> gerrorIrqCfg1 = v;
            case GERROR_IRQ_CFG2 -> gerrorIrqCfg2 = v;
            case STRTAB_BASE, STRTAB_BASE + 4 -> {
                if (whileEnabled((cr0 & CR0_SMMUEN) != 0, "STRTAB_BASE", "SMMUEN")) {
                    strtabBase = setHalf(strtabBase, o != STRTAB_BASE, v) & (1L << 62 | ADDR_51_6);
                }
            }
            case STRTAB_BASE_CFG -> {
                if (whileEnabled((cr0 & CR0_SMMUEN) != 0, "STRTAB_BASE_CFG", "SMMUEN")) {
                    strtabBaseCfg = v & (3 << 16 | 0x1f << 6 | 0x3f);
                }
            }
            case CMDQ_BASE, CMDQ_BASE + 4 -> {
                if (whileEnabled((cr0 & CR0_CMDQEN) != 0, "CMDQ_BASE", "CMDQEN")) {
                    cmdqBase = setHalf(cmdqBase, o != CMDQ_BASE, v) & (1L << 62 | ADDR_51_5 | 0x1f);
                }
            }
            case CMDQ_PROD -> {
                cmdqProd = v & 0xfffff;
                processCommands();
            }
            case CMDQ_CONS -> {
                if (whileEnabled((cr0 & CR0_CMDQEN) != 0, "CMDQ_CONS", "CMDQEN")) {
                    cmdqCons = v & (0x7f << 24 | 0xfffff);
                }
            }
            case EVENTQ_BASE, EVENTQ_BASE + 4 -> {
                if (whileEnabled((cr0 & CR0_EVENTQEN) != 0, "EVENTQ_BASE", "EVENTQEN")) {
                    eventqBase = setHalf(eventqBase, o != EVENTQ_BASE, v) & (1L << 62 | ADDR_51_5 | 0x1f);
                }
            }
            case EVENTQ_PROD & 0xffff -> {
                if (whileEnabled((cr0 & CR0_EVENTQEN) != 0, "EVENTQ_PROD", "EVENTQEN")) {
                    eventqProd = v & (Q_OVERFLOW | 0xfffff);
                }
            }
            case EVENTQ_CONS & 0xffff -> eventqCons = v & (Q_OVERFLOW | 0xfffff);
            case EVENTQ_IRQ_CFG0, EVENTQ_IRQ_CFG0 + 4 -> eventqIrqCfg0 = setHalf(eventqIrqCfg0, o != EVENTQ_IRQ_CFG0, v);
            case EVENTQ_IRQ_CFG1 -> eventqIrqCfg1 = v;
            case EVENTQ_IRQ_CFG2 -> eventqIrqCfg2 = v;
            case IDR0, IDR1, IDR2, IDR3, IDR4, IDR5, IIDR, AIDR, CR0ACK, STATUSR, AGBPA, IRQ_CTRLACK, GERROR ->
                    errors.report(SmmuGuestError.WRITE_READ_ONLY, "write of 0x" + Integer.toHexString(v)
                            + " to read-only offset 0x" + Integer.toHexString(off));
            default -> errors.report(SmmuGuestError.WRITE_UNKNOWN, "write of 0x" + Integer.toHexString(v)
                    + " to offset 0x" + Integer.toHexString(off));
        }
    }

    /** True if the write may go ahead; reports it otherwise. */
    private boolean whileEnabled(boolean enabled, String reg, String enable) {
        if (enabled) {
            errors.report(SmmuGuestError.WRITE_WHILE_ENABLED, reg + " is read-only while CR0." + enable + " is set");
            return false;
        }
        return true;
    }

    private void writeCr0(int v) {
        // PRIQEN and ATSCHK are RES0: no PRI, no ATS. CR0ACK follows at once.
        int old = cr0;
        cr0 = v & (CR0_SMMUEN | CR0_EVENTQEN | CR0_CMDQEN);
        if (((old ^ cr0) & CR0_SMMUEN) != 0) {
            configGeneration++;
        }
        if ((cr0 & CR0_CMDQEN) != 0 && (old & CR0_CMDQEN) == 0) {
            processCommands();
        }
    }

    private void writeGbpa(int v) {
        // Only a write with Update set changes the fields; Update reads as 0 once done (at once here).
        if ((v & GBPA_UPDATE) != 0) {
            gbpa = v & (GBPA_ABORT | 3 << 18 | 3 << 16 | 3 << 12 | 3 << 10 | 3 << 8 | 0xf);
            configGeneration++;
        }
    }

    private void writeGerrorn(int v) {
        boolean cmdqErrWasActive = cmdqErrorActive();
        gerrorn = v & 0x1fd;
        if (cmdqErrWasActive && !cmdqErrorActive()) {
            processCommands();
        }
    }

    private boolean cmdqErrorActive() {
        return ((gerror ^ gerrorn) & GERROR_CMDQ_ERR) != 0;
    }

    private void raiseGlobalError(int bit) {
        if (((gerror ^ gerrorn) & bit) != 0) {
            return; // already active: the error is not raised again until acknowledged
        }
        gerror ^= bit;
        if ((irqCtrl & IRQ_CTRL_GERROR_IRQEN) != 0) {
            interrupts.pulse(SmmuInterrupt.GERROR);
        }
    }

    // ---------------------------------------------------------------- command queue

    private static int log2Size(long base, int max) {
        return Math.min((int) base & 0x1f, max);
    }

    private void processCommands() {
        if ((cr0 & CR0_CMDQEN) == 0 || cmdqErrorActive()) {
            return;
        }
        int log2 = log2Size(cmdqBase, CMDQS);
        int idxWrap = (2 << log2) - 1;
        int idx = (1 << log2) - 1;
        long base = cmdqBase & ADDR_51_5;
        int cons = cmdqCons & idxWrap;
        int prod = cmdqProd & idxWrap;
        while (cons != prod) {
            long at = base + (long) (cons & idx) * 16;
            int err;
            long d0 = 0;
            try {
                d0 = memory.readLong(at);
                long d1 = memory.readLong(at + 8);
                err = execute(d0, d1);
            } catch (PhysicalAccessException e) {
                err = CERROR_ABT;
                errors.report(SmmuGuestError.COMMAND_FETCH_ABORT, "command " + (cons & idx) + " at 0x"
                        + Long.toHexString(at) + " could not be read");
            }
            if (err != CERROR_NONE) {
                if (err == CERROR_ILL) {
                    errors.report(SmmuGuestError.ILLEGAL_COMMAND, "command " + (cons & idx) + " (opcode 0x"
                            + Long.toHexString(d0 & 0xff) + ") is not accepted: CMDQ_CONS.ERR = CERROR_ILL");
                }
                cmdqCons = (cmdqCons & ~idxWrap & ~(0x7f << 24)) | err << 24 | cons;
                raiseGlobalError(GERROR_CMDQ_ERR);
                return;
            }
            cons = (cons + 1) & idxWrap;
            cmdqCons = (cmdqCons & ~idxWrap) | cons;
        }
    }

    /** Runs one command; returns CERROR_NONE or the error code. */
    private int execute(long d0, long d1) {
        int op = (int) d0 & 0xff;
        int sid = (int) (d0 >>> 32);
        switch (op) {
            case CMD_PREFETCH_CONFIG, CMD_PREFETCH_ADDR -> { } // hints: nothing is prefetched
            case CMD_CFGI_STE, CMD_CFGI_CD, CMD_CFGI_CD_ALL -> {
                // A CD is cached with the STE that leads to it, so each drops the stream's configuration.
                configs.remove(sid);
                configGeneration++;
            }
            case CMD_CFGI_STE_RANGE -> {
                int range = (int) d1 & 0x1f;
                if (range == 31) {
                    configs.clear(); // CMD_CFGI_ALL
                } else {
                    long n = 1L << (range + 1);
                    long first = (sid & 0xffff_ffffL) & ~(n - 1);
                    configs.keySet().removeIf(s -> (s & 0xffff_ffffL) >= first && (s & 0xffff_ffffL) - first < n);
                }
                configGeneration++;
            }
            case CMD_TLBI_NH_ALL, CMD_TLBI_NSNH_ALL, CMD_TLBI_S12_VMALL -> iotlb.invalidateAll();
            case CMD_TLBI_NH_ASID -> iotlb.invalidateAsid((int) (d0 >>> 48) & 0xffff);
            case CMD_TLBI_NH_VA -> iotlb.invalidateVa((int) (d0 >>> 48) & 0xffff, d1 & ~0xfffL);
            case CMD_TLBI_NH_VAA -> iotlb.invalidateVa(-1, d1 & ~0xfffL);
            // No EL2 or stage-2 entries are ever made (no HYP, no S2P): nothing to invalidate.
            case CMD_TLBI_EL2_ALL, CMD_TLBI_EL2_ASID, CMD_TLBI_EL2_VA, CMD_TLBI_EL2_VAA, CMD_TLBI_S2_IPA -> { }
            case CMD_SYNC -> {
                int cs = (int) (d0 >>> 12) & 3;
                if (cs == 3) {
                    return CERROR_ILL;
                }
                // Everything before it is complete (commands run in order, at once). CS = SIG_IRQ
                // raises the wired CMD_SYNC interrupt (no MSIs); SIG_SEV and SIG_NONE need nothing.
                if (cs == 1) {
                    interrupts.pulse(SmmuInterrupt.CMDQ_SYNC);
                }
            }
            default -> {
                return CERROR_ILL;
            }
        }
        return CERROR_NONE;
    }

    // ---------------------------------------------------------------- event queue

    /** Writes {@code e} to the event queue (or drops it, as the spec says), then signals it. */
    void recordEvent(SmmuEvent e) {
        if ((cr0 & CR0_EVENTQEN) == 0 || ((gerror ^ gerrorn) & GERROR_EVTQ_ABT_ERR) != 0) {
            eventsLost++;
            return;
        }
        int log2 = log2Size(eventqBase, EVTQS);
        int idxWrap = (2 << log2) - 1;
        int idx = (1 << log2) - 1;
        int prod = eventqProd & idxWrap;
        int cons = eventqCons & idxWrap;
        if ((prod & idx) == (cons & idx) && prod != cons) {
            eventsLost++;
            if ((eventqProd & Q_OVERFLOW) == (eventqCons & Q_OVERFLOW)) {
                eventqProd ^= Q_OVERFLOW;
                errors.report(SmmuGuestError.EVENT_QUEUE_OVERFLOW, "event queue full: " + e.describe()
                        + " lost, EVENTQ_PROD.OVFLG toggled");
            }
            return;
        }
        long at = (eventqBase & ADDR_51_5) + (long) (prod & idx) * 32;
        long[] d = e.encode();
        if (!memory.isRam(at, 32)) {
            eventsLost++;
            errors.report(SmmuGuestError.EVENT_QUEUE_ABORT, "event queue entry at 0x" + Long.toHexString(at)
                    + " is not RAM: SMMU_GERROR.EVTQ_ABT_ERR");
            raiseGlobalError(GERROR_EVTQ_ABT_ERR);
            return;
        }
        for (int i = 0; i < 4; i++) {
            memory.writeLong(at + 8L * i, d[i]);
        }
        eventsWritten++;
        eventqProd = (eventqProd & Q_OVERFLOW) | ((prod + 1) & idxWrap);
        if ((irqCtrl & IRQ_CTRL_EVENTQ_IRQEN) != 0) {
            interrupts.pulse(SmmuInterrupt.EVENTQ);
        }
    }

    // ---------------------------------------------------------------- translation

    /** A stream's cached configuration: bypass ({@code regime == null}) or stage 1 through {@code cd}. */
    record StreamConfig(StreamTableEntry ste, ContextDescriptor cd, TranslationRegime regime, boolean terminate) {
    }

    /**
     * Where a transaction of stream {@code sid} to {@code iova} goes: the physical address, with the
     * mapping's extent in {@code out}: {@code out[0]} = how many bytes from {@code iova} the same
     * translation covers within its 4 KB page, {@code out[1]} = 1 if a write is allowed there.
     *
     * @throws SmmuAbort if the transaction is terminated (the event, if any, is already recorded)
     */
    long translate(int sid, long iova, boolean write, long[] out) {
        if ((cr0 & CR0_SMMUEN) == 0) {
            if ((gbpa & GBPA_ABORT) != 0) {
                throw new SmmuAbort("SMMU not enabled, GBPA.ABORT", "stream " + sid);
            }
            out[0] = 4096 - (iova & 0xfff);
            out[1] = 1;
            return iova;
        }
        StreamConfig c = config(sid);
        if (c.ste.config() == StreamTableEntry.Config.ABORT) {
            throw new SmmuAbort("STE.Config = abort", "stream " + sid);
        }
        if (c.terminate) {
            SmmuEvent e = new SmmuEvent(SmmuEventType.F_STREAM_DISABLED, sid, iova, !write, !c.ste.unprivileged(),
                    SmmuEvent.CLASS_IN, 0);
            recordEvent(e);
            throw new SmmuAbort("F_STREAM_DISABLED", "stream " + sid + ": STE.S1DSS = terminate for a transaction without a SubstreamID");
        }
        if (c.regime == null) {
            out[0] = 4096 - (iova & 0xfff);
            out[1] = 1;
            return iova;
        }
        boolean unprivileged = c.ste.unprivileged();
        AccessKind kind = write ? AccessKind.WRITE : AccessKind.READ;
        Translation t = iotlb.lookup(c.cd.asid(), iova);
        if (t == null) {
            long ttb = ((iova >>> 55) & 1) != 0 ? c.cd.ttb1() : c.cd.ttb0();
            if ((ttb >>> OAS_BITS) != 0) {
                throw translationFault(sid, iova, write, unprivileged, c.cd, SmmuEventType.F_ADDR_SIZE, 0, 0,
                        "level 0: TTB 0x" + Long.toHexString(ttb) + " beyond the output size");
            }
            WalkResult r = walker.walk(iova, kind, unprivileged, c.regime, memory);
            if (r instanceof TranslationFault f) {
                SmmuEventType type = switch (f.kind()) {
                    case TRANSLATION -> SmmuEventType.F_TRANSLATION;
                    case ADDRESS_SIZE -> SmmuEventType.F_ADDR_SIZE;
                    case ACCESS_FLAG -> SmmuEventType.F_ACCESS;
                    case PERMISSION -> SmmuEventType.F_PERMISSION;
                    case EXTERNAL_ABORT_ON_WALK -> SmmuEventType.F_WALK_EABT;
                };
                throw translationFault(sid, iova, write, unprivileged, c.cd, type, f.level(),
                        f.kind() == dev.aarvark.memory.mmu.FaultKind.EXTERNAL_ABORT_ON_WALK ? f.descriptorAddress() : 0,
                        f.describe());
            }
            t = (Translation) r;
            iotlb.insert(c.cd.asid(), iova, t);
        } else if (!t.permissions().allows(kind, unprivileged)) {
            throw translationFault(sid, iova, write, unprivileged, c.cd, SmmuEventType.F_PERMISSION, t.level(), 0,
                    "permission fault, level " + t.level() + " (the cached mapping allows " + t.permissions() + ")");
        }
        long offsetInMapping = iova & (t.size() - 1);
        out[0] = Math.min(4096 - (iova & 0xfff), t.size() - offsetInMapping);
        out[1] = t.permissions().allows(AccessKind.WRITE, unprivileged) ? 1 : 0;
        return t.mappingPa() | offsetInMapping;
    }

    private SmmuAbort translationFault(int sid, long iova, boolean write, boolean unprivileged, ContextDescriptor cd,
                                       SmmuEventType type, int level, long fetch, String what) {
        boolean recorded = cd.record() || type == SmmuEventType.F_WALK_EABT;
        if (recorded) {
            recordEvent(new SmmuEvent(type, sid, iova, !write, !unprivileged,
                    type == SmmuEventType.F_WALK_EABT ? SmmuEvent.CLASS_TT : SmmuEvent.CLASS_IN, fetch));
        }
        return new SmmuAbort(type.name(), "stream " + sid + ", ASID " + cd.asid() + ": " + what
                + (recorded ? "" : "; no event (CD.R = 0)"));
    }

    private StreamConfig config(int sid) {
        StreamConfig c = configs.get(sid);
        if (c == null) {
            c = fetchConfig(sid);
            configs.put(sid, c);
        }
        return c;
    }

    private SmmuAbort configError(SmmuEventType type, int sid, long fetch, String why) {
        recordEvent(new SmmuEvent(type, sid, 0, false, false, 0, fetch));
        return new SmmuAbort(type.name(), "stream " + sid + ": " + why);
    }

    private long readTable(long at, SmmuEventType onAbort, int sid, String what) {
        try {
            return memory.readLong(at);
        } catch (PhysicalAccessException e) {
            throw configError(onAbort, sid, at, what + " at 0x" + Long.toHexString(at) + " is not readable");
        }
    }

    private StreamConfig fetchConfig(int sid) {
        long steAt = steAddress(sid);
        StreamTableEntry ste;
        try {
            ste = StreamTableEntry.decode(readTable(steAt, SmmuEventType.F_STE_FETCH, sid, "STE"),
                    readTable(steAt + 8, SmmuEventType.F_STE_FETCH, sid, "STE"), SSIDSIZE, OAS_BITS);
        } catch (StreamTableEntry.IllegalEntry e) {
            throw configError(SmmuEventType.C_BAD_STE, sid, 0, "STE at 0x" + Long.toHexString(steAt) + ": " + e.getMessage());
        }
        if (ste.config() != StreamTableEntry.Config.STAGE1) {
            return new StreamConfig(ste, null, null, false);
        }
        if (ste.s1CdMax() != 0) {
            if (ste.s1Dss() == StreamTableEntry.S1DSS_TERMINATE) {
                return new StreamConfig(ste, null, null, true);
            }
            if (ste.s1Dss() == StreamTableEntry.S1DSS_BYPASS) {
                return new StreamConfig(ste, null, null, false);
            }
        }
        long cdAt = ste.s1ContextPtr();
        if (ste.s1CdMax() != 0 && ste.s1Fmt() != StreamTableEntry.S1FMT_LINEAR) {
            long l1 = readTable(cdAt, SmmuEventType.F_CD_FETCH, sid, "L1CD");
            if ((l1 & 1) == 0) {
                throw configError(SmmuEventType.C_BAD_CD, sid, 0, "L1CD 0 at 0x" + Long.toHexString(cdAt) + " has V = 0");
            }
            cdAt = l1 & 0x000f_ffff_ffff_f000L;
        }
        ContextDescriptor cd;
        try {
            cd = ContextDescriptor.decode(readTable(cdAt, SmmuEventType.F_CD_FETCH, sid, "CD"),
                    readTable(cdAt + 8, SmmuEventType.F_CD_FETCH, sid, "CD"),
                    readTable(cdAt + 16, SmmuEventType.F_CD_FETCH, sid, "CD"),
                    readTable(cdAt + 24, SmmuEventType.F_CD_FETCH, sid, "CD"), 16);
        } catch (ContextDescriptor.IllegalDescriptor e) {
            throw configError(SmmuEventType.C_BAD_CD, sid, 0, "CD at 0x" + Long.toHexString(cdAt) + ": " + e.getMessage());
        }
        return new StreamConfig(ste, cd, cd.regime(OAS_BITS), false);
    }

    /** The STE's address for {@code sid} (§5.2 linear and 2-level tables), or a C_BAD_STREAMID abort. */
    private long steAddress(int sid) {
        int log2 = Math.min(strtabBaseCfg & 0x3f, SIDSIZE);
        long base = strtabBase & ADDR_51_6;
        long s = sid & 0xffff_ffffL;
        if ((s >>> log2) != 0) {
            throw badStreamId(sid, "beyond the stream table's 2^" + log2 + " entries");
        }
        if (((strtabBaseCfg >>> 16) & 3) != 1) {
            return base + s * 64;
        }
        int split = Math.min((strtabBaseCfg >>> 6) & 0x1f, log2);
        long l1At = base + (s >>> split) * 8;
        long l1 = readTable(l1At, SmmuEventType.F_STE_FETCH, sid, "level-1 stream table descriptor");
        int span = (int) l1 & 0x1f;
        if (span == 0 || span > split + 1) {
            throw badStreamId(sid, "its level-1 descriptor at 0x" + Long.toHexString(l1At) + " has Span " + span);
        }
        long l2Index = s & ((1L << split) - 1);
        if ((l2Index >>> (span - 1)) != 0) {
            throw badStreamId(sid, "beyond the 2^" + (span - 1) + " STEs of its level-2 table");
        }
        return (l1 & ADDR_51_6) + l2Index * 64;
    }

    private SmmuAbort badStreamId(int sid, String why) {
        if ((cr2 & CR2_RECINVSID) != 0) {
            recordEvent(SmmuEvent.config(SmmuEventType.C_BAD_STREAMID, sid));
        }
        return new SmmuAbort("C_BAD_STREAMID", "stream " + sid + ": " + why
                + ((cr2 & CR2_RECINVSID) != 0 ? "" : "; no event (CR2.RECINVSID = 0)"));
    }
}
