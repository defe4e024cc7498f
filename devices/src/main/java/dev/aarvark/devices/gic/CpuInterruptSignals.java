package dev.aarvark.devices.gic;

/**
 * The interrupt request outputs of the GIC to one processor: the physical IRQ and FIQ signals of
 * IHI 0048B §3.4 and IHI 0069 §4.6.2 ("Interrupt assignment to IRQ and FIQ signals").
 *
 * <p>The machine implements this interface, one instance per CPU, and turns the levels into
 * HCR_EL2.VI and HCR_EL2.VF for its vCPU (docs/libunicorn.md, "Exceptions and aborts"). The GIC calls
 * a method only when that output changes level, and only on the vCPU thread; an implementation
 * must not call back into the GIC.
 */
public interface CpuInterruptSignals {
    /** The IRQ output is now {@code asserted}. */
    void irq(boolean asserted);

    /** The FIQ output is now {@code asserted}. */
    void fiq(boolean asserted);

    /** Outputs connected to nothing. */
    CpuInterruptSignals NONE = new CpuInterruptSignals() {
        @Override
        public void irq(boolean asserted) {
        }

        @Override
        public void fiq(boolean asserted) {
        }
    };
}
