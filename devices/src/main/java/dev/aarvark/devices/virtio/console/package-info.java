/**
 * The virtio console device (virtio 1.2 §5.3, device ID 3) as QEMU's virtio-serial with
 * virtconsole/virtserialport ports presents it, with each port's host side a
 * {@link dev.aarvark.devices.io.HostStream}. Guest output is never dropped and host input waits for
 * the guest (backpressure both ways); every guest-driven loop is capped per call.
 */
package dev.aarvark.devices.virtio.console;
