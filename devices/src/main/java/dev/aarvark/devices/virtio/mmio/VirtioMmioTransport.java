package dev.aarvark.devices.virtio.mmio;

import dev.aarvark.devices.GuestError;
import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.ProtocolError;
import dev.aarvark.devices.RegisterError;
import dev.aarvark.devices.IrqLine;
import dev.aarvark.devices.MmioDevice;
import dev.aarvark.devices.RegisterAccess;
import dev.aarvark.devices.virtio.DeviceStatus;
import dev.aarvark.devices.virtio.DriverSession;
import dev.aarvark.devices.virtio.VirtioDevice;
import dev.aarvark.devices.virtio.VirtioFeature;
import dev.aarvark.devices.virtio.queue.QueueFeatures;
import dev.aarvark.devices.virtio.queue.QueueLayout;
import dev.aarvark.devices.virtio.queue.QueueLayoutException;
import dev.aarvark.devices.virtio.queue.SplitVirtqueue;
import dev.aarvark.iommu.DmaSpace;

import java.util.BitSet;
import java.util.Objects;

import static dev.aarvark.devices.virtio.DeviceStatus.ACKNOWLEDGE;
import static dev.aarvark.devices.virtio.DeviceStatus.DEVICE_NEEDS_RESET;
import static dev.aarvark.devices.virtio.DeviceStatus.DRIVER;
import static dev.aarvark.devices.virtio.DeviceStatus.DRIVER_OK;
import static dev.aarvark.devices.virtio.DeviceStatus.FEATURES_OK;

/**
 * A virtio-mmio transport with a device behind it (virtio 1.2 §4.2): the register block of §4.2.2
 * (modern, Version 2) or §4.2.4 (legacy, Version 1), the device status state machine (§2.1, §3.1),
 * feature negotiation (§2.2), virtqueue configuration, notifications both ways, and the
 * device-specific configuration space at 0x100.
 *
 * <h2>Identity and features</h2>
 * MagicValue "virt", Version 2 or 1, the device's DeviceID, VendorID 0x554D4551 ("QEMU", as QEMU's
 * transports report). The offered features are the device's own bits plus VIRTIO_F_INDIRECT_DESC and
 * VIRTIO_F_EVENT_IDX (implemented by {@link SplitVirtqueue}, offered by QEMU for every device), plus
 * VIRTIO_F_VERSION_1 on a modern transport, or VIRTIO_F_NOTIFY_ON_EMPTY and VIRTIO_F_ANY_LAYOUT on a
 * legacy one (the two bits §6.3 lets only a legacy interface offer; QEMU offers them by default), plus VIRTIO_F_ACCESS_PLATFORM on a modern transport behind an IOMMU.
 *
 * <h2>Rules enforced (each violation a {@link GuestErrorLog} report naming the register, the value and
 * this transport; the access then changes nothing)</h2>
 * <ul>
 *   <li>Registers are 32 bits wide and aligned (§4.2.2.2); the configuration space takes naturally
 *       aligned 1-, 2- and 4-byte accesses inside the device's configuration. libunicorn splits a
 *       guest's 8-byte access in two 4-byte accesses, so those arrive as two valid accesses.</li>
 *   <li>Read-only registers are not written, write-only registers read as 0; legacy registers
 *       (GuestPageSize, QueueAlign, QueuePFN) on a modern transport and modern-only registers on a
 *       legacy one are errors.</li>
 *   <li>Status: 0 resets the device. FEATURES_OK is refused (left clear, §2.2.2) if the driver
 *       accepted a feature that was not offered or, on a modern transport, omitted
 *       VIRTIO_F_VERSION_1; DRIVER_OK is refused on a modern transport without FEATURES_OK. The
 *       driver cannot clear bits without a reset nor set DEVICE_NEEDS_RESET; out-of-order bits are
 *       reported. The features are final from FEATURES_OK (modern) or DRIVER_OK (legacy, which has
 *       no FEATURES_OK, §3.1.2); later DriverFeatures writes are errors.</li>
 *   <li>Queue configuration (QueueNum, QueueAlign, the part addresses, QueueReady, QueuePFN) is
 *       accepted only between FEATURES_OK (legacy: DRIVER) and DRIVER_OK, only for an existing
 *       queue, and not while that queue is enabled (§4.2.2.2); after DRIVER_OK it is immutable
 *       (as Firecracker enforces). Writing 0 to QueueReady/QueuePFN of a queue that is not enabled
 *       is a silent no-op: Linux does it when deleting queues after a reset. Enabling a queue
 *       validates its layout ({@link QueueLayout}); an invalid one is reported and the queue stays
 *       disabled.</li>
 *   <li>QueueNotify names a queue (VIRTIO_F_NOTIFICATION_DATA is not offered). A notification
 *       before DRIVER_OK breaks §3.1.1 ("the driver MUST NOT notify the device before setting
 *       DRIVER_OK"): it is reported and kept pending, and delivered to the device right after
 *       DRIVER_OK, so an early kick is neither acted on early (no DMA before the driver said it is
 *       ready, which the BOOTINFO case in docs/bootinfo.md needs to rule out) nor lost (QEMU processes
 *       early kicks for some devices; drivers that rely on that still work).</li>
 * </ul>
 *
 * <h2>Interrupts and failures</h2>
 * The line is high while InterruptStatus is non-zero (as QEMU). A device's
 * {@link DriverSession#notifyUsed} sets bit 0 unless the queue's suppression says otherwise. A queue
 * that stops on ring corruption sets DEVICE_NEEDS_RESET and bit 1 (§2.1.2: after DRIVER_OK the device
 * MUST send a configuration change notification). A device that changes its configuration space
 * ({@link DriverSession#notifyConfigChange}) advances ConfigGeneration and sets bit 1 too, as QEMU's
 * {@code virtio_notify_config}. Writing 0 to Status resets the device and
 * releases every queue and chain; GuestPageSize survives it (QEMU clears it only on system reset,
 * and Linux writes it once, before the first reset).
 *
 * <h2>Deferred work</h2>
 * Devices cap the work per call; {@link #hasDeferredWork()} tells the run loop that a device
 * stopped at a cap with work left that no further notification may announce (e.g. Linux's hvc
 * console spins waiting for its transmit buffer), and {@link #runDeferredWork()} continues it.
 *
 * <p>Threading: vCPU thread only; no locks.
 */
