package dev.aarvark.devices.virtio.queue;

/**
 * The one bounded service loop of a virtqueue, shared by every device: take available chains up
 * to a cap, check each chain's direction, let a {@link Handler} consume it, return it to the
 * driver with the used length the handler gives (virtio 1.2 §2.7.8 "The Virtqueue Used Ring"),
 * and notify the driver once per pass (§2.7.10, "used buffer notification").
 *
 * <p>What it keeps true:
 * <ul>
 *   <li><b>Bounded.</b> One {@link #serve} pops at most {@code maxChains} chains, whatever the guest
 *       posted, so a ring of empty or malformed buffers cannot spin the vCPU thread. A pass stopped
 *       by the cap with chains left ends {@link PassEnd#CAPPED}: the device has deferred work.</li>
 *   <li><b>Nothing lost.</b> A chain the handler cannot finish (the host took part of it) is
 *       {@link #HOLD held}: it stays with the device and is offered again, before any new chain,
 *       by the next pass; it is returned to the driver only when the handler completes it, or by
 *       {@link #abandon}.</li>
 *   <li><b>Direction (§2.7.4).</b> In a queue whose buffers the device only reads, device-writable
 *       bytes are reported and ignored; in a queue the device only writes, a chain with
 *       device-readable bytes is reported and returned unused (used length 0) without reaching the
 *       handler. In a request/reply queue (a control queue) a chain carries both, readable first
 *       (§2.7.4.2, checked by the chain reader), and reaches the handler as it is.</li>
 * </ul>
 *
 * <p>{@link #writableRoom} looks ahead without taking anything, for a device that must know before
 * it starts whether the chains the driver posted can hold a whole packet (virtio-net's mergeable
 * receive buffers, §5.1.6.3.2).
 *
 * <p>Single-threaded: one instance per queue handler, used on the thread that serves the device.
 */
public final class QueueService {
    /** Which buffers the device uses in this queue. */
    public enum Direction {
        /** The device only reads (a transmit queue): device-writable bytes are ignored. */
        DEVICE_READS,
        /** The device only writes (a receive queue): a chain with readable bytes is returned unused. */
        DEVICE_WRITES,
        /** The device reads a request and writes its reply into the same chain (a control queue): no check. */
        REQUEST_REPLY
    }

    /**
     * What the chains published after the device's position offer for writing, as a pass in a
     * {@link Direction#DEVICE_WRITES} queue would hand them to its handler.
     *
     * @param bytes            writable bytes of the first {@code chains} chains
     * @param chains           how many chains the handler would get, in ring order, until {@code bytes}
     *                         reached what was asked (or all of them, if it did not)
     * @param enough           {@code bytes} reached what was asked
     * @param driverCanAddMore false when every descriptor is either published or with the device: the
     *                         driver cannot post more until the device returns chains
     */
    public record WritableRoom(long bytes, int chains, boolean enough, boolean driverCanAddMore) {
    }

    /** Why a pass ended. */
    public enum PassEnd {
        /** The driver has no more available chains. */
        EMPTY,
        /** The handler has no more work ({@link Handler#wantsMore()} returned false). */
        HANDLER_DONE,
        /** The handler held a chain; the device waits (for the host, or for the next pass). */
        HELD,
        /** The chain cap stopped the pass with chains still available: deferred work. */
        CAPPED
    }

    /** {@link Handler#handle} result: keep the chain and stop the pass. */
    public static final long HOLD = -1;

    /** Consumes chains. */
    public interface Handler {
        /** Checked before each new chain is taken; false stops the pass ({@link PassEnd#HANDLER_DONE}). */
        default boolean wantsMore() {
            return true;
        }

        /**
         * Consumes one chain. Returns the used length (bytes the device wrote into it, 0 for a
         * chain it only read) to return the chain to the driver, or {@link #HOLD} to keep it.
         *
         * @param resumed true when this chain was held by the previous pass
         */
        long handle(DescriptorChain chain, boolean resumed);
    }

    /** What the loop tells the device. */
    public interface Events {
        /** A chain's buffers go the wrong way for the queue (reported once per chain). */
        void wrongDirection(SplitVirtqueue queue, DescriptorChain chain, Direction expected);

        /** The pass returned chains to the driver: send the used buffer notification. */
        void notifyUsed(int queue);
    }

    private final Direction direction;
    private final int maxChains;
    private final Events events;
    private DescriptorChain held;

    /**
     * @param maxChains the most chains one pass takes from the driver (at least 1)
     */
    public QueueService(Direction direction, int maxChains, Events events) {
        if (maxChains < 1) {
            throw new IllegalArgumentException("a pass must be allowed at least one chain, not " + maxChains);
        }
        this.direction = direction;
        this.maxChains = maxChains;
        this.events = events;
    }

    /** One bounded pass over {@code queue}. */
    public PassEnd serve(SplitVirtqueue queue, Handler handler) {
        int taken = 0;
        int completed = 0;
        try {
            while (true) {
                DescriptorChain chain;
                boolean resumed = held != null;
                if (resumed) {
                    chain = held;
                    held = null;
                } else {
                    if (!handler.wantsMore()) {
                        return PassEnd.HANDLER_DONE;
                    }
                    if (taken == maxChains) {
                        return queue.hasAvailable() ? PassEnd.CAPPED : PassEnd.EMPTY;
                    }
                    chain = queue.pop();
                    if (chain == null) {
                        return PassEnd.EMPTY;
                    }
                    taken++;
                    if (direction == Direction.DEVICE_WRITES && chain.readableLength() > 0) {
                        events.wrongDirection(queue, chain, direction);
                        queue.complete(chain, 0);
                        completed++;
                        continue;
                    }
                    if (direction == Direction.DEVICE_READS && chain.writableLength() > 0) {
                        events.wrongDirection(queue, chain, direction);
                    }
                }
                long used = handler.handle(chain, resumed);
                if (used == HOLD) {
                    held = chain;
                    return PassEnd.HELD;
                }
                queue.complete(chain, (int) used);
                completed++;
            }
        } finally {
            if (completed > 0) {
                events.notifyUsed(queue.index());
            }
        }
    }

    /**
     * Looks ahead (QEMU's {@code virtqueue_avail_bytes}): the writable room of the chains the next
     * passes would hand to the handler, in order, until {@code wanted} bytes are found. Takes
     * nothing, writes nothing, reports nothing: chains the pass would return unused (device-readable
     * bytes in a {@link Direction#DEVICE_WRITES} queue, malformed chains) are skipped as the pass
     * would skip them; a held chain is not counted (the caller has it). Bounded by the queue size.
     */
    public WritableRoom writableRoom(SplitVirtqueue queue, long wanted) {
        long[] bytes = {0};
        int[] chains = {0};
        queue.peek(chain -> {
            if (direction == Direction.DEVICE_WRITES && chain.readableLength() > 0) {
                return true;
            }
            bytes[0] += chain.writableLength();
            chains[0]++;
            return bytes[0] < wanted;
        });
        return new WritableRoom(bytes[0], chains[0], bytes[0] >= wanted, queue.outstanding() < queue.size());
    }

    /** True while a chain is held. */
    public boolean holding() {
        return held != null;
    }

    /** Returns a held chain to the driver unused (used length 0) and notifies: the consumer went away. */
    public void abandon(SplitVirtqueue queue) {
        if (held != null && queue != null) {
            queue.complete(held, 0);
            events.notifyUsed(queue.index());
        }
        held = null;
    }

    /** Device reset: the driver abandoned its queues, so a held chain is forgotten. */
    public void reset() {
        held = null;
    }
}
