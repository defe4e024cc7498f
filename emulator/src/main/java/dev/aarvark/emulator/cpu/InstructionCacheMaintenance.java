package dev.aarvark.emulator.cpu;

import dev.aarvark.emulator.cpu.unicorn.SysInsnFilter;
import dev.aarvark.emulator.cpu.unicorn.Unicorn;
import dev.aarvark.memory.GuestRam;
import dev.aarvark.memory.mmu.AccessKind;
import dev.aarvark.memory.mmu.Translation;
import dev.aarvark.memory.mmu.WalkResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.LongSupplier;

/**
 * The instruction-cache maintenance instructions {@code IC IVAU}, {@code IC IALLU} and
 * {@code IC IALLUIS} (Arm ARM D7.5.9 "Instruction cache maintenance", C5.3 "A64 system
 * instructions for cache maintenance"), served by dropping libunicorn's translated code for what
 * the guest said it changed.
 *
 * <p>Why this is needed (docs/libunicorn.md, "Stale translated code"): libunicorn 2.1.1 checks a
 * store against translated code only while the store's TLB entry (a 1 KiB page in libunicorn) is
 * marked "not dirty"; the first such store invalidates the blocks it overlaps and clears the mark,
 * and the mark comes back only with a new TLB fill or a new block translated from that page. So
 * once a store has missed the code, every later store through that mapping, or through another
 * alias of the page, goes
 * unseen. The architecture gives the point where the guest must say which code it changed: before
 * it executes rewritten instructions it must invalidate them from the instruction cache (Arm ARM
 * B2.4.4 "Concurrent modification and execution of instructions", D7.5.9). Every well-behaved
 * guest (Linux loading modules, patching text or jump labels; seL4 loading ELF images) does so,
 * and so does a guest that lets a device DMA code into memory.
 *
 * <ul>
 *   <li>{@code IC IVAU, Xt}: the virtual address is translated through the EL1&amp;0 stage-1
 *       tables (as the architecture does for the operation; permissions are not checked, since an
 *       invalidation more is harmless), and the translated blocks holding code of the physical
 *       instruction-cache line ({@code CTR_EL0.IminLine}) are dropped. An address that does not
 *       translate, or is not RAM, changes nothing: QEMU treats every IC operation as a no-op and
 *       raises no fault, and so does aarvark.</li>
 *   <li>{@code IC IALLU}, {@code IC IALLUIS}: the translations of what may hold new code are
 *       dropped. That is all of RAM unless the architecture says which lines the guest changed:
 *       with this CPU's {@code CTR_EL0.IDC} = 0, a write made with the data cache on (SCTLR_EL1.M
 *       and C set) reaches instruction fetch only after the guest cleans it from the data cache
 *       by VA ({@code DC CVAU}, or a clean or invalidate to the point of coherency: {@code CVAC},
 *       {@code CIVAC}, {@code IVAC}, {@code CVAP}, {@code CVADP}; Arm ARM B2.4.4, D7.5.9). So
 *       while the data cache has stayed on since the previous {@code IC IALLU} and no set/way
 *       operation ran, only the lines so cleaned since then and not yet invalidated by
 *       {@code IC IVAU} ({@link CleanedLines}), and the pages host code wrote
 *       ({@link GuestRam#hostWrites()}: device DMA, semihosting), are dropped. Linux issues three
 *       boot-time {@code IC IALLU} after patching code (ftrace's 44,000 call sites, each cleaned
 *       and invalidated by VA; its alternatives, each cleaned with {@code DC CIVAC}); dropping all
 *       of RAM there made 24,300 blocks be translated again (docs/libunicorn.md, "Cost").</li>
 * </ul>
 *
 * <p>The drop uses libunicorn's physical-range invalidation (the one its own store path uses), which
 * is safe inside a hook and keeps every other translation. Only the pinned library build exposes it
 * with a known signature; with another build, {@code IC IVAU} of an executable address falls back to
 * libunicorn's public virtual-range removal, and what cannot be honoured is logged once. The hook is
 * installed with {@link Unicorn#addSysInsnHook} and the filter {@link #sysFilter()}, whose native
 * test keeps the other SYS instructions (a million {@code DC ZVA} per Linux boot) out of Java.
 *
 * <p>Like a TLB, it keeps the last page's translation: Linux invalidates code line by line, 64
 * lines to a page, tens of thousands of lines per boot. The kept translation is used only while
 * the {@code translationEpoch} given at construction is unchanged; it must change with every
 * event after which the architecture lets a TLB entry be stale no longer — every {@code TLBI}
 * (Arm ARM D8.13 "TLB maintenance") and every write of SCTLR_EL1, TCR_EL1, TTBR0_EL1 or TTBR1_EL1
 * ({@link #TRANSLATION_CONTROL}; counted by the MSR hook's filter, and {@link Cpu#sysRegWrites} for
 * Java's writes). Only successful translations are kept, as a TLB keeps no faults.
 *
 * <p>Runs on the vCPU thread, inside libunicorn's SYS-instruction hook; always lets the instruction
 * itself proceed (it is a no-op in libunicorn).
 */
