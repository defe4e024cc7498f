package dev.aarvark.devices.gic;

import java.util.List;

/**
 * GICv3 SPI routing by GICD_IROUTER<n> (IHI 0069 §12.9, GICD_IROUTER): each SPI names the
 * affinity Aff3.Aff2.Aff1.Aff0 of the one PE it is forwarded to. An SPI routed to an affinity no
 * CPU has stays pending and reaches nobody, as the specification and QEMU do.
 *
 * <p>Invariants: stored routes hold only the affinity fields. GICD_TYPER.No1N is 1 (1-of-N
 * distribution is not supported), so the Interrupt_Routing_Mode bit (31) is RAZ/WI. Routes reset
 * to 0, which is CPU 0 on QEMU's {@code virt} (MPIDR 0x8000_0000).
 */
final class AffinityRouting implements SpiRouting {
    private final long[] routes;
    private final long[] cpuRoutes;

    AffinityRouting(List<Long> mpidrs, int spiCount) {
        this.routes = new long[spiCount];
        this.cpuRoutes = new long[mpidrs.size()];
        for (int i = 0; i < cpuRoutes.length; i++) {
            cpuRoutes[i] = Affinity.route(mpidrs.get(i));
        }
    }

    /** GICD_IROUTER of SPI {@code intid}. */
    long read(int intid) {
        return routes[intid - IntIds.FIRST_SPI];
    }

    /** Writes GICD_IROUTER of SPI {@code intid}; only the affinity fields are kept. */
    void write(int intid, long value) {
        routes[intid - IntIds.FIRST_SPI] = value & Affinity.ROUTE_MASK;
    }

    @Override
    public boolean reaches(int intid, int cpu) {
        return routes[intid - IntIds.FIRST_SPI] == cpuRoutes[cpu];
    }
}