public final class VirtioMmioTransport implements MmioDevice {
    /** Size of the register block. */
    public static final long SIZE = 0x200;
    /** MagicValue: "virt" little-endian. */
    public static final int MAGIC = 0x7472_6976;
    /** VendorID "QEMU". */
    public static final int VENDOR_QEMU = 0x554D_4551;
    /** Offset of the device-specific configuration space. */
    public static final int CONFIG_OFFSET = 0x100;

    private final String name;
    private final GuestErrorLog errors;
    private final VirtioDevice device;
    private final DmaSpace dma;
    private final VirtioMmioVersion version;
    private final InterruptStatusRegister interrupts;
    private final FeatureNegotiation features;
    private final QueueRegisters[] queues;
    private final BitSet pendingNotifies;
    private final TransportCounters counters = new TransportCounters();

    private int status;
    private int queueSelect;
    private long guestPageSize;
    private Session session;
    /** ConfigGeneration: advanced by every configuration change the device announces; never reset. */
    private int configGeneration;

    /**
     * A transport in its reset state.
     *
     * @param name    the name for logs, guest errors and DMA requesters, e.g. "virtio-console@a003e00"
     * @param device  the device behind the transport
     * @param dma     the device's view of guest memory
     * @param irq     the transport's interrupt line (SPI 16 + slot on the {@code virt} board)
     * @param version modern (Version 2) or legacy (Version 1)
     * @param errors  the machine's guest error log (the transport's virtqueues report to it too)
     */
    public VirtioMmioTransport(String name, VirtioDevice device, DmaSpace dma, IrqLine irq, VirtioMmioVersion version,
                               GuestErrorLog errors) {
        this(name, device, dma, irq, version, false, errors);
    }

