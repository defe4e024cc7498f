package dev.aarvark.emulator.run;

import java.util.ArrayList;
import java.util.List;

/** A {@link RunControl} that records the exits requested of it. */
public final class RecordingRunControl implements RunControl {
    private final List<MachineExit> exits = new ArrayList<>();

    @Override
    public void requestExit(MachineExit exit) {
        exits.add(exit);
    }

    @Override
    public boolean exitRequested() {
        return !exits.isEmpty();
    }

    /** Every exit requested, in order. */
    public List<MachineExit> exits() {
        return exits;
    }
}
