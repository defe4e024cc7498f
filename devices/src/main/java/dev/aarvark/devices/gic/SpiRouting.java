package dev.aarvark.devices.gic;

/**
 * Which CPU interfaces an SPI is forwarded to: GICv2 target lists ({@link CpuTargetList}) or
 * GICv3 affinity routing ({@link AffinityRouting}). Private interrupts always belong to their own
 * CPU and never consult this.
 */
sealed interface SpiRouting permits CpuTargetList, AffinityRouting {
    /** True if SPI {@code intid} is forwarded to CPU interface {@code cpu}. */
    boolean reaches(int intid, int cpu);
}
