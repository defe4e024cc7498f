package dev.aarvark.emulator.cpu.sysreg;

import dev.aarvark.emulator.cpu.Cpu;

/**
 * A system register whose behaviour aarvark implements in Java (a GIC CPU-interface register, a
 * timer register). Called on the vCPU thread with the CPU at the accessing instruction.
 */
public interface EmulatedRegister {
    long read(Cpu cpu);

    void write(Cpu cpu, long value);

    /**
     * True if the access is permitted at the CPU's current EL with its current trap controls. When
     * false, the access is left to the architecture's own trap (the CPU core delivers it).
     */
    default boolean accessible(Cpu cpu, boolean read) {
        return cpu.el() >= 1;
    }
}
