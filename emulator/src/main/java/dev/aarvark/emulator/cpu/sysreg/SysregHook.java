package dev.aarvark.emulator.cpu.sysreg;

import dev.aarvark.emulator.cpu.Cpu;
import dev.aarvark.emulator.cpu.unicorn.Arm64Reg;
import dev.aarvark.emulator.cpu.unicorn.SysInsnFilter;

/**
 * The MRS/MSR instruction hook for the {@link SystemRegisterTable.Path#INSN_HOOK} registers: it
 * emulates the access and tells libunicorn to skip the native one. Every other register is left to
 * libunicorn (return false), including all registers it does not implement — skipping those from
 * this hook loops forever (docs/libunicorn.md, "System-register hooks"). {@link #filter()} lets
 * only the table's {@link SystemRegisterTable.Path#INSN_HOOK} registers reach it.
 */
public final class SysregHook {
    private final Cpu cpu;
    private final SystemRegisterTable table;
    private long emulated;

    public SysregHook(Cpu cpu, SystemRegisterTable table) {
        this.cpu = cpu;
        this.table = table;
    }

    /**
     * A filter for this hook's MRS or MSR hook: the {@link SystemRegisterTable.Path#INSN_HOOK}
     * registers pass (every other access stays native, as {@link #onMrs}/{@link #onMsr} would leave
     * it). A new filter each call, which the caller may extend with counted keys.
     */
    public SysInsnFilter filter() {
        SysInsnFilter f = new SysInsnFilter();
        for (int key : table.keys(SystemRegisterTable.Path.INSN_HOOK)) {
            f.pass(key);
        }
        return f;
    }

    /** MRS: {@code reg} is libunicorn's id of the destination register. */
    public boolean onMrs(int reg, int key, long value) {
        SystemRegisterTable.Entry e = hooked(key, true);
        if (e == null) {
            return false;
        }
        long v = e.handler().read(cpu);
        if (reg != Arm64Reg.XZR) {
            cpu.engine().setReg(reg, v);
        }
        emulated++;
        return true;
    }

    /** MSR: {@code value} is the value being written. */
    public boolean onMsr(int reg, int key, long value) {
        SystemRegisterTable.Entry e = hooked(key, false);
        if (e == null) {
            return false;
        }
        e.handler().write(cpu, value);
        emulated++;
        return true;
    }

    private SystemRegisterTable.Entry hooked(int key, boolean read) {
        SystemRegisterTable.Entry e = table.lookup(key);
        if (e == null || e.path() != SystemRegisterTable.Path.INSN_HOOK || !e.handler().accessible(cpu, read)) {
            return null;
        }
        return e;
    }

    /** Accesses emulated so far. */
    public long emulated() {
        return emulated;
    }
}
