package dev.aarvark.emulator.cpu;

import dev.aarvark.emulator.cpu.decode.Hint;
import dev.aarvark.emulator.cpu.decode.MoveSysReg;
import dev.aarvark.emulator.cpu.decode.MsrImmediate;
import dev.aarvark.emulator.cpu.decode.SysOp;
import dev.aarvark.emulator.cpu.decode.SysRegKey;
import dev.aarvark.emulator.cpu.decode.SystemAccessSyndrome;
import dev.aarvark.emulator.cpu.decode.SystemInsn;
import dev.aarvark.emulator.cpu.semihosting.Semihosting;
import dev.aarvark.emulator.cpu.sysreg.SystemRegisterTable;
import dev.aarvark.emulator.run.RunControl;

/**
 * Everything libunicorn reports as "undefined instruction" (intno 1): semihosting calls, emulated
 * system registers, and the instructions the architecture traps with a more specific syndrome than
 * "unknown". libunicorn loses QEMU's syndrome for all of these, so this class recomputes it,
 * following what QEMU 7.2 delivers for the same instruction and state:
 * <ol>
 *   <li>a misaligned PC: PC alignment fault (EC 0x22, FAR = PC);</li>
 *   <li>PSTATE.IL set: illegal execution state (EC 0x0E);</li>
 *   <li>{@code HLT #0xF000} with semihosting on: the semihosting call;</li>
 *   <li>MRS/MSR of a register in the {@link SystemRegisterTable} on the UNDEF path (the GICv3
 *   ICC_* registers), when accessible: emulated, then the PC steps over it;</li>
 *   <li>SIMD/FP instructions while CPACR_EL1.FPEN traps them: EC 0x07 (ISS CV=1, COND=0xE, as QEMU);</li>
 *   <li>at EL0, the system instructions and registers whose EL0 access SCTLR_EL1 (UCT, DZE, UCI, UMA)
 *   or CNTKCTL_EL1 controls: EC 0x18 with the MRS/MSR/SYS syndrome; WFI/WFE with SCTLR_EL1.nTWI/nTWE
 *   clear: EC 0x01;</li>
 *   <li>anything else: unknown reason (EC 0x00), ELR = the instruction.</li>
 * </ol>
 */
public final class UndefinedInstructionHandler {
    /** {@code HLT #0xF000}, the A64 semihosting trap. */
    public static final int HLT_SEMIHOSTING = 0xd45e0000;

    private static final long SCTLR_UMA = 1L << 9;
    private static final long SCTLR_DZE = 1L << 14;
    private static final long SCTLR_UCT = 1L << 15;
    private static final long SCTLR_NTWI = 1L << 16;
    private static final long SCTLR_NTWE = 1L << 18;
    private static final long SCTLR_UCI = 1L << 26;

    private final Cpu cpu;
    private final SystemRegisterTable sysregs;
    private final Semihosting semihosting;
    private final RunControl control;

    /** @param semihosting the service, or null when {@code --semihosting} is off */
    public UndefinedInstructionHandler(Cpu cpu, SystemRegisterTable sysregs, Semihosting semihosting, RunControl control) {
        this.cpu = cpu;
        this.sysregs = sysregs;
        this.semihosting = semihosting;
        this.control = control;
    }

    void handle(long pc, SyncExceptionHandler out) {
        if ((pc & 3) != 0) {
            out.deliver(pc, Esr.of(Esr.EC_PC_ALIGN, 0), pc);
            return;
        }
        long pstate = cpu.pstate();
        if ((pstate & Pstate.IL) != 0) {
            out.deliver(pc, Esr.of(Esr.EC_ILLEGAL_STATE, 0), ExceptionEntry.NO_FAR);
            return;
        }
        long raw = cpu.fetchInstruction(pc);
        if (raw == Cpu.NO_INSTRUCTION) {
            out.deliverUndefined(pc);
            return;
        }
        int insn = (int) raw;
        if (insn == HLT_SEMIHOSTING && semihosting != null) {
            out.count(SyncExceptionHandler.Counter.SEMIHOSTING);
            boolean done = semihosting.call(cpu);
            if (!control.exitRequested()) {
                // Not after SYS_EXIT: a PC write would cancel the stop (see RunControl). A console
                // write without room is made again: the PC stays on the HLT.
                cpu.setPc(done ? pc + 4 : pc);
            }
            return;
        }
        int el = Pstate.el(pstate);
        SystemInsn sys = SystemInsn.decode(insn);
        if (sys instanceof MoveSysReg m) {
            SystemRegisterTable.Entry e = sysregs.lookup(m.key().packed());
            if (e != null && e.path() == SystemRegisterTable.Path.UNDEF_TRAP && e.handler().accessible(cpu, m.read())) {
                out.count(SyncExceptionHandler.Counter.SYSREG_TRAP);
                if (m.read()) {
                    cpu.setX(m.rt(), e.handler().read(cpu));
                } else {
                    e.handler().write(cpu, cpu.x(m.rt()));
                }
                cpu.setPc(pc + 4);
                return;
            }
        }
        if (isSimdFp(insn, sys) && fpTrapped(el)) {
            // QEMU's syn_fp_access_trap(1, 0xe, false): CV = 1, COND = 0b1110.
            out.deliver(pc, Esr.of(Esr.EC_FP_ACCESS, (1 << 24) | (0xe << 20)), ExceptionEntry.NO_FAR);
            return;
        }
        if (el == 0) {
            long sctlr = cpu.read(SysReg.SCTLR_EL1);
            if (sys instanceof Hint h && (h.isWfi() || h.isWfe())) {
                boolean trapped = h.isWfi() ? (sctlr & SCTLR_NTWI) == 0 : (sctlr & SCTLR_NTWE) == 0;
                if (trapped) {
                    // QEMU's syn_wfx(1, 0xe, ti, false): CV = 1, COND = 0b1110, TI = 1 for WFE.
                    out.deliver(pc, Esr.of(Esr.EC_WFX, (1 << 24) | (0xe << 20) | (h.isWfe() ? 1 : 0)),
                            ExceptionEntry.NO_FAR);
                    return;
                }
            }
            if (el0SysregTrap(sys, sctlr)) {
                out.deliver(pc, Esr.of(Esr.EC_SYSREG, sysregTrapIss(sys)), ExceptionEntry.NO_FAR);
                return;
            }
        }
        out.deliverUndefined(pc);
    }

