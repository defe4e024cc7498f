package dev.aarvark.devices.virtio.console;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.GuestError;
import dev.aarvark.devices.virtio.VirtioFeature;
import dev.aarvark.devices.virtio.mmio.VirtioMmioTransport;
import dev.aarvark.devices.virtio.mmio.VirtioMmioVersion;
import dev.aarvark.devices.virtio.testkit.DriverQueue;
import dev.aarvark.devices.virtio.testkit.DriverQueue.Buffer;
import dev.aarvark.devices.virtio.testkit.FakeHostStream;
import dev.aarvark.devices.virtio.testkit.GuestMemory;
import dev.aarvark.devices.virtio.testkit.MmioDriver;
import dev.aarvark.devices.virtio.testkit.RecordingDmaSpace;
import dev.aarvark.devices.testkit.RecordingIrqLine;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static dev.aarvark.devices.virtio.testkit.MmioDriver.QUEUE_NUM_MAX;
import static dev.aarvark.devices.virtio.testkit.MmioDriver.QUEUE_SEL;
import static dev.aarvark.devices.virtio.testkit.MmioDriver.QUEUE_READY;

/**
 * A console behind a virtio-mmio transport, driven the way Linux's virtio_console.c and
 * virtio_mmio.c drive it: probe (features, max_nr_ports, every queue), DRIVER_OK, control receive
 * buffers, DEVICE_READY, PORT_READY for each PORT_ADD, PORT_OPEN for a console port, receive
 * buffers per port (Linux posts PAGE_SIZE buffers; here 4 KiB), output as one readable buffer.
 */
final class ConsoleHarness implements AutoCloseable {
    static final int BUFFER = 4096;
    static final String PORT1_NAME = "org.test.port";

    /** A control message the device sent. */
    record Msg(int id, int event, int value, byte[] tail) {
        String tailText() {
            return new String(tail, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return ControlEvent.name(event) + "(" + id + "," + value + (tail.length > 0 ? "," + tailText() : "") + ")";
        }
    }

    final String name = "virtio-console-test";
    final GuestErrorLog guestErrors = new GuestErrorLog();
    final GuestMemory mem = new GuestMemory(16 << 20);
    final RecordingDmaSpace dma = new RecordingDmaSpace(mem.dma());
    final RecordingIrqLine irq = new RecordingIrqLine();
    final List<FakeHostStream> hosts = new ArrayList<>();
    final VirtioConsole console;
    final VirtioMmioTransport transport;
    final MmioDriver driver;
    final Map<Integer, DriverQueue> queues = new HashMap<>();
    /** Whether the "driver" puts a control buffer back right after reading a message (Linux does). */
    boolean repostControlBuffers = true;

    ConsoleHarness(List<ConsolePortSpec> ports, int maxPorts, ConsoleLimits limits, VirtioMmioVersion version) {
        for (ConsolePortSpec p : ports) {
            hosts.add(p.stream() instanceof FakeHostStream f ? f : null);
        }
        console = new VirtioConsole(name, ports, maxPorts, limits, guestErrors);
        transport = new VirtioMmioTransport(name, console, dma, irq, version, guestErrors);
        driver = new MmioDriver(transport);
    }

    /** Port 0: an unnamed console port; port 1: a named generic port; both hosts connected. */
    static ConsoleHarness twoPorts() {
        return twoPorts(ConsoleLimits.DEFAULT);
    }

    static ConsoleHarness twoPorts(ConsoleLimits limits) {
        return new ConsoleHarness(List.of(ConsolePortSpec.console(new FakeHostStream()),
                ConsolePortSpec.named(PORT1_NAME, new FakeHostStream())), 2, limits, VirtioMmioVersion.MODERN);
    }

    FakeHostStream host(int port) {
        return hosts.get(port);
    }

    DriverQueue queue(int index) {
        return queues.get(index);
    }

    long errors(GuestError kind) {
        return guestErrors.count(name, kind);
    }

    // ---------------------------------------------------------------- probe

    /** virtcons_probe up to DRIVER_OK: features, max_nr_ports, every queue at QueueNumMax. */
    void probe(boolean multiport, boolean eventIdx) {
        long features = VirtioFeature.bit(VirtioFeature.VERSION_1) | VirtioFeature.bit(VirtioFeature.INDIRECT_DESC)
                | (multiport ? VirtioFeature.bit(VirtioConsole.F_MULTIPORT) : 0)
                | (eventIdx ? VirtioFeature.bit(VirtioFeature.EVENT_IDX) : 0);
        driver.negotiate(features, true);
        int nrPorts = multiport ? (int) driver.readConfig(ConsoleConfigSpace.MAX_NR_PORTS, 4) : 1;
        int nrQueues = multiport ? 2 * (nrPorts + 1) : 2;
        queues.clear();
        for (int i = 0; i < nrQueues; i++) {
            driver.write(QUEUE_SEL, i);
            if (driver.read(QUEUE_READY) != 0) {
                throw new AssertionError("queue " + i + " already set up");
            }
            int max = (int) driver.read(QUEUE_NUM_MAX);
            DriverQueue q = DriverQueue.modern(mem, i, max);
            driver.setupModernQueue(q);
            queues.put(i, q);
        }
        driver.driverOk();
    }

