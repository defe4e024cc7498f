package dev.aarvark.emulator.cpu.sysreg;

import dev.aarvark.emulator.cpu.Cpu;
import dev.aarvark.emulator.cpu.SysReg;

/**
 * ID registers whose native libunicorn value differs from what QEMU's {@code virt} board shows the
 * guest. ID_AA64PFR0_EL1.GIC (bits 27:24) reads 0 natively; QEMU reports 1 when the board has a
 * GICv3, whose system-register CPU interface aarvark implements (Linux then prints "CPU features:
 * detected: GIC system register CPU interface", as on QEMU). Read-only, EL1 only; the MRS/MSR hook
 * declines other accesses, which then UNDEF natively as the architecture says.
 */
public final class IdRegisters {
    /** ID_AA64PFR0_EL1. */
    public static final SysReg ID_AA64PFR0_EL1 = new SysReg(3, 0, 0, 4, 0);
    private static final long GIC_FIELD = 0xfL << 24;

    private IdRegisters() {}

    /** Registers ID_AA64PFR0_EL1 with its GIC field set to {@code gicField} (0, or 1 for GICv3). */
    public static void register(SystemRegisterTable table, long nativePfr0, int gicField) {
        long value = (nativePfr0 & ~GIC_FIELD) | ((long) gicField << 24);
        table.register(ID_AA64PFR0_EL1, SystemRegisterTable.Path.INSN_HOOK, new EmulatedRegister() {
            @Override
            public long read(Cpu cpu) {
                return value;
            }

            @Override
            public void write(Cpu cpu, long v) {
                // Never reached: accessible() declines writes, which UNDEF natively.
            }

            @Override
            public boolean accessible(Cpu cpu, boolean read) {
                return read && cpu.el() >= 1;
            }
        });
    }
}
