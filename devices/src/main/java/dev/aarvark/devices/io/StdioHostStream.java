package dev.aarvark.devices.io;

import java.util.function.Consumer;

/**
 * The terminal as the host side of a virtio-console port ({@code --hvc stdio}): guest output goes
 * to the machine's console output (the terminal, the console log and the {@code --expect}
 * watcher, as UART output does), and the command line's standard input reaches the port through a
 * bounded {@link ConsoleInput}. Always connected. Output has the console's backpressure: what the
 * console refuses stays in the guest's buffers until it has room ({@link Listener#writable()}).
 */
public final class StdioHostStream implements HostStream {
    private final ByteSink console;
    private final ConsoleInput input;
    private Listener listener;
    private boolean waitingForRoom;

    /**
     * @param console the machine's console output, whose room callbacks run on the vCPU thread
     *                ({@link ByteSink#postingRoomTo})
     * @param toVcpu  runs a task on the vCPU thread
     */
    public StdioHostStream(ByteSink console, Consumer<Runnable> toVcpu) {
        this.console = console;
        this.input = new ConsoleInput(this::deliver, toVcpu);
    }

    private int deliver(byte[] data, int off, int len) {
        return listener == null ? 0 : listener.received(data, off, len);
    }

    /** Where standard input is offered (a host thread may block there). */
    public ConsoleInput input() {
        return input;
    }

    @Override
    public void start(Listener l) {
        this.listener = l;
        l.hostConnected(true);
    }

    @Override
    public int write(byte[] data, int off, int len) {
        int n = console.offer(data, off, len);
        if (n < len && !waitingForRoom) {
            waitingForRoom = true;
            console.whenRoom(() -> {
                waitingForRoom = false;
                if (listener != null) {
                    listener.writable();
                }
            });
        }
        return n;
    }

    @Override
    public void inputSpace() {
        input.drain();
    }

    @Override
    public boolean hostConnected() {
        return true;
    }

    @Override
    public String describe() {
        return "stdio";
    }

    @Override
    public void close() {
        input.close();
    }
}
