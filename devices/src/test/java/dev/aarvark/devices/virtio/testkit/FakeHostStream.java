package dev.aarvark.devices.virtio.testkit;

import dev.aarvark.devices.io.HostStream;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A host side for a port, controlled by the test: it takes guest output up to a budget (a slow
 * host), and holds "typed" input until the device takes it, offering it again when the device calls
 * {@link #inputSpace()} (synchronously, as a stream on the vCPU thread may).
 */
public final class FakeHostStream implements HostStream {
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private Listener listener;
    private long writeBudget = Long.MAX_VALUE;
    private boolean shortWrite;
    private byte[] input = new byte[0];
    private boolean connected;
    private int startCalls;
    private int inputSpaceCalls;
    private long writeCalls;

    public FakeHostStream(boolean connected) {
        this.connected = connected;
    }

    public FakeHostStream() {
        this(true);
    }

    @Override
    public void start(Listener l) {
        startCalls++;
        listener = l;
    }

    @Override
    public int write(byte[] data, int off, int len) {
        writeCalls++;
        int n = (int) Math.min(len, writeBudget);
        output.write(data, off, n);
        writeBudget -= n;
        if (n < len) {
            shortWrite = true;
        }
        return n;
    }

    private long roomOnWait = -1;

    /** A device that waits for room ({@link #awaitRoom}) gets {@code bytes} more at once; -1: it cannot wait. */
    public void roomWhenWaitedFor(long bytes) {
        roomOnWait = bytes;
    }

    @Override
    public boolean awaitRoom(java.time.Duration max) {
        if (roomOnWait < 0) {
            return false;
        }
        writeBudget = roomOnWait;
        shortWrite = false;
        return roomOnWait > 0;
    }

    /** From now on take at most {@code bytes} more guest bytes (0: the host is full). */
    public void limitWrites(long bytes) {
        writeBudget = bytes;
    }

    /** The host drained: take up to {@code bytes} more and tell the device if it was waiting. */
    public void drain(long bytes) {
        writeBudget = bytes;
        if (shortWrite) {
            shortWrite = false;
            listener.writable();
        }
    }

    @Override
    public void inputSpace() {
        inputSpaceCalls++;
        offer();
    }

    /** Host input for the guest; returns how many bytes the device took now. */
    public int type(byte[] data) {
        byte[] joined = new byte[input.length + data.length];
        System.arraycopy(input, 0, joined, 0, input.length);
        System.arraycopy(data, 0, joined, input.length, data.length);
        input = joined;
        return offer();
    }

    public int type(String text) {
        return type(text.getBytes(StandardCharsets.UTF_8));
    }

    private int offer() {
        if (input.length == 0) {
            return 0;
        }
        int n = listener.received(input, 0, input.length);
        if (n < 0 || n > input.length) {
            throw new AssertionError("device took " + n + " of " + input.length + " bytes");
        }
        byte[] rest = new byte[input.length - n];
        System.arraycopy(input, n, rest, 0, rest.length);
        input = rest;
        return n;
    }

    public void connect(boolean c) {
        connected = c;
        listener.hostConnected(c);
    }

    @Override
    public boolean hostConnected() {
        return connected;
    }

    @Override
    public String describe() {
        return "fake";
    }

    @Override
    public void close() {
    }

    public byte[] outputBytes() {
        return output.toByteArray();
    }

    public String output() {
        return output.toString(StandardCharsets.UTF_8);
    }

    /** Input the device has not taken yet. */
    public int pendingInput() {
        return input.length;
    }

    public int startCalls() {
        return startCalls;
    }

    public int inputSpaceCalls() {
        return inputSpaceCalls;
    }

    public long writeCalls() {
        return writeCalls;
    }

    public Listener listener() {
        return listener;
    }
}
