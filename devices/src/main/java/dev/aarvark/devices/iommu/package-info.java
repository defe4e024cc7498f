/**
 * The board side of the IOMMU: the SMMUv3's register block as an {@link dev.aarvark.devices.MmioDevice},
 * its interrupt edges on {@link dev.aarvark.devices.IrqLine}s and its guest errors in the machine's
 * {@link dev.aarvark.devices.GuestErrorLog}. The model itself is {@code dev.aarvark.iommu.smmuv3}.
 */
package dev.aarvark.devices.iommu;