    /**
     * A transport whose device sits behind an IOMMU when {@code behindIommu}: a modern transport
     * then also offers VIRTIO_F_ACCESS_PLATFORM (§6.1), so the driver hands the device IOMMU
     * addresses. What the device's accesses go through is {@code dma} either way.
     */
    public VirtioMmioTransport(String name, VirtioDevice device, DmaSpace dma, IrqLine irq, VirtioMmioVersion version,
                               boolean behindIommu, GuestErrorLog errors) {
        this.name = Objects.requireNonNull(name, "name");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.device = Objects.requireNonNull(device, "device");
        this.dma = Objects.requireNonNull(dma, "dma");
        this.version = Objects.requireNonNull(version, "version");
        this.interrupts = new InterruptStatusRegister(Objects.requireNonNull(irq, "irq"));
        long offered = device.deviceFeatures() | VirtioFeature.bit(VirtioFeature.INDIRECT_DESC)
                | VirtioFeature.bit(VirtioFeature.EVENT_IDX);
        offered |= version == VirtioMmioVersion.MODERN ? VirtioFeature.bit(VirtioFeature.VERSION_1)
                : VirtioFeature.bit(VirtioFeature.NOTIFY_ON_EMPTY) | VirtioFeature.bit(VirtioFeature.ANY_LAYOUT);
        if (behindIommu && version == VirtioMmioVersion.MODERN) {
            offered |= VirtioFeature.bit(VirtioFeature.ACCESS_PLATFORM);
        }
        this.features = new FeatureNegotiation(offered);
        this.queues = new QueueRegisters[device.queueCount()];
        for (int i = 0; i < queues.length; i++) {
            int max = device.queueMaxSize(i);
            if (max < 1 || max > QueueLayout.MAX_SIZE) {
                throw new IllegalArgumentException("queue " + i + " maximum size " + max + " is outside 1.." + QueueLayout.MAX_SIZE);
            }
            queues[i] = new QueueRegisters(max);
        }
        this.pendingNotifies = new BitSet(queues.length);
    }

    /** A modern (Version 2) transport. */
    public VirtioMmioTransport(String name, VirtioDevice device, DmaSpace dma, IrqLine irq, GuestErrorLog errors) {
        this(name, device, dma, irq, VirtioMmioVersion.MODERN, errors);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return SIZE;
    }

    public VirtioMmioVersion version() {
        return version;
    }

    /** The feature bits this transport offers (DeviceFeatures). */
    public long offeredFeatures() {
        return features.offered();
    }

    /** The current Status register. */
    public int status() {
        return status;
    }

    public TransportCounters counters() {
        return counters;
    }

    /** True if the device has work left over from a per-call cap (see the class comment). */
    public boolean hasDeferredWork() {
        return session != null && device.hasDeferredWork();
    }

    /** Hands the host what the driver gave the device for it (see {@link VirtioDevice#finishOutput}). */
    public boolean finishOutput(long deadlineNanos) {
        return session == null || device.finishOutput(deadlineNanos);
    }

    /** Continues the device's deferred work (bounded per call). */
    public void runDeferredWork() {
        if (session != null) {
            device.runDeferredWork();
        }
    }

    // ---------------------------------------------------------------- MMIO

    @Override
    public long read(long offset, int size) {
        if (offset >= CONFIG_OFFSET && offset < SIZE) {
            return readConfig((int) (offset - CONFIG_OFFSET), size);
        }
        VirtioMmioRegister reg = register("read", offset, size, 0);
        if (reg == null) {
            return 0;
        }
        if (!reg.readable()) {
            report(RegisterError.READ_WRITE_ONLY, reg.specName + " is write-only; the read returns 0");
            return 0;
        }
        QueueRegisters q = selectedQueue();
        long value = switch (reg) {
            case MAGIC_VALUE -> MAGIC;
            case VERSION -> version.register();
            case DEVICE_ID -> device.deviceId();
            case VENDOR_ID -> VENDOR_QEMU;
            case DEVICE_FEATURES -> features.deviceFeaturesPage();
            case QUEUE_NUM_MAX -> q == null ? 0 : q.maxSize;
            case QUEUE_PFN -> q == null ? 0 : q.pfn;
            case QUEUE_READY -> q != null && q.enabled() ? 1 : 0;
            case INTERRUPT_STATUS -> interrupts.value();
            case STATUS -> status;
            // §4.2.2: a non-existent shared memory region has length and base 0xffffffffffffffff.
            case SHM_LEN_LOW, SHM_LEN_HIGH, SHM_BASE_LOW, SHM_BASE_HIGH -> 0xFFFF_FFFFL;
            // Advanced by each change the device announces (DriverSession.notifyConfigChange), so a
            // driver reading a multi-byte field around a change reads it again (§2.5.1, §4.2.2).
            case CONFIG_GENERATION -> configGeneration;
            default -> 0;
        };
        return value & 0xFFFF_FFFFL;
    }

