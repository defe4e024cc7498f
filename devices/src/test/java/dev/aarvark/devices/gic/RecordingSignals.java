package dev.aarvark.devices.gic;

import java.util.ArrayList;
import java.util.List;

/** CPU interrupt outputs that remember every change they were told about, in order. */
final class RecordingSignals implements CpuInterruptSignals {
    final List<String> events = new ArrayList<>();
    boolean irq;
    boolean fiq;

    @Override
    public void irq(boolean asserted) {
        events.add(asserted ? "IRQ+" : "IRQ-");
        irq = asserted;
    }

    @Override
    public void fiq(boolean asserted) {
        events.add(asserted ? "FIQ+" : "FIQ-");
        fiq = asserted;
    }
}
