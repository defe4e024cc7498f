package dev.aarvark.devices.io.net;

/**
 * A network card with no cable (QEMU's NIC without a {@code -netdev}): the link is down for good,
 * every frame the guest sends is {@link SendResult#DROPPED_NO_PEER} (and counted in
 * {@link FrameCounters#txNoPeer()}), nothing is ever received, and there is no host I/O at all.
 */
public final class NullFrameBackend implements FrameBackend {
    private final Tally tally = new Tally();

    @Override
    public void start(Listener listener) {
        // No peer will ever come, so there is nothing to tell the listener.
    }

    @Override
    public SendResult send(byte[] frame, int off, int len) {
        java.util.Objects.checkFromIndexSize(off, len, frame.length);
        tally.txNoPeer.incrementAndGet();
        return SendResult.DROPPED_NO_PEER;
    }

    @Override
    public void setReceiving(boolean on) {
        // Nothing is received either way.
    }

    @Override
    public boolean linkUp() {
        return false;
    }

    @Override
    public String describe() {
        return "none";
    }

    @Override
    public FrameCounters counters() {
        return tally.snapshot();
    }

    @Override
    public void close() {
        // No host resources.
    }
}
