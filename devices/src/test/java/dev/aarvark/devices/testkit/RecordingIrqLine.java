package dev.aarvark.devices.testkit;

import dev.aarvark.devices.IrqLine;

import java.util.ArrayList;
import java.util.List;

/** An interrupt line that remembers every level it was driven to, in order. */
public final class RecordingIrqLine implements IrqLine {
    private final List<Boolean> levels = new ArrayList<>();

    @Override
    public void set(boolean level) {
        levels.add(level);
    }

    /** Every level driven, in order. */
    public List<Boolean> levels() {
        return levels;
    }

    /** The level now (low before the first drive). */
    public boolean level() {
        return !levels.isEmpty() && levels.getLast();
    }

    /** How many times the line went high. */
    public long raises() {
        return levels.stream().filter(l -> l).count();
    }
}