    /** The whole Linux bring-up with MULTIPORT: control buffers, DEVICE_READY, ports readied and opened. */
    List<Msg> linuxMultiportBringUp(boolean eventIdx) {
        probe(true, eventIdx);
        postControlBuffers(8);
        sendControl(-1, ControlEvent.DEVICE_READY, 1);
        List<Msg> all = new ArrayList<>();
        List<Msg> batch = takeControlMessages();
        while (!batch.isEmpty()) {
            all.addAll(batch);
            for (Msg m : batch) {
                if (m.event() == ControlEvent.PORT_ADD) {
                    postReceiveBuffers(m.id(), 4);
                    sendControl(m.id(), ControlEvent.PORT_READY, 1);
                } else if (m.event() == ControlEvent.CONSOLE_PORT) {
                    sendControl(m.id(), ControlEvent.PORT_OPEN, 1);
                }
            }
            batch = takeControlMessages();
        }
        return all;
    }

    // ---------------------------------------------------------------- control queues

    void postControlBuffers(int n) {
        DriverQueue q = queue(ConsoleQueues.CONTROL_RECEIVEQ);
        for (int i = 0; i < n; i++) {
            q.add(Buffer.in(mem.alloc(BUFFER, 8), BUFFER));
        }
        driver.notify(ConsoleQueues.CONTROL_RECEIVEQ);
    }

    /** send_control_msg: one 8-byte readable buffer in the control transmitq, then a notification. */
    void sendControl(int id, int event, int value) {
        byte[] b = new ControlMessage(id, event, value).encode();
        sendRawControl(b);
    }

    void sendRawControl(byte[] bytes) {
        long buf = mem.alloc(Math.max(bytes.length, 1), 8);
        mem.write(buf, bytes);
        queue(ConsoleQueues.CONTROL_TRANSMITQ).add(Buffer.out(buf, bytes.length));
        driver.notify(ConsoleQueues.CONTROL_TRANSMITQ);
    }

    /** control_work_handler: every used control buffer, parsed; each buffer is put back if Linux would. */
    List<Msg> takeControlMessages() {
        DriverQueue q = queue(ConsoleQueues.CONTROL_RECEIVEQ);
        List<Msg> out = new ArrayList<>();
        List<DriverQueue.Used> used = q.takeUsed();
        for (DriverQueue.Used u : used) {
            long buf = q.firstBuffer(u.id());
            byte[] raw = mem.read(buf, (int) u.len());
            if (raw.length >= 8) {
                ControlMessage h = ControlMessage.decodeHeader(raw);
                byte[] tail = new byte[raw.length - 8];
                System.arraycopy(raw, 8, tail, 0, tail.length);
                out.add(new Msg(h.port(), h.event(), h.value(), tail));
            }
        }
        if (repostControlBuffers && !used.isEmpty()) {
            postControlBuffers(used.size());
        }
        return out;
    }

    // ---------------------------------------------------------------- data

    void postReceiveBuffers(int port, int n) {
        postReceiveBuffers(port, n, BUFFER);
    }

    void postReceiveBuffers(int port, int n, int size) {
        DriverQueue q = queue(ConsoleQueues.receiveq(port));
        for (int i = 0; i < n; i++) {
            q.add(Buffer.in(mem.alloc(Math.max(size, 1), 8), size));
        }
        driver.notify(ConsoleQueues.receiveq(port));
    }

    /** Everything the device wrote into port {@code port}'s receive buffers since the last call. */
    String takeReceived(int port) {
        return new String(takeReceivedBytes(port), StandardCharsets.UTF_8);
    }

    byte[] takeReceivedBytes(int port) {
        DriverQueue q = queue(ConsoleQueues.receiveq(port));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (DriverQueue.Used u : q.takeUsed()) {
            out.writeBytes(mem.read(q.firstBuffer(u.id()), (int) u.len()));
        }
        return out.toByteArray();
    }

    /** put_chars / port_fops_write: one readable buffer in the port's transmitq, then a notification. */
    int transmit(int port, byte[] data) {
        long buf = mem.alloc(Math.max(data.length, 1), 8);
        mem.write(buf, data);
        int head = queue(ConsoleQueues.transmitq(port)).add(Buffer.out(buf, data.length));
        driver.notify(ConsoleQueues.transmitq(port));
        return head;
    }

    int transmit(int port, String text) {
        return transmit(port, text.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        mem.close();
    }
}