public final class InstructionCacheMaintenance {
    private static final Logger LOG = LoggerFactory.getLogger(InstructionCacheMaintenance.class);

    /** {@code IC IALLUIS}: op0=1, op1=0, CRn=7, CRm=1, op2=0. */
    public static final int IC_IALLUIS = SysReg.key(1, 0, 7, 1, 0);
    /** {@code IC IALLU}: op0=1, op1=0, CRn=7, CRm=5, op2=0. */
    public static final int IC_IALLU = SysReg.key(1, 0, 7, 5, 0);
    /** {@code IC IVAU, Xt}: op0=1, op1=3, CRn=7, CRm=5, op2=1. */
    public static final int IC_IVAU = SysReg.key(1, 3, 7, 5, 1);

    /**
     * The data-cache operations by VA that make a line's writes visible to instruction fetch
     * (C5.3): DC IVAC, CVAC, CVAU, CIVAC, CVAP, CVADP. Not DC ZVA, which zeroes data.
     */
    static final int[] DC_BY_VA = {SysReg.key(1, 0, 7, 6, 1), SysReg.key(1, 3, 7, 10, 1), SysReg.key(1, 3, 7, 11, 1),
            SysReg.key(1, 3, 7, 14, 1), SysReg.key(1, 3, 7, 12, 1), SysReg.key(1, 3, 7, 13, 1)};
    /** DC ISW, CSW, CISW: by set/way, so of no address aarvark can know. */
    static final int[] DC_BY_SET_WAY = {SysReg.key(1, 0, 7, 6, 2), SysReg.key(1, 0, 7, 10, 2), SysReg.key(1, 0, 7, 14, 2)};

    /** SCTLR_EL1.M (stage 1 on) and C (data cacheable): both set, data writes are cached. */
    private static final long SCTLR_M_C = 0b101;
    /** CTR_EL0.IDC: data cleaning is not required for instruction-to-data coherence. */
    private static final long CTR_IDC = 1L << 28;

    /**
     * The registers whose write changes the EL1&amp;0 stage-1 translation (Arm ARM D8.2): what an
     * MSR filter counts for the {@code translationEpoch}.
     */
    public static final List<SysReg> TRANSLATION_CONTROL =
            List.of(SysReg.SCTLR_EL1, SysReg.TCR_EL1, SysReg.TTBR0_EL1, SysReg.TTBR1_EL1);

    /**
     * The SYS-hook filter: the IC operations reach Java; every TLBI (op0 = 1, CRn = 8; Arm ARM
     * C5.5, "A64 system instructions for TLB maintenance") is counted.
     */
    public static SysInsnFilter sysFilter() {
        SysInsnFilter f = new SysInsnFilter().pass(IC_IVAU).pass(IC_IALLU).pass(IC_IALLUIS);
        for (int key : DC_BY_VA) {
            f.pass(key);
        }
        for (int key : DC_BY_SET_WAY) {
            f.pass(key);
        }
        for (int op1 = 0; op1 < 8; op1++) {
            for (int crm = 0; crm < 16; crm++) {
                for (int op2 = 0; op2 < 8; op2++) {
                    f.count(SysReg.key(1, op1, 8, crm, op2));
                }
            }
        }
        return f;
    }

