package dev.aarvark.emulator.cpu;

import dev.aarvark.emulator.cpu.unicorn.Arm64Reg;
import dev.aarvark.emulator.cpu.unicorn.Unicorn;

/**
 * Architectural entry to an exception taken to EL1 from EL0 or EL1 (Arm ARM D1.10 "Exception
 * entry"), done in Java because libunicorn's hook for synchronous exceptions replaces QEMU's own
 * entry code (docs/libunicorn.md, "Exceptions and aborts").
 *
 * <p>Steps, in this order: bank the current SP (SP_EL0 if the exception comes from EL0 or EL1t,
 * SP_EL1 if from EL1h); write ELR_EL1 (preferred return address), ESR_EL1, FAR_EL1 (aborts only);
 * write PSTATE = EL1h with D, A, I, F set and IL, SS cleared, NZCV kept; write SPSR_EL1 = the old
 * PSTATE through {@code CP_REG}, which also makes libunicorn rebuild QEMU's cached hflags so the new
 * EL and MMU index take effect; switch SP to SP_EL1; jump to VBAR_EL1 + the vector offset (0x000
 * current EL with SP0, 0x200 current EL with SPx, 0x400 lower EL using AArch64, 0x600 lower EL
 * using AArch32; plus 0x000 synchronous, 0x080 IRQ, 0x100 FIQ, 0x180 SError).
 */
public final class ExceptionEntry {
    /** The four exception types and their offset within a vector group. */
    public enum Kind {
        SYNC(0x000), IRQ(0x080), FIQ(0x100), SERROR(0x180);

        private final int offset;

        Kind(int offset) {
            this.offset = offset;
        }

        public int offset() {
            return offset;
        }
    }

    /** "No FAR": the exception does not report a fault address. */
    public static final long NO_FAR = Long.MIN_VALUE + 1;

    private final Cpu cpu;
    private final Unicorn uc;

    public ExceptionEntry(Cpu cpu) {
        this.cpu = cpu;
        this.uc = cpu.engine();
    }

    /**
     * Takes an exception of {@code kind} to EL1.
     *
     * @param preferredReturn ELR_EL1: the faulting instruction for aborts, UNDEF and BRK; the next
     *                        instruction for SVC/HVC/SMC
     * @param esr             ESR_EL1 value
     * @param far             FAR_EL1 value, or {@link #NO_FAR} to leave FAR_EL1 unchanged
     */
    public void enter(Kind kind, long preferredReturn, long esr, long far) {
        long old = cpu.pstate();
        int fromEl = Pstate.el(old);
        boolean fromSpx = Pstate.spx(old);
        long vectorGroup;
        if (fromEl == 0) {
            vectorGroup = (old & Pstate.NRW) != 0 ? 0x600 : 0x400;
        } else {
            vectorGroup = fromSpx ? 0x200 : 0x000;
        }
        long currentSp = uc.reg(Arm64Reg.SP);
        long newSp;
        if (fromEl == 1 && fromSpx) {
            newSp = currentSp;
        } else {
            uc.setReg(Arm64Reg.SP_EL0, currentSp);
            newSp = uc.reg(Arm64Reg.SP_EL1);
        }
        uc.setReg(Arm64Reg.ELR_EL1, preferredReturn);
        uc.setReg(Arm64Reg.ESR_EL1, esr);
        if (far != NO_FAR) {
            uc.setReg(Arm64Reg.FAR_EL1, far);
        }
        long next = (old & Pstate.NZCV) | Pstate.DAIF | Pstate.EL1H;
        uc.setReg(Arm64Reg.PSTATE, next);
        // SPSR_EL1 is reachable only through CP_REG; the CP_REG write also rebuilds hflags.
        cpu.write(SysReg.SPSR_EL1, old & 0xffff_ffffL);
        uc.setReg(Arm64Reg.SP, newSp);
        uc.setReg(Arm64Reg.SP_EL1, newSp);
        long vbar = uc.reg(Arm64Reg.VBAR_EL1);
        cpu.setPc(vbar + vectorGroup + kind.offset());
    }
}
