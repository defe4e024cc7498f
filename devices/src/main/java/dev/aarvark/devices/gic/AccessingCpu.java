package dev.aarvark.devices.gic;

import java.util.function.IntSupplier;

/**
 * Which CPU interface a memory-mapped access comes from. GICv2's CPU interface and the banked
 * distributor registers (SGIs and PPIs, GICD_SGIR's source) depend on it (IHI 0048B §4.1,
 * "banked registers"); the machine supplies its current vCPU index.
 */
final class AccessingCpu {
    private AccessingCpu() {}

    /** CPU 0, for a GIC with a single CPU interface; any other core needs an explicit supplier. */
    static IntSupplier only(GicCore core, String device) {
        if (core.cpuCount() != 1) {
            throw new GicConfigException(device + ": a GIC with " + core.cpuCount()
                    + " CPUs needs a supplier of the accessing CPU's index");
        }
        return () -> 0;
    }

    /** The supplier's CPU index, checked against the core. */
    static int of(IntSupplier supplier, GicCore core) {
        int cpu = supplier.getAsInt();
        if (cpu < 0 || cpu >= core.cpuCount()) {
            throw new IllegalStateException("accessing CPU " + cpu + " does not exist (the GIC has " + core.cpuCount() + ")");
        }
        return cpu;
    }

    /** Fails unless {@code core} implements {@code expected}. */
    static void requireArchitecture(GicCore core, GicArchitecture expected, String device) {
        if (core.config().architecture() != expected) {
            throw new GicConfigException(device + ": needs a " + expected + " GIC core, got " + core.config().architecture());
        }
    }
}
