package dev.aarvark.emulator.cpu;

import dev.aarvark.emulator.cpu.unicorn.Arm64Reg;

/**
 * The CPU state a guest of the {@code virt} board starts in (docs/libunicorn.md, "CPU models and reset state"; QEMU's
 * direct kernel boot): non-secure EL1h with D, A, I, F masked and the MMU off, and the EL2/EL3
 * controls set so that guest ERETs to EL1 are legal (SCR_EL3.RW, HCR_EL2.RW) and interrupts can be
 * injected as virtual IRQ/FIQ (HCR_EL2.IMO/FMO). EL2 and EL3 run no software; they exist only
 * because libunicorn's CPU models implement them.
 */
public final class ResetState {
    /** SCR_EL3: NS (bit 0), HCE (bit 8, so HVC reaches the hook), RW (bit 10, EL2 is AArch64). */
    public static final long SCR_EL3 = (1L) | (1L << 8) | (1L << 10);
    /** HCR_EL2: RW (bit 31, EL1 is AArch64), IMO (bit 4) and FMO (bit 3), so VI/VF drive IRQ/FIQ. */
    public static final long HCR_EL2 = (1L << 31) | (1L << 4) | (1L << 3);
    /** CNTHCTL_EL2: EL1PCTEN and EL1PCEN, so EL1 may use the physical counter and timer untrapped. */
    public static final long CNTHCTL_EL2 = 3;

    private static final SysReg CNTHCTL = new SysReg(3, 4, 14, 1, 0);

    private ResetState() {}

    /** Puts the CPU in the boot state with PC = {@code entry} and X0..X3 = {@code x}. */
    public static void apply(Cpu cpu, long entry, long x0, long x1, long x2, long x3) {
        cpu.write(SysReg.SCR_EL3, SCR_EL3);
        cpu.write(SysReg.HCR_EL2, HCR_EL2);
        cpu.write(CNTHCTL, CNTHCTL_EL2);
        cpu.engine().setReg(Arm64Reg.PSTATE, Pstate.DAIF | Pstate.EL1H);
        // Any CP_REG write makes libunicorn rebuild its cached hflags, so the EL change takes effect.
        cpu.write(SysReg.VBAR_EL1, 0);
        cpu.setX(0, x0);
        cpu.setX(1, x1);
        cpu.setX(2, x2);
        cpu.setX(3, x3);
        cpu.setPc(entry);
    }
}
