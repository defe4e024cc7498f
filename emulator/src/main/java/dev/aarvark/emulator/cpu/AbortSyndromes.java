package dev.aarvark.emulator.cpu;

import dev.aarvark.emulator.cpu.decode.DataAccess;
import dev.aarvark.emulator.cpu.decode.LoadStoreDecoder;
import dev.aarvark.emulator.cpu.decode.RegisterReader;
import dev.aarvark.memory.mmu.AccessKind;
import dev.aarvark.memory.mmu.FaultKind;
import dev.aarvark.memory.mmu.FaultStatus;
import dev.aarvark.memory.mmu.TranslationFault;
import dev.aarvark.memory.mmu.WalkResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Computes ESR_EL1 and FAR_EL1 for the aborts libunicorn reports without a syndrome
 * (docs/libunicorn.md, "Exceptions and aborts"): it decodes the faulting instruction for the address, size and
 * direction of the access, then re-walks the guest's stage-1 tables for the fault kind and level.
 *
 * <p>Arm ARM D13.2.37 (ESR_ELx, ISS for data and instruction aborts): EC 0x24/0x25 (data abort from
 * a lower / the same EL), 0x20/0x21 (instruction abort); ISS = DFSC/IFSC, WnR (bit 6), CM (bit 8),
 * EA (bit 9); ISV = 0, as QEMU reports for stage-1 aborts taken to EL1. FAR_EL1 is the address of
 * the first byte that faulted: for an access that crosses into a faulting page, the start of that
 * page.
 */
final class AbortSyndromes {
    private static final Logger LOG = LoggerFactory.getLogger(AbortSyndromes.class);

    /** An exception's syndrome and fault address. */
    record Syndrome(long esr, long far) {
    }

    private final Cpu cpu;
    private final RegisterReader regs;
    private final LoadStoreDecoder decoder = new LoadStoreDecoder();

    AbortSyndromes(Cpu cpu) {
        this.cpu = cpu;
        this.regs = new RegisterReader() {
            @Override
            public long x(int n) {
                return cpu.x(n);
            }

            @Override
            public long sp() {
                return cpu.sp();
            }
        };
    }

    Syndrome instructionAbort(long pc) {
        int el = cpu.el();
        int ec = el == 0 ? Esr.EC_IABT_LOWER : Esr.EC_IABT_SAME;
        WalkResult r = cpu.translate(pc, AccessKind.FETCH, el == 0);
        int iss;
        if (r instanceof TranslationFault f) {
            iss = f.fsc() | (f.kind() == FaultKind.EXTERNAL_ABORT_ON_WALK ? Esr.ISS_EA : 0);
        } else {
            // The walk succeeds but the fetch faulted: nothing is behind the physical address, a
            // synchronous external abort on the fetch. EA = 0, as QEMU 7.2 reports an unassigned
            // address (a decode error; ESR 0x86000010, measured by the ifetch guest).
            iss = FaultStatus.SYNCHRONOUS_EXTERNAL_ABORT;
        }
        return new Syndrome(Esr.of(ec, iss), pc);
    }

    /** The alignment SCTLR_EL1.A demands: each element's size (a pair's half, a vector element). */
    private static int naturalAlignment(DataAccess a) {
        int size = a.size();
        if (a.mnemonic().startsWith("LDP") || a.mnemonic().startsWith("STP") || a.mnemonic().startsWith("LDNP")
                || a.mnemonic().startsWith("STNP") || a.mnemonic().startsWith("LDXP") || a.mnemonic().startsWith("STXP")
                || a.mnemonic().startsWith("LDAXP") || a.mnemonic().startsWith("STLXP")) {
            size /= 2;
        }
        return Integer.highestOneBit(Math.max(1, Math.min(size, 16)));
    }

    Syndrome dataAbort(long pc) {
        int el = cpu.el();
        int ec = el == 0 ? Esr.EC_DABT_LOWER : Esr.EC_DABT_SAME;
        long insn = cpu.fetchInstruction(pc);
        DataAccess a = insn == Cpu.NO_INSTRUCTION ? null : decoder.decode((int) insn, pc, regs);
        if (a == null) {
            LOG.warn("data abort at PC 0x{} from an instruction that is not a memory access (0x{}); reporting a "
                    + "synchronous external abort", Long.toHexString(pc), Long.toHexString(insn));
            return new Syndrome(Esr.of(ec, FaultStatus.SYNCHRONOUS_EXTERNAL_ABORT | Esr.ISS_EA), 0);
        }
        int common = (a.wnr() ? Esr.ISS_WNR : 0) | (a.cacheMaintenance() ? Esr.ISS_CM : 0);
        boolean unprivileged = el == 0 || a.unprivileged();
        AccessKind kind = a.write() ? AccessKind.WRITE : AccessKind.READ;
        // Walk every page the access touches (for DC ZVA the whole block); FAR is the instruction's
        // address for a fault in its first page, else the start of the first faulting page.
        long start = a.accessStart();
        long end = start + Math.max(1, a.size());
        for (long page = start; Long.compareUnsigned(page, end) < 0; page = (page | 0xfff) + 1) {
            WalkResult r = cpu.translate(page, kind, unprivileged);
            if (r instanceof TranslationFault f) {
                int ea = f.kind() == FaultKind.EXTERNAL_ABORT_ON_WALK ? Esr.ISS_EA : 0;
                long far = page == start ? a.address() : page;
                return new Syndrome(Esr.of(ec, f.fsc() | common | ea), far);
            }
            if ((page | 0xfff) + 1 == 0) {
                break;
            }
        }
        // Translation succeeded: an alignment fault. Exclusives, atomics and acquire/release always
        // check; with SCTLR_EL1.A every access must be aligned to its size (libunicorn, being QEMU 5.0,
        // does not check Device-memory alignment).
        boolean alignmentCheck = (cpu.read(SysReg.SCTLR_EL1) & 2) != 0;
        int need = alignmentCheck ? Math.max(a.alignment(), naturalAlignment(a)) : a.alignment();
        if (need > 1 && (a.address() & (need - 1)) != 0) {
            return new Syndrome(Esr.of(ec, FaultStatus.ALIGNMENT | common), a.address());
        }
        // Neither: the access reached no memory (a physical address outside RAM that the board did not
        // map); report a synchronous external abort, as QEMU does for a failed bus transaction.
        return new Syndrome(Esr.of(ec, FaultStatus.SYNCHRONOUS_EXTERNAL_ABORT | Esr.ISS_EA | common), a.address());
    }
}
