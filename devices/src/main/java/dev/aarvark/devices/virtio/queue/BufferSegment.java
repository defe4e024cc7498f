package dev.aarvark.devices.virtio.queue;

import dev.aarvark.iommu.DmaRequester;

/**
 * One non-empty buffer of a descriptor chain as the device may use it: a device address range, its
 * direction, and the requester every access to it is tagged with (device, queue, chain head,
 * descriptor index; for a descriptor inside an indirect table, the index of the table's descriptor
 * and the entry in {@code what}).
 *
 * @param address   device address of the first byte
 * @param length    length in bytes (1..2^32-1)
 * @param writable  device-writable (otherwise device-readable)
 * @param requester the DMA requester for this buffer
 */
public record BufferSegment(long address, long length, boolean writable, DmaRequester requester) {
}