    @Override
    public void write(long offset, int size, long value) {
        if (offset >= CONFIG_OFFSET && offset < SIZE) {
            writeConfig((int) (offset - CONFIG_OFFSET), size, value);
            return;
        }
        VirtioMmioRegister reg = register("write", offset, size, value);
        if (reg == null) {
            return;
        }
        int v = (int) value;
        if (!reg.writable()) {
            report(RegisterError.WRITE_READ_ONLY, String.format("%s <- 0x%x ignored", reg.specName, v));
            return;
        }
        switch (reg) {
            case DEVICE_FEATURES_SEL -> features.selectDevicePage(v);
            case DRIVER_FEATURES_SEL -> features.selectDriverPage(v);
            case DRIVER_FEATURES -> writeDriverFeatures(v);
            case GUEST_PAGE_SIZE -> guestPageSize = v & 0xFFFF_FFFFL;
            case QUEUE_SEL -> queueSelect = v;
            case QUEUE_NOTIFY -> notify(v);
            case INTERRUPT_ACK -> acknowledge(v);
            case STATUS -> writeStatus(v);
            case SHM_SEL -> { } // no shared memory regions: every selection reads as absent
            default -> writeQueueRegister(reg, v);
        }
    }

    private VirtioMmioRegister register(String kind, long offset, int size, long value) {
        String access = kind.equals("write") ? String.format("%d-byte write of 0x%x", size, value) : size + "-byte read";
        if (size != 4 || (offset & 3) != 0) {
            report(RegisterError.BAD_WIDTH, String.format("%s at offset 0x%03x ignored: registers are 32-bit (§4.2.2.2)", access, offset));
            return null;
        }
        VirtioMmioRegister reg = VirtioMmioRegister.at((int) offset);
        if (reg == null) {
            report(kind.equals("write") ? RegisterError.WRITE_UNKNOWN : RegisterError.READ_UNKNOWN,
                    String.format("%s at offset 0x%03x ignored", access, offset));
            return null;
        }
        if (!reg.existsOn(version)) {
            report(version == VirtioMmioVersion.MODERN ? RegisterError.LEGACY_ON_MODERN : RegisterError.MODERN_ON_LEGACY,
                    String.format("%s of %s (offset 0x%03x) ignored: Version %d has no such register",
                            access, reg.specName, offset, version.register()));
            return null;
        }
        return reg;
    }

    // ---------------------------------------------------------------- configuration space

    private long readConfig(int offset, int size) {
        if (!configAccessValid("read", offset, size, 0)) {
            return 0;
        }
        return device.readConfig(offset, size) & RegisterAccess.widthMask(size);
    }

    private void writeConfig(int offset, int size, long value) {
        if (configAccessValid("write", offset, size, value)) {
            device.writeConfig(offset, size, (int) (value & RegisterAccess.widthMask(size)));
        }
    }

    private boolean configAccessValid(String kind, int offset, int size, long value) {
        String access = kind.equals("write") ? String.format("%d-byte write of 0x%x", size, value) : size + "-byte read";
        if ((size != 1 && size != 2 && size != 4) || (offset & (size - 1)) != 0) {
            report(RegisterError.CONFIG_ACCESS, String.format(
                    "%s at configuration offset 0x%x ignored: use naturally aligned 1, 2 or 4-byte accesses (§4.2.2.2)",
                    access, offset));
            return false;
        }
        if (offset + size > device.configSize()) {
            report(RegisterError.CONFIG_ACCESS, String.format("%s at configuration offset 0x%x ignored: the configuration space has %d bytes",
                    access, offset, device.configSize()));
            return false;
        }
        return true;
    }

