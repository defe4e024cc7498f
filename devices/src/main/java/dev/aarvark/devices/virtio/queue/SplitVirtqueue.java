package dev.aarvark.devices.virtio.queue;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.QueueError;
import dev.aarvark.iommu.DmaFault;
import dev.aarvark.iommu.DmaRequester;
import dev.aarvark.iommu.DmaSpace;

import java.util.Objects;
import java.util.function.Predicate;

/**
 * The device's side of one split virtqueue (virtio 1.2 §2.7) from DRIVER_OK to reset: it takes
 * descriptor chains from the available ring, returns them through the used ring, and decides
 * whether a used buffer notification is due.
 *
 * <h2>What it checks (each failure a {@link GuestErrorLog} report naming device, queue and value)</h2>
 * <ul>
 *   <li>Ring-level corruption stops the queue for good and tells the {@link QueueFailureListener}
 *       (the transport sets DEVICE_NEEDS_RESET, §2.1.2): an available index that claims more new
 *       entries than the queue holds ({@code (u16)(avail.idx - last_avail) > size}: the driver
 *       cannot have made more buffers available than there are entries), a ring entry naming a
 *       head outside the descriptor table, a refused access to a ring or to the descriptor table.
 *       A stopped queue hands out nothing and writes nothing, so a hostile ring cannot make the
 *       device spin.</li>
 *   <li>A malformed chain ({@link MalformedChainException}) is returned to the driver unused (used
 *       length 0) and skipped; {@link #pop} continues with the next entry. Every entry consumed
 *       advances the device's index, so one call consumes at most {@code size} entries.</li>
 * </ul>
 *
 * <h2>Order and notifications</h2>
 * The available index is read before the ring entries it publishes (§2.7.13: the driver's barrier
 * before the index update pairs with this order); a used element is written before the used index
 * that publishes it (§2.7.8: "The device MUST set len prior to updating the used idx"). With
 * VIRTIO_F_EVENT_IDX the device writes {@code avail_event} = its next available index after every
 * entry it consumes (§2.7.10: notify me when you publish the entry after what I have seen), and
 * {@link #takeUsedNotification()} applies {@code used_event} (§2.7.7); without it, the
 * VIRTQ_AVAIL_F_NO_INTERRUPT flag. With VIRTIO_F_NOTIFY_ON_EMPTY (legacy) the device also notifies
 * when it has nothing in flight and the available ring is empty (§6.3).
 *
 * <p>Invariants: indices are 16-bit and wrap; the device starts at 0 for both rings (§2.7.6, §2.7.8);
 * a chain is completed at most once; all state is owned by the vCPU thread.
 */
public final class SplitVirtqueue {
    private static final int VIRTQ_AVAIL_F_NO_INTERRUPT = 1;

    private final DmaSpace dma;
    private final GuestErrorLog errors;
    private final String device;
    private final int index;
    private final QueueLayout layout;
    private final QueueFeatures features;
    private final QueueFailureListener failures;
    private final DescriptorChainReader reader;
    private final DmaRequester availRequester;
    private final DmaRequester usedRequester;
    /** The used-ring write's requester for each chain head, made once. */
    private final DmaRequester[] usedRequesters;
    private final int mask;

    /** The next available ring entry the device will consume (free-running, 16 bits). */
    private int lastAvail;
    /** The driver's available index as last read; entries up to it are published. */
    private int shadowAvail;
    /** The device's used index (free-running, 16 bits). */
    private int usedIdx;
    /** The used index when the last notification decision was made (for used_event, §2.7.7). */
    private int signalledUsed;
    private int completedSinceDecision;
    private int inFlight;
    private boolean stopped;

    /**
     * A live queue.
     *
     * @param dma      the device's DMA space
     * @param device   the device name used in requesters and guest errors
     * @param index    the queue index
     * @param layout   where the rings are (already validated)
     * @param features the negotiated queue features
     * @param failures told once if the queue stops on ring corruption
     * @param errors   the guest error log (the machine's, through the transport); its chains report to it too
     */
    public SplitVirtqueue(DmaSpace dma, String device, int index, QueueLayout layout, QueueFeatures features,
            QueueFailureListener failures, GuestErrorLog errors) {
        this.dma = Objects.requireNonNull(dma, "dma");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.device = Objects.requireNonNull(device, "device");
        this.index = index;
        this.layout = Objects.requireNonNull(layout, "layout");
        this.features = Objects.requireNonNull(features, "features");
        this.failures = Objects.requireNonNull(failures, "failures");
        this.reader = new DescriptorChainReader(this, dma, device, index, layout, features.indirectDesc());
        this.availRequester = DmaRequester.queue(device, index, "avail ring");
        this.usedRequester = DmaRequester.queue(device, index, "used ring");
        this.usedRequesters = new DmaRequester[layout.size()];
        this.mask = layout.size() - 1;
    }

