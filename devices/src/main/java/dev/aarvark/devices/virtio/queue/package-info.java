/**
 * The split virtqueue of virtio 1.2 §2.7 as a device uses it: where the three parts lie in guest
 * memory ({@link dev.aarvark.devices.virtio.queue.QueueLayout}, modern §2.7 and legacy §2.7.2), the
 * device's side of the rings ({@link dev.aarvark.devices.virtio.queue.SplitVirtqueue}), descriptor
 * chains with indirect tables ({@link dev.aarvark.devices.virtio.queue.DescriptorChain}, §2.7.5) and
 * the validation of everything the driver wrote.
 *
 * <p>Every guest memory access goes through a {@link dev.aarvark.iommu.DmaSpace} with a
 * {@link dev.aarvark.iommu.DmaRequester} naming the device, the queue and, for buffers and
 * descriptors, the chain head and descriptor index.
 */
package dev.aarvark.devices.virtio.queue;
