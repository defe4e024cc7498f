package dev.aarvark.devices.uart;

import dev.aarvark.devices.IrqLine;

import java.util.ArrayList;
import java.util.List;

/** An interrupt line that remembers every level it was driven to, in order. */
final class RecordingIrqLine implements IrqLine {
    final List<Boolean> levels = new ArrayList<>();

    @Override
    public void set(boolean level) {
        levels.add(level);
    }

    boolean level() {
        return !levels.isEmpty() && levels.getLast();
    }
}
