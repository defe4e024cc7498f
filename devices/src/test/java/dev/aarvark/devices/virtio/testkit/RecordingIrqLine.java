package dev.aarvark.devices.virtio.testkit;

import dev.aarvark.devices.IrqLine;

import java.util.ArrayList;
import java.util.List;

/** An interrupt line that remembers every level it was driven to. */
public final class RecordingIrqLine implements IrqLine {
    private final List<Boolean> levels = new ArrayList<>();

    @Override
    public void set(boolean level) {
        levels.add(level);
    }

    public boolean level() {
        return !levels.isEmpty() && levels.getLast();
    }

    /** How many times the line went high. */
    public long raises() {
        return levels.stream().filter(l -> l).count();
    }
}
