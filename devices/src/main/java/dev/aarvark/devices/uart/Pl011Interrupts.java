package dev.aarvark.devices.uart;

import dev.aarvark.devices.IrqLine;

/**
 * The PL011's eleven interrupt sources and its combined output UARTINTR (TRM chapter 2,
 * "Interrupts"): the raw status
 * (UARTRIS), the enable mask (UARTIMSC), the masked status (UARTMIS) and the level driven on the
 * {@link IrqLine}.
 *
 * <p>Invariant: after {@link #syncLine()} the line's level equals {@code (raw & mask) != 0}. The
 * line is driven only when that level changes, so a burst of status changes inside one register
 * access produces at most one edge.
 */
final class Pl011Interrupts {
    private final IrqLine line;
    private int raw;
    private int mask;
    private boolean level;

    Pl011Interrupts(IrqLine line) {
        this.line = line;
    }

    void raise(int bits) {
        raw |= bits & Pl011Registers.INT_MASK;
    }

    void clear(int bits) {
        raw &= ~bits;
    }

    void setMask(int bits) {
        mask = bits & Pl011Registers.INT_MASK;
    }

    int raw() {
        return raw;
    }

    int mask() {
        return mask;
    }

    int masked() {
        return raw & mask;
    }

    /** Drives the line to the current combined level if it changed. */
    void syncLine() {
        boolean now = (raw & mask) != 0;
        if (now != level) {
            level = now;
            line.set(now);
        }
    }
}
