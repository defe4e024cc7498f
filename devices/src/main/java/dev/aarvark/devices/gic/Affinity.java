package dev.aarvark.devices.gic;

/**
 * The affinity fields of MPIDR_EL1 (Aff3 [39:32], Aff2 [23:16], Aff1 [15:8], Aff0 [7:0]) in the
 * two layouts GICv3 registers use: the GICD_IROUTER layout, which keeps MPIDR's bit positions
 * (IHI 0069 §12.9, GICD_IROUTER), and the packed 32-bit Aff3.Aff2.Aff1.Aff0 of
 * GICR_TYPER.Affinity_Value (IHI 0069 §12.11, GICR_TYPER).
 */
final class Affinity {
    /** The affinity bits of MPIDR_EL1 / GICD_IROUTER. */
    static final long ROUTE_MASK = 0xFF_00FF_FFFFL;

    private Affinity() {}

    /** The affinity fields of {@code mpidr} at their MPIDR (and GICD_IROUTER) positions. */
    static long route(long mpidr) {
        return mpidr & ROUTE_MASK;
    }

    /** Aff3.Aff2.Aff1.Aff0 packed into 32 bits, as GICR_TYPER[63:32] reports it. */
    static long packed(long mpidr) {
        return ((mpidr >>> 8) & 0xFF00_0000L) | (mpidr & 0xFF_FFFFL);
    }

    /** Aff0 of {@code mpidr}. */
    static int aff0(long mpidr) {
        return (int) (mpidr & 0xFF);
    }

    /** Aff3.Aff2.Aff1 of {@code mpidr}, in the GICD_IROUTER layout with Aff0 cleared. */
    static long upper(long mpidr) {
        return mpidr & 0xFF_00FF_FF00L;
    }
}
