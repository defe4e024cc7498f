package dev.aarvark.emulator.cpu.sysreg;

import dev.aarvark.devices.timer.GenericTimer;
import dev.aarvark.emulator.cpu.Cpu;
import dev.aarvark.emulator.cpu.SysReg;

/**
 * Binds the EL1 physical and virtual timer registers (CNTP_CTL/CVAL/TVAL_EL0, CNTV_CTL/CVAL/TVAL_EL0)
 * to the Java {@link GenericTimer}. libunicorn implements these registers but discards CTL writes
 * and never fires the timer, so they take the MRS/MSR hook path. The counters (CNTPCT, CNTVCT) and
 * CNTFRQ stay native.
 *
 * <p>EL0 access follows CNTKCTL_EL1 (Arm ARM D11.2.1): EL0PTEN (bit 9) for the physical timer,
 * EL0VTEN (bit 8) for the virtual one. When EL0 may not access them the hook declines and the
 * instruction traps natively.
 */
public final class TimerRegisters {
    private TimerRegisters() {}

    public static void register(SystemRegisterTable table, GenericTimer timer) {
        add(table, timer, GenericTimer.Channel.PHYSICAL, SysReg.CNTP_CTL_EL0, SysReg.CNTP_CVAL_EL0, SysReg.CNTP_TVAL_EL0, 9);
        add(table, timer, GenericTimer.Channel.VIRTUAL, SysReg.CNTV_CTL_EL0, SysReg.CNTV_CVAL_EL0, SysReg.CNTV_TVAL_EL0, 8);
    }

    private static void add(SystemRegisterTable table, GenericTimer timer, GenericTimer.Channel ch,
                            SysReg ctl, SysReg cval, SysReg tval, int el0EnableBit) {
        table.register(ctl, SystemRegisterTable.Path.INSN_HOOK,
                new TimerRegister(el0EnableBit, () -> timer.readCtl(ch), v -> timer.writeCtl(ch, v)));
        table.register(cval, SystemRegisterTable.Path.INSN_HOOK,
                new TimerRegister(el0EnableBit, () -> timer.readCval(ch), v -> timer.writeCval(ch, v)));
        table.register(tval, SystemRegisterTable.Path.INSN_HOOK,
                new TimerRegister(el0EnableBit, () -> timer.readTval(ch), v -> timer.writeTval(ch, v)));
    }

    private record TimerRegister(int el0EnableBit, java.util.function.LongSupplier reader,
                                 java.util.function.LongConsumer writer) implements EmulatedRegister {
        @Override
        public long read(Cpu cpu) {
            return reader.getAsLong();
        }

        @Override
        public void write(Cpu cpu, long value) {
            writer.accept(value);
        }

        @Override
        public boolean accessible(Cpu cpu, boolean read) {
            return cpu.el() >= 1 || (cpu.read(SysReg.CNTKCTL_EL1) & (1L << el0EnableBit)) != 0;
        }
    }
}
