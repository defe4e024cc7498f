package dev.aarvark.devices.virtio.mmio;

import dev.aarvark.devices.IrqLine;

/**
 * InterruptStatus / InterruptACK of a virtio-mmio transport (virtio 1.2 §4.2.2): bit 0 "used buffer
 * notification", bit 1 "configuration change notification". A bit stays set from the event until
 * the driver acknowledges it. The interrupt line is level-sensitive and high exactly while the
 * register is non-zero, as QEMU's transport drives it ({@code virtio_mmio_update_irq}); the line is
 * driven only when the level changes.
 */
final class InterruptStatusRegister {
    static final int USED_BUFFER = 1;
    static final int CONFIG_CHANGE = 2;
    static final int DEFINED = USED_BUFFER | CONFIG_CHANGE;

    private final IrqLine line;
    private int value;
    private boolean level;

    InterruptStatusRegister(IrqLine line) {
        this.line = line;
    }

    int value() {
        return value;
    }

    void raise(int bits) {
        value |= bits & DEFINED;
        sync();
    }

    void acknowledge(int bits) {
        value &= ~bits;
        sync();
    }

    void clear() {
        value = 0;
        sync();
    }

    private void sync() {
        boolean high = value != 0;
        if (high != level) {
            level = high;
            line.set(high);
        }
    }
}