    // ---------------------------------------------------------------- features

    private void writeDriverFeatures(int value) {
        boolean fin = version == VirtioMmioVersion.MODERN ? (status & FEATURES_OK) != 0 : (status & DRIVER_OK) != 0;
        if (fin) {
            report(ProtocolError.FEATURES_FINAL, String.format("DriverFeatures (page %d) <- 0x%x ignored with status %s",
                    features.selectedDriverPage(), value, DeviceStatus.describe(status)));
            return;
        }
        features.writeDriverFeaturesPage(value);
    }

    // ---------------------------------------------------------------- queues

    private QueueRegisters selectedQueue() {
        return queueSelect >= 0 && queueSelect < queues.length ? queues[queueSelect] : null;
    }

    private void writeQueueRegister(VirtioMmioRegister reg, int v) {
        String what = String.format("%s <- 0x%x (QueueSel %d)", reg.specName, v, queueSelect);
        QueueRegisters q = selectedQueue();
        if (q == null) {
            report(ProtocolError.NO_SUCH_QUEUE, what + " ignored: the device has " + queues.length + " queues");
            return;
        }
        boolean disabling = (reg == VirtioMmioRegister.QUEUE_READY || reg == VirtioMmioRegister.QUEUE_PFN) && v == 0;
        if (disabling && !q.enabled()) {
            return;
        }
        if ((status & DRIVER_OK) != 0) {
            report(ProtocolError.QUEUE_AFTER_DRIVER_OK, what + " ignored: queue configuration is immutable after DRIVER_OK");
            return;
        }
        boolean open = version == VirtioMmioVersion.MODERN ? (status & FEATURES_OK) != 0 : (status & DRIVER) != 0;
        if (!open) {
            report(ProtocolError.QUEUE_TOO_EARLY, what + " ignored with status " + DeviceStatus.describe(status)
                    + (version == VirtioMmioVersion.MODERN ? ": queues are configured after FEATURES_OK (§3.1.1)"
                            : ": queues are configured after DRIVER"));
            return;
        }
        if (q.enabled() && !disabling) {
            report(ProtocolError.QUEUE_ENABLED, what + " ignored: the queue is enabled (§4.2.2.2)");
            return;
        }
        switch (reg) {
            case QUEUE_NUM -> q.num = v;
            case QUEUE_ALIGN -> q.align = v;
            case QUEUE_DESC_LOW -> q.desc = QueueRegisters.setLow(q.desc, v);
            case QUEUE_DESC_HIGH -> q.desc = QueueRegisters.setHigh(q.desc, v);
            case QUEUE_DRIVER_LOW -> q.driver = QueueRegisters.setLow(q.driver, v);
            case QUEUE_DRIVER_HIGH -> q.driver = QueueRegisters.setHigh(q.driver, v);
            case QUEUE_DEVICE_LOW -> q.device = QueueRegisters.setLow(q.device, v);
            case QUEUE_DEVICE_HIGH -> q.device = QueueRegisters.setHigh(q.device, v);
            case QUEUE_READY -> writeQueueReady(q, v, what);
            case QUEUE_PFN -> writeQueuePfn(q, v);
            default -> throw new IllegalStateException("not a queue register: " + reg);
        }
    }

    private void writeQueueReady(QueueRegisters q, int v, String what) {
        if (v == 0) {
            q.disable();
            return;
        }
        if (v != 1) {
            report(ProtocolError.QUEUE_CONFIG, what + " ignored: QueueReady takes 0 or 1");
            return;
        }
        try {
            q.enable(QueueLayout.modern(q.num, q.maxSize, q.desc, q.driver, q.device));
        } catch (QueueLayoutException e) {
            report(ProtocolError.QUEUE_CONFIG, "queue " + queueSelect + ": " + e.getMessage() + "; QueueReady stays 0");
        }
    }