    /** CTR_EL0 (Arm ARM D17.2.34): IminLine in bits [3:0], log2 of the line size in words. */
    private static final SysReg CTR_EL0 = new SysReg(3, 3, 0, 0, 1);
    /** The kept translation covers one 4 KiB page, the smallest granule. */
    private static final int PAGE_SHIFT = 12;
    private static final long PAGE_MASK = (1L << PAGE_SHIFT) - 1;

    private final Cpu cpu;
    private final GuestRam ram;
    private final Unicorn uc;
    private final long lineBytes;
    /** libunicorn's RAM address of guest RAM's first byte; -1 without physical invalidation. */
    private final long ramAddressBase;
    /** Changes whenever a kept translation may be stale; null: translations are never kept. */
    private final LongSupplier translationEpoch;
    private long keptVaPage = -1;
    private long keptPaPage;
    private long keptEpoch;
    /** False when SCTLR_EL1 writes are not seen ({@link #onSctlrWrite}): every IALLU drops all. */
    private final boolean narrowAllowed;
    /** Lines cleaned by VA and not invalidated by IC IVAU since the last IC IALLU. */
    private final CleanedLines cleaned;
    /** The data cache was off, or a set/way operation ran, since the last IC IALLU. */
    private boolean wholeRamSuspect = true;
    private long lineInvalidations;
    private long allInvalidations;
    private long narrowedInvalidations;
    private long linesDropped;
    private long ignored;
    private boolean warned;

    /**
     * @param translationEpoch a count that changes with every TLBI and every write of a
     *     {@link #TRANSLATION_CONTROL} register, or null if no such count is available (then every
     *     {@code IC IVAU} walks the tables)
     * @param seesSctlrWrites true if every guest write of SCTLR_EL1 is reported to
     *     {@link #onSctlrWrite}; only then may {@code IC IALLU} drop less than all of RAM
     */
    public InstructionCacheMaintenance(Cpu cpu, GuestRam ram, LongSupplier translationEpoch, boolean seesSctlrWrites) {
        this.cpu = cpu;
        this.translationEpoch = translationEpoch;
        this.ram = ram;
        this.uc = cpu.engine();
        this.lineBytes = 4L << (cpu.read(CTR_EL0) & 0xf);
        this.ramAddressBase = uc.canRemoveTranslationsByPhysical() ? uc.ramAddressOfHost(ram.segment()) : -1;
        this.cleaned = new CleanedLines(ram.size());
        this.narrowAllowed = seesSctlrWrites && (cpu.read(CTR_EL0) & CTR_IDC) == 0;
    }

    /**
     * The SYS-instruction hook: serves the IC operations, ignores every other SYS instruction.
     * Always returns false (the instruction itself runs natively).
     */
    public boolean onSys(int reg, int key, long value) {
        if (key == IC_IVAU) {
            invalidateLine(value);
        } else if (key == IC_IALLU || key == IC_IALLUIS) {
            invalidateAll();
        } else if (isOneOf(key, DC_BY_VA)) {
            dataLineCleaned(value);
        } else if (isOneOf(key, DC_BY_SET_WAY)) {
            wholeRamSuspect = true;
        }
        return false;
    }

    private static boolean isOneOf(int key, int[] keys) {
        for (int k : keys) {
            if (k == key) {
                return true;
            }
        }
        return false;
    }

    /**
     * A guest write of SCTLR_EL1 (before it takes effect): turning stage 1 or the data cache off
     * means later writes need no cleaning to reach instruction fetch, so the next {@code IC IALLU}
     * drops all of RAM.
     */
    public void onSctlrWrite(long value) {
        if ((value & SCTLR_M_C) != SCTLR_M_C) {
            wholeRamSuspect = true;
        }
    }

    /** A data-cache clean or invalidate by VA of the line holding {@code va}. */
    private void dataLineCleaned(long va) {
        long pa = physicalLine(va & -64L);
        if (pa != -1 && ram.contains(pa, 1)) {
            cleaned.add(pa - ram.base());
        }
    }

