package dev.aarvark.devices.virtio.mmio;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.GuestError;
import dev.aarvark.devices.virtio.VirtioFeature;
import dev.aarvark.devices.virtio.testkit.DriverQueue;
import dev.aarvark.devices.virtio.testkit.GuestMemory;
import dev.aarvark.devices.virtio.testkit.MmioDriver;
import dev.aarvark.devices.testkit.RecordingIrqLine;

/** A transport with a {@link RecordingDevice}, guest memory, an IRQ line and a driver. */
final class TransportFixture implements AutoCloseable {
    static final long DRIVER_FEATURES = VirtioFeature.bit(VirtioFeature.VERSION_1) | VirtioFeature.bit(VirtioFeature.EVENT_IDX)
            | VirtioFeature.bit(VirtioFeature.INDIRECT_DESC) | RecordingDevice.FEATURES;

    final String name = "virtio-mmio-test";
    final GuestErrorLog guestErrors = new GuestErrorLog();
    final GuestMemory mem = new GuestMemory(1 << 20);
    final RecordingDevice device = new RecordingDevice();
    final RecordingIrqLine irq = new RecordingIrqLine();
    final VirtioMmioTransport transport;
    final MmioDriver driver;

    TransportFixture(VirtioMmioVersion version) {
        transport = new VirtioMmioTransport(name, device, mem.dma(), irq, version, guestErrors);
        driver = new MmioDriver(transport);
    }

    TransportFixture() {
        this(VirtioMmioVersion.MODERN);
    }

    long errors(GuestError kind) {
        return guestErrors.count(name, kind);
    }

    /** Negotiates, sets up queue {@code index} of {@code size} entries and sets DRIVER_OK. */
    DriverQueue liveQueue(int index, int size) {
        driver.negotiate(DRIVER_FEATURES, true);
        DriverQueue q = DriverQueue.modern(mem, index, size);
        driver.setupModernQueue(q);
        driver.driverOk();
        return q;
    }

    @Override
    public void close() {
        mem.close();
    }
}