    /**
     * The EC 0x18 ISS for a trapped instruction. MSR DAIFSet/DAIFClr (immediate) reports op0 = 0,
     * CRn = 4, CRm = the immediate, Rt = 31, as QEMU's {@code syn_aa64_sysregtrap} call does.
     */
    private static int sysregTrapIss(SystemInsn sys) {
        return switch (sys) {
            case MoveSysReg m -> m.iss();
            case SysOp o -> o.iss();
            case MsrImmediate i -> SystemAccessSyndrome.iss(new SysRegKey(0, i.op1(), 4, i.crm(), i.op2()), 31, false);
            default -> 0;
        };
    }

    /** CPACR_EL1.FPEN: 0b01 traps EL0 only, 0b00 and 0b10 trap EL0 and EL1, 0b11 traps nothing. */
    private boolean fpTrapped(int el) {
        long fpen = (cpu.read(SysReg.CPACR_EL1) >>> 20) & 3;
        return switch ((int) fpen) {
            case 3 -> false;
            case 1 -> el == 0;
            default -> true;
        };
    }

    /**
     * A64 SIMD&FP instructions (Arm ARM C4.1): data processing with op0 = x111, loads/stores with
     * op0 = x1x0 and V = 1, and MRS/MSR of FPCR/FPSR.
     */
    static boolean isSimdFp(int insn, SystemInsn sys) {
        if ((insn & 0x0e00_0000) == 0x0e00_0000) {
            return true;
        }
        if ((insn & 0x0a00_0000) == 0x0800_0000 && (insn & (1 << 26)) != 0) {
            return true;
        }
        if (sys instanceof MoveSysReg m) {
            return m.op0() == 3 && m.op1() == 3 && m.crn() == 4 && m.crm() == 4 && (m.op2() == 0 || m.op2() == 1);
        }
        return false;
    }

    /** The EL0 accesses QEMU traps with EC 0x18 rather than UNDEFINED (its cp-reg access functions). */
    private boolean el0SysregTrap(SystemInsn sys, long sctlr) {
        if (sys instanceof MoveSysReg m) {
            int op0 = m.op0(), op1 = m.op1(), crn = m.crn(), crm = m.crm(), op2 = m.op2();
            if (op0 == 3 && op1 == 3 && crn == 0 && crm == 0 && op2 == 1) {
                return (sctlr & SCTLR_UCT) == 0; // CTR_EL0
            }
            if (op0 == 3 && op1 == 3 && crn == 4 && crm == 2 && op2 == 1) {
                return (sctlr & SCTLR_UMA) == 0; // DAIF
            }
            if (op0 == 3 && op1 == 3 && crn == 14) {
                return timerTrapped(crm, op2);
            }
            return false;
        }
        if (sys instanceof MsrImmediate i) {
            // MSR DAIFSet / DAIFClr at EL0 with SCTLR_EL1.UMA clear.
            return i.op1() == 3 && (i.op2() == 6 || i.op2() == 7) && (sctlr & SCTLR_UMA) == 0;
        }
        if (sys instanceof SysOp s && s.op1() == 3 && s.crn() == 7) {
            if (s.crm() == 4 && s.op2() == 1) {
                return (sctlr & SCTLR_DZE) == 0; // DC ZVA
            }
            boolean cacheOp = (s.crm() == 10 || s.crm() == 11 || s.crm() == 14) && s.op2() == 1 // DC CVAC/CVAU/CIVAC
                    || s.crm() == 5 && s.op2() == 1; // IC IVAU
            return cacheOp && (sctlr & SCTLR_UCI) == 0;
        }
        return false;
    }

    /** CNTKCTL_EL1: EL0PCTEN bit 0, EL0VCTEN bit 1, EL0VTEN bit 8, EL0PTEN bit 9. */
    private boolean timerTrapped(int crm, int op2) {
        long k = cpu.read(SysReg.CNTKCTL_EL1);
        if (crm == 0 && op2 == 0) {
            return (k & 3) == 0; // CNTFRQ_EL0: either counter enable permits it
        }
        if (crm == 0 && op2 == 1) {
            return (k & 1) == 0; // CNTPCT_EL0
        }
        if (crm == 0 && op2 == 2) {
            return (k & 2) == 0; // CNTVCT_EL0
        }
        if (crm == 2) {
            return (k & (1 << 9)) == 0; // CNTP_*
        }
        if (crm == 3) {
            return (k & (1 << 8)) == 0; // CNTV_*
        }
        return false;
    }
}
