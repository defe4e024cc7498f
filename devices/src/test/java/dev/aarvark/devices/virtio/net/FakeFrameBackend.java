package dev.aarvark.devices.virtio.net;

import dev.aarvark.devices.io.net.FrameBackend;
import dev.aarvark.devices.io.net.ReceiveOffloads;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A host side controlled by the test: it takes frames until its room runs out (then FULL, and
 * writable() once the test drains it), drops them while it has no peer, records every
 * setReceiving call, and hands the device the frames the test "receives".
 */
final class FakeFrameBackend implements FrameBackend {
    final List<byte[]> sent = new ArrayList<>();
    final List<Boolean> receivingCalls = new ArrayList<>();
    final List<ReceiveOffloads> offloadCalls = new ArrayList<>();
    private final boolean vnetHeader;
    private Listener listener;
    private int startCalls;
    private boolean peer = true;
    private long room = Long.MAX_VALUE;
    private boolean refused;
    private boolean receiving = true;
    private long sendCalls;

    FakeFrameBackend(boolean vnetHeader) {
        this.vnetHeader = vnetHeader;
    }

    FakeFrameBackend() {
        this(false);
    }

    @Override
    public void start(Listener l) {
        startCalls++;
        listener = l;
    }

    @Override
    public SendResult send(byte[] frame, int off, int len) {
        sendCalls++;
        if (!peer) {
            return SendResult.DROPPED_NO_PEER;
        }
        if (room == 0) {
            refused = true;
            return SendResult.FULL;
        }
        room--;
        sent.add(Arrays.copyOfRange(frame, off, off + len));
        return SendResult.SENT;
    }

    /** From now on take {@code frames} more before FULL. */
    void limitRoom(long frames) {
        room = frames;
    }

    /** The peer drained: room for {@code frames} more, and writable() if a send was refused. */
    void drain(long frames) {
        room = frames;
        if (refused) {
            refused = false;
            listener.writable();
        }
    }

    @Override
    public void setReceiving(boolean on) {
        receivingCalls.add(on);
        receiving = on;
    }

    @Override
    public void setReceiveOffloads(ReceiveOffloads offloads) {
        offloadCalls.add(offloads);
    }

    boolean receiving() {
        return receiving;
    }

    /** A frame from the peer. */
    void receive(byte[] frame) {
        listener.received(frame);
    }

    /** Frames from the peer that arrived together; returns how many the device took. */
    int receiveBatch(List<byte[]> frames) {
        return listener.receivedBatch(new ArrayList<>(frames));
    }

    void link(boolean up) {
        peer = up;
        listener.linkChanged(up);
    }

    /** No peer, before the device starts (no callback). */
    FakeFrameBackend withoutPeer() {
        peer = false;
        return this;
    }

    @Override
    public boolean linkUp() {
        return peer;
    }

    @Override
    public boolean carriesVnetHeader() {
        return vnetHeader;
    }

    @Override
    public String describe() {
        return "fake";
    }

    @Override
    public void close() {
    }

    int startCalls() {
        return startCalls;
    }

    long sendCalls() {
        return sendCalls;
    }

    @Override
    public dev.aarvark.devices.io.net.FrameCounters counters() {
        long bytes = sent.stream().mapToLong(f -> f.length).sum();
        return new dev.aarvark.devices.io.net.FrameCounters(sent.size(), bytes, 0, 0, 0, 0, 0, 0, 0, 0, 0);
    }
}
