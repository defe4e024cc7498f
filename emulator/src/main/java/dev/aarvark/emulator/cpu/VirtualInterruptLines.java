package dev.aarvark.emulator.cpu;

import dev.aarvark.devices.gic.CpuInterruptSignals;

/**
 * The CPU's IRQ and FIQ inputs, driven through HCR_EL2.VI and HCR_EL2.VF (docs/libunicorn.md,
 * "Exceptions and aborts"): with HCR_EL2.IMO/FMO set, QEMU itself then takes a mask-aware IRQ or FIQ exception to EL1,
 * exactly as for a physical interrupt.
 *
 * <p>Invariants: HCR_EL2 is written only on the vCPU thread, and only when a level changes. A
 * rising level also stops the engine at the end of the current translated block and asks the run
 * loop for control: libunicorn takes the interrupt only when execution leaves its chain of
 * translated blocks, which a guest spinning in a loop may never do on its own.
 */
public final class VirtualInterruptLines implements CpuInterruptSignals {
    private static final long VI = 1L << 7;
    private static final long VF = 1L << 6;

    private final Cpu cpu;
    private final Runnable requestControl;
    private boolean irq;
    private boolean fiq;
    private long raised;

    /**
     * @param requestControl asks the run loop to regain control soon (the preemption strategy's
     *                       {@code requestControl})
     */
    public VirtualInterruptLines(Cpu cpu, Runnable requestControl) {
        this.cpu = cpu;
        this.requestControl = requestControl;
    }

    @Override
    public void irq(boolean level) {
        if (level != irq) {
            irq = level;
            apply(level);
        }
    }

    @Override
    public void fiq(boolean level) {
        if (level != fiq) {
            fiq = level;
            apply(level);
        }
    }

    private void apply(boolean rising) {
        cpu.write(SysReg.HCR_EL2, ResetState.HCR_EL2 | (irq ? VI : 0) | (fiq ? VF : 0));
        if (rising) {
            raised++;
            // A rising line must be taken before the guest runs on (a guest that saw the timer
            // fire checks its flag a few instructions later): stop the engine now, which from a hook
            // lands at the end of the current translated block, where QEMU takes the interrupt on
            // re-entry; and ask the run loop for control, which also covers a stop libunicorn
            // cancels (a hook that then writes the PC).
            cpu.engine().emuStop();
            requestControl.run();
        }
    }

    /** True while the IRQ input is asserted. */
    public boolean irqAsserted() {
        return irq;
    }

    /** True while the FIQ input is asserted. */
    public boolean fiqAsserted() {
        return fiq;
    }

    /** How many times an input rose (for the benchmark breakdown). */
    public long raised() {
        return raised;
    }
}