    /** Drops the translations of the instruction-cache line holding virtual {@code va}. */
    public void invalidateLine(long va) {
        long line = va & -lineBytes;
        long pa = physicalLine(line);
        if (pa == -1 || !ram.contains(pa, lineBytes)) {
            ignored++;
            return;
        }
        lineInvalidations++;
        cleaned.remove(pa - ram.base());
        if (ramAddressBase >= 0) {
            uc.removeTranslationsOfRamAddress(ramAddressBase + (pa - ram.base()), lineBytes);
        } else if (cpu.translate(line, AccessKind.FETCH, cpu.el() == 0) instanceof Translation) {
            uc.removeTranslations(line, line + lineBytes);
        } else {
            warnOnce("IC IVAU of a non-executable alias");
        }
    }

    /** The physical address of the line at virtual {@code line}, or -1 if it does not translate. */
    private long physicalLine(long line) {
        long page = line >>> PAGE_SHIFT;
        long epoch = translationEpoch != null ? translationEpoch.getAsLong() : 0;
        if (translationEpoch != null && page == keptVaPage && epoch == keptEpoch) {
            return keptPaPage | (line & PAGE_MASK);
        }
        WalkResult r = cpu.translate(line, AccessKind.READ, false);
        if (!(r instanceof Translation t)) {
            keptVaPage = -1;
            return -1;
        }
        keptVaPage = page;
        keptPaPage = t.pa() & ~PAGE_MASK;
        keptEpoch = epoch;
        return t.pa();
    }

    /**
     * {@code IC IALLU}: drops the translations of every page that may hold code the guest or a
     * device changed since the previous one (all of RAM unless the rules in the class comment say
     * less).
     */
    public void invalidateAll() {
        allInvalidations++;
        if (ramAddressBase < 0) {
            warnOnce("IC IALLU");
            return;
        }
        boolean cachesOn = (cpu.read(SysReg.SCTLR_EL1) & SCTLR_M_C) == SCTLR_M_C;
        if (!narrowAllowed || wholeRamSuspect || !cachesOn || cpu.el() > 1) {
            uc.removeTranslationsOfRamAddress(ramAddressBase, ram.size());
            linesDropped += ram.size() >>> CleanedLines.LINE_SHIFT;
            ram.hostWrites().clear();
            cleaned.clear();
        } else {
            narrowedInvalidations++;
            ram.hostWrites().take(page -> {
                drop(page << PAGE_SHIFT, 1L << PAGE_SHIFT);
                linesDropped += 1L << (PAGE_SHIFT - CleanedLines.LINE_SHIFT);
            });
            linesDropped += cleaned.drain(this::drop);
        }
        wholeRamSuspect = !cachesOn;
    }

    private void warnOnce(String what) {
        if (!warned) {
            warned = true;
            LOG.warn("{} cannot be honoured with {} (not the pinned libunicorn build): the guest may run stale "
                    + "translated code after rewriting it", what, uc.library().path());
        }
    }

    /** IC IVAU operations that dropped a line's translations. */
    public long lineInvalidations() {
        return lineInvalidations;
    }

    /** IC IALLU/IALLUIS operations. */
    public long allInvalidations() {
        return allInvalidations;
    }

    /** IC IALLU/IALLUIS operations that dropped only the pages cleaned or written since the last. */
    public long narrowedInvalidations() {
        return narrowedInvalidations;
    }

    /**
     * 64-byte lines whose translations IC IALLU/IALLUIS dropped in all (a page host code wrote
     * counts as its 64 lines).
     */
    public long linesDropped() {
        return linesDropped;
    }

    /** Drops the translations of {@code [offset, offset + length)} from RAM's base. */
    private void drop(long offset, long length) {
        uc.removeTranslationsOfRamAddress(ramAddressBase + offset, length);
    }

    /** IC IVAU operations on addresses that did not translate to RAM (no-ops, as on QEMU). */
    public long ignored() {
        return ignored;
    }
}
