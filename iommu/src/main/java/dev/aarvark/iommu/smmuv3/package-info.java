/**
 * An Arm SMMUv3 (IHI 0070, the SMMUv3.1 subset QEMU's {@code virt} board describes at 0x0905_0000):
 * stage-1 translation of device addresses through page tables the guest programs, with the stream
 * table, context descriptors, command queue, event queue, global errors and the IOTLB a guest driver
 * (Linux's {@code arm-smmu-v3}, or a bare-metal one) expects.
 *
 * <p>{@link dev.aarvark.iommu.smmuv3.SmmuV3} is the model: a register file with its own
 * {@code read}/{@code write} (the board's MMIO adapter lives in the devices layer), and one
 * {@link dev.aarvark.iommu.smmuv3.SmmuDmaSpace} per stream through which a device reaches memory.
 * Walks use {@link dev.aarvark.memory.mmu.Vmsav8Walker}, the walker the CPU's abort syndromes use.
 * Interrupts leave through {@link dev.aarvark.iommu.smmuv3.SmmuInterrupts} and guest mistakes through
 * {@link dev.aarvark.iommu.smmuv3.SmmuGuestErrors}, so this package knows nothing of the board.
 */
package dev.aarvark.iommu.smmuv3;
