package dev.aarvark.devices.virtio.net;

import dev.aarvark.devices.GuestError;
import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.testkit.RecordingIrqLine;
import dev.aarvark.devices.virtio.VirtioFeature;
import dev.aarvark.devices.virtio.mmio.VirtioMmioTransport;
import dev.aarvark.devices.virtio.mmio.VirtioMmioVersion;
import dev.aarvark.devices.virtio.testkit.DriverQueue;
import dev.aarvark.devices.virtio.testkit.DriverQueue.Buffer;
import dev.aarvark.devices.virtio.testkit.GuestMemory;
import dev.aarvark.devices.virtio.testkit.MmioDriver;
import dev.aarvark.devices.virtio.testkit.RecordingDmaSpace;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.aarvark.devices.virtio.testkit.MmioDriver.GUEST_PAGE_SIZE;

/**
 * A virtio-net device behind a virtio-mmio transport, driven the way Linux's virtio_net.c and
 * virtio_mmio.c drive it: probe (features, every queue at QueueNumMax), DRIVER_OK, receive buffers,
 * packets as a header buffer plus a frame buffer, control commands as header / data / ack buffers.
 */
final class NetHarness implements AutoCloseable {
    static final MacAddress MAC = MacAddress.qemuDefault(0);
    static final MacAddress PEER = MacAddress.parse("52:54:00:aa:bb:cc");
    static final MacAddress OTHER = MacAddress.parse("52:54:00:99:99:99");
    static final MacAddress BROADCAST = MacAddress.parse("ff:ff:ff:ff:ff:ff");

    /** What Linux 6.x negotiates from this device's offer (no offloads without a vnet-header backend). */
    static final long LINUX = VirtioFeature.bit(VirtioFeature.VERSION_1) | VirtioFeature.bit(VirtioFeature.INDIRECT_DESC)
            | VirtioFeature.bit(VirtioFeature.EVENT_IDX) | NetFeatures.offered(false);

    final String name = "virtio-net@a003e00";
    final GuestErrorLog guestErrors = new GuestErrorLog();
    final GuestMemory mem = new GuestMemory(64 << 20);
    final RecordingDmaSpace dma = new RecordingDmaSpace(mem.dma());
    final RecordingIrqLine irq = new RecordingIrqLine();
    final FakeFrameBackend backend;
    final VirtioNet net;
    final VirtioMmioTransport transport;
    final MmioDriver driver;
    final VirtioMmioVersion version;
    DriverQueue rxq;
    DriverQueue txq;
    DriverQueue ctrlq;
    long features;
    /** QueueNum the driver picks for receiveq0 (0: QueueNumMax, as Linux). */
    int rxQueueSize;
    /** The writable buffers of each posted receive chain, by head: {address, length} pairs. */
    private final Map<Integer, List<long[]>> rxBuffers = new HashMap<>();

    NetHarness(FakeFrameBackend backend, NetLimits limits, VirtioMmioVersion version) {
        this.backend = backend;
        this.version = version;
        net = new VirtioNet(name, MAC, backend, VirtioNet.DEFAULT_MTU, limits, guestErrors);
        transport = new VirtioMmioTransport(name, net, dma, irq, version, guestErrors);
        driver = new MmioDriver(transport);
    }

    NetHarness() {
        this(new FakeFrameBackend(), NetLimits.DEFAULT, VirtioMmioVersion.MODERN);
    }

    static NetHarness withLimits(NetLimits limits) {
        return new NetHarness(new FakeFrameBackend(), limits, VirtioMmioVersion.MODERN);
    }

    long errors(GuestError kind) {
        return guestErrors.count(name, kind);
    }

    long dropped(NetDrop reason) {
        return net.counters().dropped(reason);
    }

    // ---------------------------------------------------------------- probe

    /** virtnet_probe up to DRIVER_OK with {@code features}: every queue at QueueNumMax (controlq only with CTRL_VQ). */
    NetHarness probe(long features) {
        return probe(features, () -> { });
    }

    /** {@link #probe(long)}, running {@code beforeDriverOk} after the queues are set up and before DRIVER_OK. */
    NetHarness probe(long features, Runnable beforeDriverOk) {
        this.features = features;
        boolean modern = version == VirtioMmioVersion.MODERN;
        if (!modern) {
            driver.write(GUEST_PAGE_SIZE, 4096);
        }
        driver.negotiate(features, modern);
        rxq = setUp(VirtioNet.RECEIVEQ, modern);
        txq = setUp(VirtioNet.TRANSMITQ, modern);
        ctrlq = VirtioFeature.has(features, NetFeatures.CTRL_VQ) ? setUp(VirtioNet.CONTROLQ, modern) : null;
        rxBuffers.clear();
        beforeDriverOk.run();
        driver.driverOk();
        return this;
    }

    NetHarness linux() {
        return probe(LINUX);
    }

    private DriverQueue setUp(int index, boolean modern) {
        driver.write(MmioDriver.QUEUE_SEL, index);
        int max = (int) driver.read(MmioDriver.QUEUE_NUM_MAX);
        if (index == VirtioNet.RECEIVEQ && rxQueueSize > 0) {
            max = rxQueueSize;
        }
        if (modern) {
            DriverQueue q = DriverQueue.modern(mem, index, max);
            driver.setupModernQueue(q);
            return q;
        }
        DriverQueue q = DriverQueue.legacy(mem, index, max, 4096, 4096);
        driver.setupLegacyQueue(q, 4096);
        return q;
    }

