package dev.aarvark.emulator.board;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.MmioDevice;
import dev.aarvark.devices.virtio.VirtioDevice;
import dev.aarvark.devices.virtio.mmio.EmptyVirtioMmioSlot;
import dev.aarvark.devices.virtio.mmio.VirtioMmioTransport;
import dev.aarvark.devices.virtio.mmio.VirtioMmioVersion;
import dev.aarvark.iommu.DmaSpace;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The board's 32 virtio-mmio slots (virtio 1.2 §4.2): each device gets a transport in the next
 * free slot, highest first as QEMU fills them ({@link VirtBoard#virtioSlotFor}), connected to the
 * slot's SPI; every other slot holds an {@link EmptyVirtioMmioSlot} that reads DeviceID 0. The
 * slots are mapped as one page-aligned window. vCPU thread only.
 */
public final class VirtioSlots {
    private final InterruptController gic;
    private final GuestErrorLog errors;
    private final MmioDevice[] slots = new MmioDevice[VirtBoard.VIRTIO_MMIO_COUNT];
    private final List<VirtioMmioTransport> transports = new ArrayList<>();

    public VirtioSlots(InterruptController gic, GuestErrorLog errors) {
        this.gic = gic;
        this.errors = errors;
        for (int n = 0; n < slots.length; n++) {
            slots[n] = new EmptyVirtioMmioSlot("virtio-mmio@" + Long.toHexString(VirtBoard.VIRTIO_MMIO_SLOTS.get(n).base()), errors);
        }
    }

    /** The name the next device gets: {@code kind@slot-address}, e.g. {@code virtio-console@a003e00}. */
    public String nextName(String kind) {
        return kind + "@" + Long.toHexString(VirtBoard.virtioSlotFor(transports.size()).base());
    }

    /**
     * Puts {@code device} behind a transport named {@code name} in the next free slot, its DMA going
     * through {@code dma}.
     */
    public VirtioMmioTransport attach(String name, VirtioDevice device, DmaSpace dma, VirtioMmioVersion version) {
        return attach(name, device, dma, version, false);
    }

    /**
     * Puts {@code device} behind a transport in the next free slot; {@code behindIommu}: the slot's
     * stream goes through the board's SMMU, and the transport offers VIRTIO_F_ACCESS_PLATFORM.
     */
    public VirtioMmioTransport attach(String name, VirtioDevice device, DmaSpace dma, VirtioMmioVersion version,
                                      boolean behindIommu) {
        int index = VirtBoard.VIRTIO_MMIO_COUNT - 1 - transports.size();
        BoardDevice line = VirtBoard.virtioSlotFor(transports.size());
        VirtioMmioTransport transport = new VirtioMmioTransport(name, device, dma, gic.line(name, line.interrupt()),
                version, behindIommu, errors);
        slots[index] = transport;
        transports.add(transport);
        return transport;
    }

    /** The SMMU stream ID of the next device: its slot number (see {@link VirtBoard#virtioStreamId}). */
    public int nextStreamId() {
        return VirtBoard.virtioStreamId(VirtBoard.virtioSlotFor(transports.size()).base());
    }

    /** Maps the 32 slots on {@code bus}. */
    public void map(MmioBus bus) {
        bus.map(VirtBoard.VIRTIO_MMIO, new SubPageDevices("virtio-mmio", slots));
    }

    /** Continues the work devices deferred (a full host buffer, a capped batch); between slices. */
    public void runDeferredWork() {
        for (VirtioMmioTransport t : transports) {
            if (t.hasDeferredWork()) {
                t.runDeferredWork();
            }
        }
    }

    /**
     * Hands the host what the guest gave each device for it before it ended, waiting for slow host
     * sides until {@code deadlineNanos} ({@link System#nanoTime}). Returns false if output was left.
     */
    public boolean finishOutput(long deadlineNanos) {
        boolean all = true;
        for (VirtioMmioTransport t : transports) {
            all &= t.finishOutput(deadlineNanos);
        }
        return all;
    }

    /** The transports, in the order devices were attached. */
    public List<VirtioMmioTransport> transports() {
        return Collections.unmodifiableList(transports);
    }
}
