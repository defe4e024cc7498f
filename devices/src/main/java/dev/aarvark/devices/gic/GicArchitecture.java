package dev.aarvark.devices.gic;

/**
 * Which GIC programmers' model the guest sees. The interrupt state machines are the same; the
 * versions differ in their register layouts and in a few distributor rules that {@link GicCore}
 * takes from this value:
 * <ul>
 *   <li>{@link #V2}: IHI 0048B (GICv2). Private interrupts are configured through the banked
 *   distributor registers, SPIs are sent to the CPUs in their GICD_ITARGETSR target lists, SGIs
 *   remember which CPU sent them (GICC_IAR.CPUID) and, as in QEMU, are permanently enabled.</li>
 *   <li>{@link #V3}: IHI 0069 (GICv3) with affinity routing always enabled (GICD_CTLR.ARE RAO/WI)
 *   and a single Security state (GICD_CTLR.DS = 1). SPIs are routed by GICD_IROUTER affinity;
 *   SGIs and PPIs are configured through each CPU's redistributor.</li>
 * </ul>
 */
public enum GicArchitecture {
    V2,
    V3
}