    /** The header size the driver uses: 12 with VERSION_1 or MRG_RXBUF, else 10. */
    int headerBytes() {
        return VirtioFeature.has(features, VirtioFeature.VERSION_1) || VirtioFeature.has(features, NetFeatures.MRG_RXBUF)
                ? 12 : 10;
    }

    // ---------------------------------------------------------------- receive

    /** Posts {@code n} receive chains of one {@code size}-byte writable buffer each, then notifies. */
    List<Integer> postRx(int n, int size) {
        List<Integer> heads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            heads.add(postRxChain(size));
        }
        driver.notify(VirtioNet.RECEIVEQ);
        return heads;
    }

    /** One receive chain of buffers of {@code sizes} bytes, published but not notified. */
    int postRxChain(int... sizes) {
        Buffer[] buffers = new Buffer[sizes.length];
        List<long[]> ranges = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            long addr = mem.alloc(Math.max(sizes[i], 1), 8);
            buffers[i] = Buffer.in(addr, sizes[i]);
            ranges.add(new long[] {addr, sizes[i]});
        }
        int head = rxq.add(buffers);
        rxBuffers.put(head, ranges);
        return head;
    }

    /** One used receive buffer: the chain's head and the bytes the device wrote into it. */
    record Received(int head, byte[] bytes) {
        int numBuffers() {
            return (bytes[10] & 0xFF) | (bytes[11] & 0xFF) << 8;
        }
    }

    /** Interrupt decisions the transport made (sent or suppressed): one per pass that completed chains. */
    long notificationDecisions() {
        return transport.counters().usedBufferInterrupts() + transport.counters().suppressedUsedNotifications();
    }

    /** The used receive buffers since the last call, in order. */
    List<Received> takeRx() {
        List<Received> out = new ArrayList<>();
        for (DriverQueue.Used u : rxq.takeUsed()) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            long left = u.len();
            for (long[] r : rxBuffers.get(u.id())) {
                int n = (int) Math.min(left, r[1]);
                b.writeBytes(mem.read(r[0], n));
                left -= n;
            }
            out.add(new Received(u.id(), b.toByteArray()));
        }
        return out;
    }

    // ---------------------------------------------------------------- transmit

    /** start_xmit: a header buffer and a frame buffer in one chain (Linux without ANY_LAYOUT), then a notification. */
    int transmit(byte[] header, byte[] frame) {
        int head = txChain(header, frame);
        driver.notify(VirtioNet.TRANSMITQ);
        return head;
    }

    /** transmit with a zero header of the negotiated size. */
    int transmit(byte[] frame) {
        return transmit(new byte[headerBytes()], frame);
    }

    /** Each part as its own readable descriptor of one chain, published but not notified. */
    int txChain(byte[]... parts) {
        Buffer[] buffers = new Buffer[parts.length];
        for (int i = 0; i < parts.length; i++) {
            long addr = mem.alloc(Math.max(parts[i].length, 1), 8);
            mem.write(addr, parts[i]);
            buffers[i] = Buffer.out(addr, parts[i].length);
        }
        return txq.add(buffers);
    }

    // ---------------------------------------------------------------- control

    /** virtnet_send_command: class/command, data, ack buffers; returns the ack byte the device wrote (or -1). */
    int control(int cls, int cmd, byte[]... data) {
        long hdr = mem.alloc(2, 8);
        mem.write(hdr, new byte[] {(byte) cls, (byte) cmd});
        List<Buffer> buffers = new ArrayList<>();
        buffers.add(Buffer.out(hdr, 2));
        for (byte[] d : data) {
            long a = mem.alloc(Math.max(d.length, 1), 8);
            mem.write(a, d);
            buffers.add(Buffer.out(a, d.length));
        }
        long ack = mem.alloc(1, 8);
        mem.write(ack, new byte[] {(byte) 0xEE});
        buffers.add(Buffer.in(ack, 1));
        ctrlq.add(buffers.toArray(Buffer[]::new));
        driver.notify(VirtioNet.CONTROLQ);
        List<DriverQueue.Used> used = ctrlq.takeUsed();
        if (used.size() != 1 || used.getFirst().len() != 1) {
            return -1;
        }
        return mem.read(ack, 1)[0] & 0xFF;
    }

    // ---------------------------------------------------------------- frames

    /** An Ethernet frame to {@code dst} from {@code src}, IPv4 ethertype, {@code payload} bytes of a counting pattern. */
    static byte[] frame(MacAddress dst, MacAddress src, int payload) {
        byte[] f = new byte[14 + payload];
        System.arraycopy(dst.bytes(), 0, f, 0, 6);
        System.arraycopy(src.bytes(), 0, f, 6, 6);
        f[12] = 0x08;
        f[13] = 0x00;
        for (int i = 0; i < payload; i++) {
            f[14 + i] = (byte) (i * 7 + payload);
        }
        return f;
    }

    /** A frame from the peer to this NIC. */
    static byte[] toUs(int payload) {
        return frame(MAC, PEER, payload);
    }

    /** A frame from this NIC to the peer. */
    static byte[] fromUs(int payload) {
        return frame(PEER, MAC, payload);
    }

    /** {@code b[from..]}. */
    static byte[] tail(byte[] b, int from) {
        return java.util.Arrays.copyOfRange(b, from, b.length);
    }

    static byte[] le16(int v) {
        return new byte[] {(byte) v, (byte) (v >>> 8)};
    }

    static byte[] le32(long v) {
        return new byte[] {(byte) v, (byte) (v >>> 8), (byte) (v >>> 16), (byte) (v >>> 24)};
    }

    @Override
    public void close() {
        mem.close();
    }
}
