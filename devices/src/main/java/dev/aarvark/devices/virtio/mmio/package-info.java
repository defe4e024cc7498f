/**
 * Virtio over MMIO (virtio 1.2 §4.2) as QEMU's {@code virt} board has it: 32 transports of 0x200
 * bytes from 0x0A00_0000, each with one interrupt (SPI 16 + n).
 * {@link dev.aarvark.devices.virtio.mmio.VirtioMmioTransport} is a transport with a device behind it
 * (modern, Version 2, or legacy, Version 1, §4.2.4);
 * {@link dev.aarvark.devices.virtio.mmio.EmptyVirtioMmioSlot} is a slot with none (DeviceID 0).
 */
package dev.aarvark.devices.virtio.mmio;
