/**
 * Host DMA policies for guests that never program an IOMMU (seL4 root tasks, bare metal): the user
 * names, per device, the guest-physical windows it may reach ({@code --dma-window}), and a
 * {@link dev.aarvark.iommu.policy.HostPolicyDmaSpace} over the device's RAM path refuses
 * ({@link dev.aarvark.iommu.policy.DmaPolicy#STRICT}) or flags
 * ({@link dev.aarvark.iommu.policy.DmaPolicy#PERMISSIVE}) everything else, and every DMA before the
 * driver has made the device ready.
 */
package dev.aarvark.iommu.policy;
