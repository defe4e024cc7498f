/**
 * The network device of virtio 1.2 §5.1 (device ID 1) as QEMU's {@code virtio-net-device} presents
 * it on the {@code virt} board, with its host side a {@link dev.aarvark.devices.io.net.FrameBackend}:
 * one receiveq/transmitq pair and the control queue, the 10- or 12-byte packet header, the
 * configuration space (MAC, link status, MTU), the receive filter and the control commands.
 *
 * <p>One class per job: {@link dev.aarvark.devices.virtio.net.VirtioNet} (the device contract),
 * {@code RxPath} (peer to guest), {@code TxPath} (guest to peer), {@code ControlQueue} (§5.1.6.5),
 * {@code RxFilter}, {@code NetConfigSpace}, {@code NetHeader}, {@code HostRxQueue} (the bounded host
 * side of reception), {@link dev.aarvark.devices.virtio.net.NetLimits} and
 * {@link dev.aarvark.devices.virtio.net.NetCounters}. Every queue is served through the one
 * {@link dev.aarvark.devices.virtio.queue.QueueService} loop, every guest-driven loop is capped per
 * call, no host buffer grows with guest or peer behaviour, and every guest mistake is a typed
 * {@link dev.aarvark.devices.GuestError}.
 */
package dev.aarvark.devices.virtio.net;
