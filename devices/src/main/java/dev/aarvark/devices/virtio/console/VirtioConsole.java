package dev.aarvark.devices.virtio.console;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.ProtocolError;
import dev.aarvark.devices.QueueError;
import dev.aarvark.devices.virtio.DriverSession;
import dev.aarvark.devices.virtio.VirtioDevice;
import dev.aarvark.devices.virtio.VirtioFeature;
import dev.aarvark.devices.virtio.queue.DescriptorChain;
import dev.aarvark.devices.virtio.queue.QueueService;
import dev.aarvark.devices.virtio.queue.SplitVirtqueue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The virtio console device (virtio 1.2 §5.3, device ID 3) as QEMU's {@code virtio-serial-device}
 * presents it, with ports 0..maxPorts-1 whose host sides are {@link dev.aarvark.devices.io.HostStream}s.
 *
 * <h2>What it offers (QEMU's values)</h2>
 * <ul>
 *   <li>VIRTIO_CONSOLE_F_MULTIPORT when it has more than one port (QEMU: {@code max_nr_ports > 1}),
 *       and VIRTIO_CONSOLE_F_EMERG_WRITE (QEMU's {@code emergency-write} property, on by default
 *       since QEMU 4.0). Not VIRTIO_CONSOLE_F_SIZE (QEMU does not offer it either).</li>
 *   <li>Queues as §5.3.2: with MULTIPORT offered, 2·(maxPorts+1) queues (QEMU creates them for every
 *       port slot, so Linux finds them all); QueueNumMax 128 for data queues and 32 for the two
 *       control queues ({@code virtio_add_queue(vdev, 128, ...)} and {@code (vdev, 32, ...)}).</li>
 *   <li>Configuration: cols 0, rows 0, max_nr_ports = maxPorts, emerg_wr ({@link ConsoleConfigSpace}).</li>
 * </ul>
 *
 * <h2>Without MULTIPORT</h2>
 * A driver that does not negotiate it (kvm-unit-tests' chr-testdev, old guests) gets port 0 on
 * queues 0/1, open from DRIVER_OK; no control messages are exchanged.
 *
 * <h2>Control protocol with MULTIPORT (§5.3.6.2, as Linux's virtio_console.c drives it)</h2>
 * DEVICE_READY(1) from the driver → PORT_ADD for every port. PORT_READY(1) for a port → CONSOLE_PORT
 * if it is a console port, PORT_NAME (the name and a trailing NUL, as QEMU sends it) if it has a
 * name, PORT_OPEN(1) if its host side is connected (the QEMU order). PORT_OPEN(v) from the driver
 * records whether the guest has the port open (host input flows only then). A host connecting or
 * disconnecting sends PORT_OPEN(1/0) for a readied port. {@link #removePort} sends PORT_REMOVE;
 * {@link #addPort} sends PORT_ADD. Guest mistakes are reported and ignored: a repeated DEVICE_READY
 * or PORT_READY (a port is readied once per driver session, so a driver cannot make the device
 * queue more messages), a PORT_READY for a port never announced, an unknown port id, an event only
 * the device sends. Device messages wait in a bounded queue (at most one per port and kind) until the
 * driver posts control buffers ({@link PendingControlMessages}).
 *
 * <h2>Data</h2>
 * {@link PortOutput} (guest to host: never dropped, held under host backpressure) and
 * {@link PortInput} (host to guest: waits in the host stream until buffers and an open port). Guest
 * output is handed to the host stream whether or not a host peer is connected; the stream decides
 * how much it buffers (QEMU discards output for an unconnected port; this device never does).
 *
 * <p>Invariants: all per-call work is bounded by {@link ConsoleLimits}; no host buffer grows with
 * guest behaviour; every method runs on the vCPU thread.
 */
public final class VirtioConsole implements VirtioDevice {
    /** Virtio device ID of a console (§5.3.1). */
    public static final int DEVICE_ID = 3;
    /** Feature bit: cols and rows are valid. Not offered. */
    public static final int F_SIZE = 0;
    /** Feature bit: several ports and the control queues. */
    public static final int F_MULTIPORT = 1;
    /** Feature bit: emerg_wr is valid. */
    public static final int F_EMERG_WRITE = 2;
    /** QueueNumMax of a port's receiveq and transmitq (QEMU). */
    public static final int PORT_QUEUE_SIZE = 128;
    /** QueueNumMax of the control queues (QEMU). */
    public static final int CONTROL_QUEUE_SIZE = 32;
    /** The number of ports when the machine does not say. */
    public static final int DEFAULT_PORTS = 2;
    /** The most ports a device may have (keeps the queue count within QEMU's VIRTIO_QUEUE_MAX of 1024). */
    public static final int MAX_PORTS = 511;

    private final String name;
    private final GuestErrorLog errors;
    private final int maxPorts;
    private final ConsoleLimits limits;
    private final ConsoleCounters counters = new ConsoleCounters();
    private final ConsolePort[] ports;
    private final ControlChannel control;
    private final ConsoleConfigSpace config;

    private DriverSession session;
    private boolean multiport;
    private boolean deviceReady;

    /** A console with {@code ports} (ids 0..n-1), room for no more, and the default limits. */
    public VirtioConsole(String name, List<ConsolePortSpec> ports, GuestErrorLog errors) {
        this(name, ports, Math.max(1, ports.size()), ConsoleLimits.DEFAULT, errors);
    }

    /**
     * A console with {@code ports} as ids 0..n-1 and room for {@code maxPorts} (ports may be added
     * later with {@link #addPort}). Each port's stream is started here.
     *
     * @param name     the name for guest errors, e.g. "virtio-console@a003e00" (use the transport's)
     * @param ports    the initial ports
     * @param maxPorts max_nr_ports, 1..{@value #MAX_PORTS}; MULTIPORT is offered if it is above 1
     * @param limits   the per-call caps
     * @param errors   the machine's guest error log
     */
    public VirtioConsole(String name, List<ConsolePortSpec> ports, int maxPorts, ConsoleLimits limits, GuestErrorLog errors) {
        this.name = Objects.requireNonNull(name, "name");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.control = new ControlChannel(this);
        if (maxPorts < 1 || maxPorts > MAX_PORTS || ports.size() > maxPorts) {
            throw new IllegalArgumentException("maxPorts " + maxPorts + " must be 1.." + MAX_PORTS + " and hold " + ports.size() + " ports");
        }
        this.maxPorts = maxPorts;
        this.ports = new ConsolePort[maxPorts];
        this.config = new ConsoleConfigSpace(name, maxPorts, this::emergencyWrite, errors);
        for (int id = 0; id < ports.size(); id++) {
            attach(id, Objects.requireNonNull(ports.get(id), "port " + id));
        }
    }

    public String name() {
        return name;
    }

    /** The guest error log this console reports to. */
    GuestErrorLog guestErrors() {
        return errors;
    }

    public int maxPorts() {
        return maxPorts;
    }

    public ConsoleCounters counters() {
        return counters;
    }

    /** True while the guest has port {@code id} open (always true for port 0 without MULTIPORT once live). */
    public boolean guestOpened(int id) {
        ConsolePort p = port(id);
        return p != null && p.guestOpen;
    }

    /**
     * Hot-plugs a port into the free slot {@code id}: starts its stream and, if the driver is ready
     * for control messages, announces it (PORT_ADD).
     *
     * @throws IllegalArgumentException if {@code id} is outside 0..maxPorts-1
     * @throws IllegalStateException    if the slot is taken
     */
    public void addPort(int id, ConsolePortSpec spec) {
        Objects.checkIndex(id, maxPorts);
        if (ports[id] != null) {
            throw new IllegalStateException("port " + id + " exists");
        }
        ConsolePort p = attach(id, Objects.requireNonNull(spec, "spec"));
        if (session != null && multiport && deviceReady) {
            p.announced = true;
            control.queue(new ControlMessage(id, ControlEvent.PORT_ADD, 1));
            control.deliver();
        }
    }

    /**
     * Hot-unplugs port {@code id}: the driver is told (PORT_REMOVE, or nothing if its PORT_ADD was
     * still pending), a transmit chain the port held is returned to the driver, and the port's
     * stream is no longer used (the machine closes it).
     *
     * @throws IllegalStateException if there is no such port
     */
    public void removePort(int id) {
        Objects.checkIndex(id, maxPorts);
        ConsolePort p = ports[id];
        if (p == null) {
            throw new IllegalStateException("no port " + id);
        }
        p.output.abandon();
        p.attached = false;
        ports[id] = null;
        if (session != null && multiport && p.announced) {
            boolean neverDelivered = control.pending().remove(id, ControlEvent.PORT_ADD);
            control.pending().removePort(id);
            if (!neverDelivered) {
                control.queue(new ControlMessage(id, ControlEvent.PORT_REMOVE, 1));
                control.deliver();
            }
        }
    }

    private ConsolePort attach(int id, ConsolePortSpec spec) {
        ConsolePort p = new ConsolePort(this, id, spec);
        ports[id] = p;
        spec.stream().start(p.listener);
        p.hostConnected = spec.stream().hostConnected();
        return p;
    }

    private ConsolePort port(int id) {
        return id >= 0 && id < maxPorts ? ports[id] : null;
    }

    // ---------------------------------------------------------------- VirtioDevice

    @Override
    public int deviceId() {
        return DEVICE_ID;
    }

    @Override
    public long deviceFeatures() {
        long f = VirtioFeature.bit(F_EMERG_WRITE);
        return maxPorts > 1 ? f | VirtioFeature.bit(F_MULTIPORT) : f;
    }

    @Override
    public int queueCount() {
        return ConsoleQueues.count(maxPorts, maxPorts > 1);
    }

    @Override
    public int queueMaxSize(int queue) {
        return queue == ConsoleQueues.CONTROL_RECEIVEQ || queue == ConsoleQueues.CONTROL_TRANSMITQ
                ? CONTROL_QUEUE_SIZE : PORT_QUEUE_SIZE;
    }

    @Override
    public int configSize() {
        return ConsoleConfigSpace.SIZE;
    }

    @Override
    public int readConfig(int offset, int size) {
        return config.read(offset, size);
    }

    @Override
    public void writeConfig(int offset, int size, int value) {
        config.write(offset, size, value);
    }

    @Override
    public void activate(DriverSession s) {
        session = s;
        multiport = s.negotiated(F_MULTIPORT);
        deviceReady = false;
        if (!multiport && ports[0] != null) {
            ports[0].guestOpen = true;
        }
        for (ConsolePort p : ports) {
            if (p != null) {
                p.input.wake();
            }
        }
    }

    @Override
    public void queueNotified(int queue) {
        if (queue >= ConsoleQueues.CONTROL_RECEIVEQ && !multiport) {
            errors.report(name, ProtocolError.NO_MULTIPORT, "queue " + queue + " notified; only queues 0 and 1 exist; ignored");
            return;
        }
        if (queue == ConsoleQueues.CONTROL_RECEIVEQ) {
            control.deliver();
            return;
        }
        if (queue == ConsoleQueues.CONTROL_TRANSMITQ) {
            control.receiveFromDriver();
            return;
        }
        ConsolePort p = port(ConsoleQueues.portOf(queue));
        if (p == null) {
            errors.report(name, ProtocolError.ABSENT_PORT, "queue " + queue + " of port " + ConsoleQueues.portOf(queue)
                    + " notified; its buffers stay in the ring");
            return;
        }
        if (ConsoleQueues.isReceiveq(queue)) {
            p.input.wake();
        } else {
            p.output.transmit();
        }
    }

    @Override
    public void reset() {
        session = null;
        multiport = false;
        deviceReady = false;
        control.reset();
        for (ConsolePort p : ports) {
            if (p != null) {
                p.resetSession();
            }
        }
    }

    @Override
    public boolean hasDeferredWork() {
        if (session == null) {
            return false;
        }
        if (control.hasDeferredWork()) {
            return true;
        }
        for (ConsolePort p : ports) {
            if (p != null && (p.output.hasDeferredWork() || p.input.hasDeferredWork())) {
                return true;
            }
        }
        return false;
    }

    /** Each port hands its host side what the driver queued for it (see {@link PortOutput#finish}). */
    @Override
    public boolean finishOutput(long deadlineNanos) {
        if (session == null) {
            return true;
        }
        boolean all = true;
        for (ConsolePort p : ports) {
            if (p != null) {
                all &= p.output.finish(deadlineNanos);
            }
        }
        return all;
    }

    @Override
    public void runDeferredWork() {
        if (session == null) {
            return;
        }
        control.runDeferredWork();
        for (ConsolePort p : ports) {
            if (p != null) {
                if (p.output.hasDeferredWork()) {
                    p.output.transmit();
                }
                if (p.input.hasDeferredWork()) {
                    p.input.runDeferredWork();
                }
            }
        }
    }

    // ---------------------------------------------------------------- for the ports and the control channel

    ConsoleLimits limits() {
        return limits;
    }

    /** The live queue {@code index}, or {@code null} (no session, not enabled, or only with MULTIPORT). */
    SplitVirtqueue liveQueue(int index) {
        if (session == null || (index >= ConsoleQueues.CONTROL_RECEIVEQ && !multiport)) {
            return null;
        }
        return session.queue(index);
    }

    void notifyUsed(int queue) {
        if (session != null) {
            session.notifyUsed(queue);
        }
    }

    /** The console's service loop for one queue handler: its guest errors and notifications. */
    QueueService queueService(QueueService.Direction direction, int maxChains) {
        return new QueueService(direction, maxChains, queueEvents);
    }

    private final QueueService.Events queueEvents = new QueueService.Events() {
        @Override
        public void wrongDirection(SplitVirtqueue q, DescriptorChain c, QueueService.Direction expected) {
            if (expected == QueueService.Direction.DEVICE_READS) {
                errors.report(name, QueueError.WRITABLE_IN_TRANSMIT, String.format(
                        "queue %d chain head %d has %d device-writable bytes (§5.3.6.1); they are ignored",
                        q.index(), c.head(), c.writableLength()));
            } else {
                errors.report(name, QueueError.READABLE_IN_RECEIVE, String.format(
                        "queue %d chain head %d has %d device-readable bytes (§5.3.6.1); returned unused",
                        q.index(), c.head(), c.readableLength()));
            }
        }

        @Override
        public void notifyUsed(int queue) {
            VirtioConsole.this.notifyUsed(queue);
        }
    };

    void hostConnectionChanged(ConsolePort p, boolean connected) {
        if (p.hostConnected == connected) {
            return;
        }
        p.hostConnected = connected;
        if (session != null && multiport && p.readied) {
            control.queue(new ControlMessage(p.id, ControlEvent.PORT_OPEN, connected ? 1 : 0));
            control.deliver();
        }
    }

    private void emergencyWrite(int b) {
        ConsolePort target = null;
        for (ConsolePort p : ports) {
            if (p != null && p.spec.console()) {
                target = p;
                break;
            }
        }
        if (target == null) {
            target = ports[0];
        }
        if (target == null) {
            counters.emergencyBytes++;
            counters.emergencyBytesDropped++;
            return;
        }
        target.output.emergencyWrite(b);
    }

    /** One message from the driver's control transmitq (§5.3.6.2). */
    void handleDriverMessage(ControlMessage m) {
        if (m.event() == ControlEvent.DEVICE_READY) {
            deviceReadyMessage(m);
            return;
        }
        ConsolePort p = port(m.port());
        if (p == null) {
            protocolError(m, "there is no port " + Integer.toUnsignedLong(m.port()));
            return;
        }
        switch (m.event()) {
            case ControlEvent.PORT_READY -> portReady(p, m);
            case ControlEvent.PORT_OPEN -> {
                p.guestOpen = m.value() != 0;
                if (p.guestOpen) {
                    p.input.wake();
                }
            }
            default -> protocolError(m, "the driver does not send this event");
        }
    }

    private void deviceReadyMessage(ControlMessage m) {
        if (m.value() == 0) {
            protocolError(m, "the driver reports that it failed to set the device up");
            return;
        }
        if (deviceReady) {
            protocolError(m, "DEVICE_READY was already received in this session; ignored");
            return;
        }
        deviceReady = true;
        for (ConsolePort p : ports) {
            if (p != null) {
                p.announced = true;
                control.queue(new ControlMessage(p.id, ControlEvent.PORT_ADD, 1));
            }
        }
    }

    private void portReady(ConsolePort p, ControlMessage m) {
        if (m.value() == 0) {
            protocolError(m, "the driver reports that it failed to add the port");
            return;
        }
        if (!p.announced) {
            protocolError(m, "the port was not announced (PORT_ADD) in this session; ignored");
            return;
        }
        if (p.readied) {
            protocolError(m, "the port was already readied in this session; ignored");
            return;
        }
        p.readied = true;
        if (p.spec.console()) {
            control.queue(new ControlMessage(p.id, ControlEvent.CONSOLE_PORT, 1));
        }
        if (p.spec.name() != null) {
            byte[] utf8 = p.spec.name().getBytes(StandardCharsets.UTF_8);
            control.queue(new ControlMessage(p.id, ControlEvent.PORT_NAME, 1, Arrays.copyOf(utf8, utf8.length + 1)));
        }
        if (p.hostConnected) {
            control.queue(new ControlMessage(p.id, ControlEvent.PORT_OPEN, 1));
        }
    }

    private void protocolError(ControlMessage m, String why) {
        errors.report(name, ProtocolError.CONTROL_PROTOCOL, m + ": " + why);
    }
}