    /** The guest error log this queue and its chains report to. */
    GuestErrorLog errors() {
        return errors;
    }

    public int index() {
        return index;
    }

    public int size() {
        return layout.size();
    }

    public QueueLayout layout() {
        return layout;
    }

    /** True once ring corruption stopped the queue (until the device is reset). */
    public boolean stopped() {
        return stopped;
    }

    /** Chains taken by {@link #pop} and not yet completed. */
    public int inFlight() {
        return inFlight;
    }

    /**
     * The next valid chain from the available ring, or {@code null} if there is none (the ring is
     * empty or the queue stopped). Malformed chains on the way are reported and returned unused.
     */
    public DescriptorChain pop() {
        while (!stopped) {
            if (lastAvail == shadowAvail && (!refreshAvailIndex() || lastAvail == shadowAvail)) {
                return null;
            }
            int head;
            try {
                head = dma.readShort(layout.availRing() + 4 + 2L * (lastAvail & mask), availRequester);
            } catch (DmaFault f) {
                fail("the available ring cannot be read: " + f.getMessage());
                return null;
            }
            lastAvail = (lastAvail + 1) & 0xFFFF;
            if (features.eventIdx() && !writeAvailEvent()) {
                return null;
            }
            if (head >= layout.size()) {
                fail(String.format("available ring entry %d names descriptor %d, outside the table of %d entries",
                        (lastAvail - 1) & 0xFFFF, head, layout.size()));
                return null;
            }
            try {
                DescriptorChain chain = reader.read(head);
                inFlight++;
                return chain;
            } catch (MalformedChainException e) {
                errors.report(device, QueueError.MALFORMED_CHAIN,
                        "queue " + index + " head " + head + ": " + e.getMessage() + "; returned unused");
                pushUsed(head, 0);
            } catch (DmaFault f) {
                fail("the descriptor table cannot be read: " + f.getMessage());
                return null;
            }
        }
        return null;
    }

    /**
     * Visits the valid chains the driver published and the device has not taken, in ring order,
     * without taking them, until {@code visitor} returns false: the device's position, the
     * {@code avail_event} and the used ring are untouched, and nothing is reported. A malformed
     * chain is skipped (the {@link #pop} that reaches it reports it); a ring entry or descriptor
     * table that cannot be read ends the walk (the {@code pop} that reaches it stops the queue). At
     * most {@link #size()} entries are visited. Nothing is visited once the queue stopped.
     */
    public void peek(Predicate<DescriptorChain> visitor) {
        if (stopped || !refreshAvailIndex()) {
            return;
        }
        int pending = (shadowAvail - lastAvail) & 0xFFFF;
        for (int i = 0; i < pending; i++) {
            int slot = (lastAvail + i) & mask;
            int head;
            DescriptorChain chain;
            try {
                head = dma.readShort(layout.availRing() + 4 + 2L * slot, availRequester);
                if (head >= layout.size()) {
                    return;
                }
                chain = reader.read(head);
            } catch (MalformedChainException e) {
                continue;
            } catch (DmaFault f) {
                return;
            }
            if (!visitor.test(chain)) {
                return;
            }
        }
    }

    /**
     * Chains the device has taken and not completed plus entries the driver has published and the
     * device not taken: each holds at least one descriptor, so the driver can post more only while
     * this is below {@link #size()}.
     */
    public int outstanding() {
        if (!stopped) {
            refreshAvailIndex();
        }
        return inFlight + ((shadowAvail - lastAvail) & 0xFFFF);
    }

    /**
     * True if the driver has published entries the device has not consumed yet (reads the
     * available index if every published entry was consumed). False once the queue stopped.
     */
    public boolean hasAvailable() {
        if (stopped) {
            return false;
        }
        if (lastAvail != shadowAvail) {
            return true;
        }
        return refreshAvailIndex() && lastAvail != shadowAvail;
    }

