/**
 * Virtio 1.2 devices (OASIS "Virtual I/O Device (VIRTIO) Version 1.2") as QEMU's {@code virt} board
 * has them: the device-type-independent contract between a transport and a device
 * ({@link dev.aarvark.devices.virtio.VirtioDevice}, {@link dev.aarvark.devices.virtio.DriverSession}),
 * the feature bits and status bits of §2.1–§2.2 and §6, the split virtqueue of §2.7
 * ({@code queue}), virtio over MMIO of §4.2 ({@code mmio}), the console device of §5.3
 * ({@code console}) and the network device of §5.1 ({@code net}).
 *
 * <p>Everything runs on the vCPU thread; devices reach guest memory only through a
 * {@link dev.aarvark.iommu.DmaSpace} with a precise {@link dev.aarvark.iommu.DmaRequester}, and
 * every guest mistake is a typed {@link dev.aarvark.devices.GuestError} reported to the machine's
 * {@link dev.aarvark.devices.GuestErrorLog}, never an exception out
 * of a device.
 */
package dev.aarvark.devices.virtio;