    private void writeQueuePfn(QueueRegisters q, int v) {
        if (v == 0) {
            q.disable();
            return;
        }
        long pfn = v & 0xFFFF_FFFFL;
        try {
            q.enable(QueueLayout.legacy(q.num, q.maxSize, pfn, guestPageSize, q.align & 0xFFFF_FFFFL));
            q.pfn = pfn;
        } catch (QueueLayoutException e) {
            report(ProtocolError.QUEUE_CONFIG, String.format("queue %d: QueuePFN 0x%x: %s; QueuePFN stays 0", queueSelect, pfn, e.getMessage()));
        }
    }

    // ---------------------------------------------------------------- notifications and interrupts

    private void notify(int value) {
        if (value < 0 || value >= queues.length) {
            report(ProtocolError.NO_SUCH_QUEUE, String.format("QueueNotify <- 0x%x ignored: the device has %d queues", value, queues.length));
            return;
        }
        counters.queueNotifies++;
        if (session == null) {
            counters.notifiesBeforeDriverOk++;
            report(ProtocolError.NOTIFY_BEFORE_DRIVER_OK, String.format(
                    "QueueNotify <- %d with status %s: the driver must not notify before DRIVER_OK (§3.1.1); "
                            + "kept pending until DRIVER_OK", value, DeviceStatus.describe(status)));
            pendingNotifies.set(value);
            return;
        }
        deliverNotify(value);
    }

    private void deliverNotify(int queue) {
        SplitVirtqueue q = session.queue(queue);
        if (q == null) {
            report(ProtocolError.NOTIFY_DISABLED, "queue " + queue + " notified but not enabled; ignored");
            return;
        }
        if (q.stopped()) {
            report(ProtocolError.NOTIFY_STOPPED, "queue " + queue + " notified after it stopped on ring corruption; ignored until reset");
            return;
        }
        device.queueNotified(queue);
    }

    private void acknowledge(int value) {
        if ((value & ~InterruptStatusRegister.DEFINED) != 0) {
            report(RegisterError.RESERVED_VALUE, String.format("InterruptACK <- 0x%x: only bits 0 and 1 are defined", value));
        }
        interrupts.acknowledge(value & InterruptStatusRegister.DEFINED);
    }

    // ---------------------------------------------------------------- status

    private void writeStatus(int value) {
        if (value == 0) {
            reset();
            return;
        }
        int v = value;
        if ((v & ~0xFF) != 0) {
            report(ProtocolError.STATUS, String.format("Status <- 0x%x: the status field has 8 bits; upper bits ignored", value));
            v &= 0xFF;
        }
        if ((v & DEVICE_NEEDS_RESET) != 0 && (status & DEVICE_NEEDS_RESET) == 0) {
            report(ProtocolError.STATUS, "Status <- " + DeviceStatus.describe(v) + ": only the device sets DEVICE_NEEDS_RESET (§2.1.2); ignored");
        }
        v &= ~DEVICE_NEEDS_RESET;
        int cleared = status & ~v & ~DEVICE_NEEDS_RESET;
        if (cleared != 0) {
            report(ProtocolError.STATUS, "Status <- " + DeviceStatus.describe(v) + " would clear " + DeviceStatus.describe(cleared)
                    + " without a reset (§2.1.1); those bits stay set");
        }
        int added = v & ~status;
        int next = status | added;
        if ((added & DRIVER) != 0 && (next & ACKNOWLEDGE) == 0) {
            report(ProtocolError.STATUS, "DRIVER set before ACKNOWLEDGE (§3.1.1)");
        }
        if ((added & FEATURES_OK) != 0) {
            if ((next & DRIVER) == 0) {
                report(ProtocolError.STATUS, "FEATURES_OK set before DRIVER (§3.1.1)");
            }
            String refusal = version == VirtioMmioVersion.MODERN ? features.refusal(version) : null;
            if (refusal != null) {
                report(ProtocolError.FEATURES_REFUSED, refusal + "; FEATURES_OK stays clear (§2.2.2)");
                next &= ~FEATURES_OK;
            }
        }
        if ((added & DRIVER_OK) != 0) {
            if (version == VirtioMmioVersion.MODERN && (next & FEATURES_OK) == 0) {
                report(ProtocolError.STATUS, "DRIVER_OK without FEATURES_OK on a modern transport (§3.1.1); DRIVER_OK stays clear");
                next &= ~DRIVER_OK;
            } else if ((next & DRIVER) == 0) {
                report(ProtocolError.STATUS, "DRIVER_OK set before DRIVER (§3.1.1)");
            }
        }
        status = next;
        if ((status & DRIVER_OK) != 0 && session == null) {
            activate();
        }
    }