    /**
     * Returns {@code chain} to the driver: writes the used element (id = head, len = {@code written},
     * the bytes the device wrote into the chain's writable buffers), then the used index. A chain
     * with a refused buffer access ({@link DescriptorChain#faulted()}) goes back with len 0 whatever
     * {@code written} says, and the queue then stops (DEVICE_NEEDS_RESET, §2.1.2), as a device
     * whose DMA an IOMMU aborted would.
     *
     * @throws IllegalArgumentException if the chain is not from this queue, or {@code written} is
     *                                  outside {@code [0, writableLength]} (device bugs, not guest input)
     * @throws IllegalStateException    if the chain was completed before
     */
    public void complete(DescriptorChain chain, long written) {
        if (chain.owner() != this) {
            throw new IllegalArgumentException(chain + " is not from queue " + index);
        }
        if (written < 0 || written > chain.writableLength()) {
            throw new IllegalArgumentException("used length " + written + " outside [0, " + chain.writableLength() + "] for " + chain);
        }
        if (chain.completed()) {
            throw new IllegalStateException(chain + " was already completed");
        }
        chain.markCompleted();
        inFlight--;
        if (chain.faulted()) {
            // A refused buffer access is a device abort, as through an SMMU: the chain goes back with
            // nothing written and the device stops until the driver resets it (QEMU's virtio_error).
            pushUsed(chain.head(), 0);
            fail("a DMA access to a buffer of chain head " + chain.head() + " was refused");
            return;
        }
        pushUsed(chain.head(), (int) written);
    }

    /** True if chains were completed since the last {@link #takeUsedNotification()} decision. */
    public boolean hasUnsignalledCompletions() {
        return completedSinceDecision > 0 && !stopped;
    }

    /**
     * Decides whether completions since the last decision call for a used buffer notification
     * (§2.7.7) and starts a new decision period. False if nothing was completed since the last one.
     */
    public boolean takeUsedNotification() {
        if (completedSinceDecision == 0 || stopped) {
            return false;
        }
        completedSinceDecision = 0;
        int old = signalledUsed;
        signalledUsed = usedIdx;
        try {
            if (features.notifyOnEmpty() && inFlight == 0 && !hasAvailable()) {
                return !stopped;
            }
            if (features.eventIdx()) {
                int usedEvent = dma.readShort(layout.availRing() + 4 + 2L * layout.size(), availRequester);
                return needsEvent(usedEvent, usedIdx, old);
            }
            int flags = dma.readShort(layout.availRing(), availRequester);
            return (flags & VIRTQ_AVAIL_F_NO_INTERRUPT) == 0;
        } catch (DmaFault f) {
            fail("the available ring cannot be read: " + f.getMessage());
            return false;
        }
    }

    /**
     * §2.7.7/§2.7.10: an event index {@code event} is crossed when the index moved from {@code old}
     * to {@code now} past it, modulo 2^16 (the driver wants a notification once entry {@code event}
     * was written, i.e. the index went past {@code event}).
     */
    static boolean needsEvent(int event, int now, int old) {
        return ((now - event - 1) & 0xFFFF) < ((now - old) & 0xFFFF);
    }

    private boolean refreshAvailIndex() {
        int idx;
        try {
            idx = dma.readShort(layout.availRing() + 2, availRequester);
        } catch (DmaFault f) {
            fail("the available ring cannot be read: " + f.getMessage());
            return false;
        }
        int pending = (idx - lastAvail) & 0xFFFF;
        if (pending > layout.size()) {
            fail(String.format("avail idx %d claims %d new entries after the device's %d, more than the queue size %d",
                    idx, pending, lastAvail, layout.size()));
            return false;
        }
        shadowAvail = idx;
        return true;
    }

    private boolean writeAvailEvent() {
        try {
            dma.writeShort(layout.usedRing() + 4 + 8L * layout.size(), lastAvail, usedRequester);
            return true;
        } catch (DmaFault f) {
            fail("the used ring cannot be written: " + f.getMessage());
            return false;
        }
    }

    private void pushUsed(int head, int len) {
        if (stopped) {
            return;
        }
        long element = layout.usedRing() + 4 + 8L * (usedIdx & mask);
        DmaRequester who = usedRequesters[head];
        if (who == null) {
            who = new DmaRequester(device, index, head, DmaRequester.NONE, "used ring");
            usedRequesters[head] = who;
        }
        try {
            dma.writeInt(element, head, who);
            dma.writeInt(element + 4, len, who);
            usedIdx = (usedIdx + 1) & 0xFFFF;
            dma.writeShort(layout.usedRing() + 2, usedIdx, who);
        } catch (DmaFault f) {
            fail("the used ring cannot be written: " + f.getMessage());
            return;
        }
        completedSinceDecision++;
    }

    private void fail(String reason) {
        if (stopped) {
            return;
        }
        stopped = true;
        errors.report(device, QueueError.QUEUE_STOPPED, "queue " + index + ": " + reason + "; the device needs a reset");
        failures.queueFailed(index, reason);
    }
}
