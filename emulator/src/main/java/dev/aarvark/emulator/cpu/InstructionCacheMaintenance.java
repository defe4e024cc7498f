package dev.aarvark.emulator.cpu;

import dev.aarvark.emulator.cpu.unicorn.Unicorn;
import dev.aarvark.memory.GuestRam;
import dev.aarvark.memory.mmu.AccessKind;
import dev.aarvark.memory.mmu.Translation;
import dev.aarvark.memory.mmu.WalkResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 *   <li>{@code IC IVAU, Xt}: the virtual address is translated through the current EL's stage-1
 *       tables (as the architecture does for the operation), and the translated blocks holding
 *       code of the physical instruction-cache line ({@code CTR_EL0.IminLine}) are dropped. An
 *       address that does not translate, or is not RAM, changes nothing: QEMU treats every IC
 *       operation as a no-op and raises no fault, and so does aarvark.</li>
 *   <li>{@code IC IALLU}, {@code IC IALLUIS}: the translations of all of RAM are dropped.</li>
 * </ul>
 *
 * <p>The drop uses libunicorn's physical-range invalidation (the one its own store path uses), which
 * is safe inside a hook and keeps every other translation. Only the pinned library build exposes it
 * with a known signature; with another build, {@code IC IVAU} of an executable address falls back to
 * libunicorn's public virtual-range removal, and what cannot be honoured is logged once. The hook is
 * installed with {@link Unicorn#addIcMaintenanceHook}, whose native pre-filter keeps the other SYS
 * instructions (a million {@code DC ZVA} per Linux boot) out of Java.
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

    /** CTR_EL0 (Arm ARM D17.2.34): IminLine in bits [3:0], log2 of the line size in words. */
    private static final SysReg CTR_EL0 = new SysReg(3, 3, 0, 0, 1);

    private final Cpu cpu;
    private final GuestRam ram;
    private final Unicorn uc;
    private final long lineBytes;
    /** libunicorn's RAM address of guest RAM's first byte; -1 without physical invalidation. */
    private final long ramAddressBase;
    private long lineInvalidations;
    private long allInvalidations;
    private long ignored;
    private boolean warned;

    public InstructionCacheMaintenance(Cpu cpu, GuestRam ram) {
        this.cpu = cpu;
        this.ram = ram;
        this.uc = cpu.engine();
        this.lineBytes = 4L << (cpu.read(CTR_EL0) & 0xf);
        this.ramAddressBase = uc.canRemoveTranslationsByPhysical() ? uc.ramAddressOfHost(ram.segment()) : -1;
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
        }
        return false;
    }

    /** Drops the translations of the instruction-cache line holding virtual {@code va}. */
    public void invalidateLine(long va) {
        long line = va & -lineBytes;
        WalkResult r = cpu.translate(line, AccessKind.READ, cpu.el() == 0);
        if (!(r instanceof Translation t) || !ram.contains(t.pa(), lineBytes)) {
            ignored++;
            return;
        }
        lineInvalidations++;
        if (ramAddressBase >= 0) {
            uc.removeTranslationsOfRamAddress(ramAddressBase + (t.pa() - ram.base()), lineBytes);
        } else if (cpu.translate(line, AccessKind.FETCH, cpu.el() == 0) instanceof Translation) {
            uc.removeTranslations(line, line + lineBytes);
        } else {
            warnOnce("IC IVAU of a non-executable alias");
        }
    }

    /** Drops the translations of all of RAM. */
    public void invalidateAll() {
        allInvalidations++;
        if (ramAddressBase >= 0) {
            uc.removeTranslationsOfRamAddress(ramAddressBase, ram.size());
        } else {
            warnOnce("IC IALLU");
        }
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

    /** IC IVAU operations on addresses that did not translate to RAM (no-ops, as on QEMU). */
    public long ignored() {
        return ignored;
    }
}
