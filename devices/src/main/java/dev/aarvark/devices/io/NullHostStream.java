package dev.aarvark.devices.io;

/**
 * A port whose host side the user chose to be nothing ({@code none}, QEMU's null chardev): guest
 * output is discarded — by the user's explicit choice, and counted — and there is no input.
 */
public final class NullHostStream implements HostStream {
    private long discarded;

    @Override
    public void start(Listener listener) {
        listener.hostConnected(true);
    }

    @Override
    public int write(byte[] data, int off, int len) {
        discarded += len;
        return len;
    }

    /** Bytes discarded so far. */
    public long discarded() {
        return discarded;
    }

    @Override
    public void inputSpace() {
    }

    @Override
    public boolean hostConnected() {
        return true;
    }

    @Override
    public String describe() {
        return "none";
    }

    @Override
    public void close() {
    }
}
