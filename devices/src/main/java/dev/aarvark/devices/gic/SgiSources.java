package dev.aarvark.devices.gic;

/**
 * GICv2's record of which CPUs an SGI is pending from, per target CPU (IHI 0048B §4.3.15, GICD_SGIR, and
 * GICD_SPENDSGIRn / GICD_CPENDSGIRn, §4.3.16-17). Each (target, SGI) pair holds an 8-bit mask of
 * source CPU interfaces; the SGI is pending on the target while any source bit is set. An
 * acknowledge consumes one source, the lowest-numbered, and reports it in GICC_IAR.CPUID.
 */
final class SgiSources {
    private final int[][] masks;

    SgiSources(int cpuCount) {
        masks = new int[cpuCount][IntIds.SGI_COUNT];
    }

    int get(int target, int sgi) {
        return masks[target][sgi];
    }

    void add(int target, int sgi, int sourceMask) {
        masks[target][sgi] |= sourceMask & 0xFF;
    }

    void remove(int target, int sgi, int sourceMask) {
        masks[target][sgi] &= ~sourceMask;
    }

    /** Removes and returns the lowest-numbered source, or 0 if none is recorded. */
    int takeLowest(int target, int sgi) {
        int mask = masks[target][sgi];
        if (mask == 0) {
            return 0;
        }
        int source = Integer.numberOfTrailingZeros(mask);
        masks[target][sgi] = mask & (mask - 1);
        return source;
    }
}
