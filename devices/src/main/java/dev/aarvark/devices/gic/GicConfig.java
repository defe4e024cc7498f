package dev.aarvark.devices.gic;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The implementation choices of one GIC: which programmers' model, how many CPUs and SPIs, and how
 * many priority bits its CPU interfaces implement. {@link #qemuVirtV2} and {@link #qemuVirtV3} give
 * the values QEMU 7.2's {@code virt} board reports, which guests built for it probe.
 *
 * @param architecture   GICv2 or GICv3 register model
 * @param cpuCount       CPU interfaces (v2: 1-8, the width of GICD_ITARGETSR; v3: 1-256)
 * @param spiCount       SPIs, a multiple of 32 up to 960; GICD_TYPER.ITLinesNumber is
 *                       {@code (32 + spiCount) / 32 - 1}
 * @param priorityBits   priority bits of the CPU interface (GICC_PMR / ICC_PMR_EL1 and
 *                       ICC_CTLR_EL1.PRIbits + 1), 4-8. The distributor's priority fields always
 *                       hold 8 bits, as QEMU's do
 * @param preemptionBits group-priority bits (IHI 0069 ICH_VTR_EL2.PREbits style), 5-7 and at most
 *                       {@code priorityBits}: the minimum binary point is {@code 7 - preemptionBits}
 *                       and there are {@code 2^(preemptionBits-5)} active-priority registers per
 *                       group
 * @param mpidrs         each CPU's MPIDR_EL1 (only the affinity fields Aff3.Aff2.Aff1.Aff0 matter);
 *                       distinct affinities, one per CPU
 */
public record GicConfig(GicArchitecture architecture, int cpuCount, int spiCount, int priorityBits,
                        int preemptionBits, List<Long> mpidrs) {
    /** SPIs of QEMU's GICv2 on {@code virt}: num-irq 288, GICD_TYPER.ITLinesNumber = 8. */
    public static final int QEMU_VIRT_V2_SPIS = 256;
    /**
     * SPIs QEMU 7.2's GICv3 on {@code virt} reports: GICD_TYPER.ITLinesNumber = 7 (it computes
     * {@code (num-irq - 32) / 32 - 1} of the same 288), so Linux logs "GICv3: 224 SPIs implemented".
     */
    public static final int QEMU_VIRT_V3_SPIS = 224;

    public GicConfig {
        if (architecture == null) {
            throw new GicConfigException("architecture is required");
        }
        int maxCpus = architecture == GicArchitecture.V2 ? 8 : 256;
        if (cpuCount < 1 || cpuCount > maxCpus) {
            throw new GicConfigException("cpuCount " + cpuCount + ": a " + architecture + " GIC has 1 to " + maxCpus + " CPU interfaces");
        }
        if (spiCount < 0 || spiCount > 960 || spiCount % 32 != 0) {
            throw new GicConfigException("spiCount " + spiCount + ": must be a multiple of 32 from 0 to 960");
        }
        if (priorityBits < 4 || priorityBits > 8) {
            throw new GicConfigException("priorityBits " + priorityBits + ": must be 4 to 8");
        }
        if (preemptionBits < 5 || preemptionBits > 7 || preemptionBits > priorityBits) {
            throw new GicConfigException("preemptionBits " + preemptionBits + ": must be 5 to 7 and at most priorityBits ("
                    + priorityBits + ")");
        }
        if (mpidrs == null || mpidrs.size() != cpuCount) {
            throw new GicConfigException("mpidrs: need one MPIDR per CPU (" + cpuCount + "), got "
                    + (mpidrs == null ? "none" : mpidrs.size()));
        }
        mpidrs = List.copyOf(mpidrs);
        Set<Long> seen = new HashSet<>();
        for (long mpidr : mpidrs) {
            if (!seen.add(Affinity.route(mpidr))) {
                throw new GicConfigException(String.format("mpidrs: affinity of MPIDR 0x%x appears twice", mpidr));
            }
        }
    }

    /**
     * QEMU 7.2 {@code virt} with {@code gic-version=2}: 256 SPIs, 8 priority bits (GICD_IPRIORITYR
     * and GICC_PMR read back all 8), 128 preemption levels (GIC_MIN_BPR = 0, four GICC_APR
     * registers), CPU affinities in clusters of 8.
     */
    public static GicConfig qemuVirtV2(int cpuCount) {
        return new GicConfig(GicArchitecture.V2, cpuCount, QEMU_VIRT_V2_SPIS, 8, 7, qemuMpidrs(cpuCount, 8));
    }

    /**
     * QEMU 7.2 {@code virt} with {@code gic-version=3} and a Cortex-A57/A72: 224 SPIs, 5 priority
     * and 5 preemption bits (the CPU's {@code gic_pribits}/{@code gic_prebits}; ICC_CTLR_EL1.PRIbits
     * = 4, only ICC_AP0R0_EL1 and ICC_AP1R0_EL1 exist), CPU affinities in clusters of 16.
     */
    public static GicConfig qemuVirtV3(int cpuCount) {
        return new GicConfig(GicArchitecture.V3, cpuCount, QEMU_VIRT_V3_SPIS, 5, 5, qemuMpidrs(cpuCount, 16));
    }

    /**
     * The MPIDR_EL1 values QEMU's {@code virt} gives CPUs 0..n-1: bit 31 set (RES1), Aff0 = index
     * modulo {@code clusterSize}, Aff1 = index / {@code clusterSize}. CPU 0 is 0x8000_0000.
     */
    public static List<Long> qemuMpidrs(int cpuCount, int clusterSize) {
        List<Long> out = new ArrayList<>();
        for (int i = 0; i < cpuCount; i++) {
            out.add(0x8000_0000L | ((long) (i / clusterSize) << 8) | (i % clusterSize));
        }
        return out;
    }

    /** One past the highest implemented INTID. */
    public int interruptLimit() {
        return IntIds.FIRST_SPI + spiCount;
    }

    /** GICD_TYPER.ITLinesNumber: {@code 32 * (N + 1)} INTIDs. */
    public int itLinesNumber() {
        return interruptLimit() / 32 - 1;
    }
}