    private void activate() {
        long negotiated = features.accepted();
        if (version == VirtioMmioVersion.LEGACY) {
            long unoffered = negotiated & ~features.offered();
            if (unoffered != 0) {
                report(ProtocolError.FEATURES_REFUSED, "the legacy driver accepted features the device did not offer: "
                        + VirtioFeature.hex(unoffered) + "; they are ignored");
            }
            negotiated &= features.offered();
        }
        QueueFeatures queueFeatures = QueueFeatures.of(negotiated);
        SplitVirtqueue[] live = new SplitVirtqueue[queues.length];
        Session s = new Session(negotiated, live);
        for (int i = 0; i < queues.length; i++) {
            if (queues[i].enabled()) {
                live[i] = new SplitVirtqueue(dma, name, i, queues[i].layout(), queueFeatures, s::queueFailed, errors);
            }
        }
        session = s;
        dma.driverReady(true);
        device.activate(s);
        for (int q = pendingNotifies.nextSetBit(0); q >= 0 && session == s; q = pendingNotifies.nextSetBit(q + 1)) {
            pendingNotifies.clear(q);
            deliverNotify(q);
        }
    }

    /** How long a reset waits for the host side to take what the driver had queued for it. */
    public static final java.time.Duration FINISH_ON_RESET = java.time.Duration.ofSeconds(5);

    private void reset() {
        counters.deviceResets++;
        // What the driver queued for the host before the reset still goes there, as it would have
        // from a device that writes synchronously (Linux resets its devices at power-off).
        if (session != null && !device.finishOutput(System.nanoTime() + FINISH_ON_RESET.toNanos())) {
            org.slf4j.LoggerFactory.getLogger(VirtioMmioTransport.class).warn(
                    "{}: reset with output the host side did not take within {} ms; it was not delivered",
                    name, FINISH_ON_RESET.toMillis());
        }
        if (session != null) {
            session.active = false;
            session = null;
        }
        dma.driverReady(false);
        device.reset();
        status = 0;
        features.reset();
        queueSelect = 0;
        for (QueueRegisters q : queues) {
            q.reset();
        }
        pendingNotifies.clear();
        interrupts.clear();
    }

    private void report(GuestError kind, String detail) {
        errors.report(name, kind, detail);
    }

    /** One driver session, from DRIVER_OK to reset. */
    private final class Session implements DriverSession {
        private final long negotiated;
        private final SplitVirtqueue[] live;
        boolean active = true;

        Session(long negotiated, SplitVirtqueue[] live) {
            this.negotiated = negotiated;
            this.live = live;
        }

        @Override
        public long features() {
            return negotiated;
        }

        @Override
        public SplitVirtqueue queue(int index) {
            return active && index >= 0 && index < live.length ? live[index] : null;
        }

        @Override
        public void notifyUsed(int queue) {
            SplitVirtqueue q = queue(queue);
            if (q == null || !q.hasUnsignalledCompletions()) {
                return;
            }
            if (q.takeUsedNotification()) {
                counters.usedBufferInterrupts++;
                interrupts.raise(InterruptStatusRegister.USED_BUFFER);
            } else {
                counters.suppressedUsedNotifications++;
            }
        }

        @Override
        public void notifyConfigChange() {
            if (!active) {
                return;
            }
            configGeneration++;
            counters.configChangeInterrupts++;
            interrupts.raise(InterruptStatusRegister.CONFIG_CHANGE);
        }

        void queueFailed(int queue, String reason) {
            if (!active) {
                return;
            }
            status |= DEVICE_NEEDS_RESET;
            counters.configChangeInterrupts++;
            interrupts.raise(InterruptStatusRegister.CONFIG_CHANGE);
        }
    }
}
