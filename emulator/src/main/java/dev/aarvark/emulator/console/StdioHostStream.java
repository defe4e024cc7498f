package dev.aarvark.emulator.console;

import dev.aarvark.devices.io.ByteSink;
import dev.aarvark.devices.io.HostStream;

import java.util.function.Consumer;

/**
 * The terminal as the host side of a virtio-console port ({@code --hvc stdio}): guest output goes
 * to the machine's console output (the terminal, the console log and the {@code --expect}
 * watcher, as UART output does), and the command line's standard input reaches the port through a
 * bounded {@link ConsoleInput}. Always connected.
 */
public final class StdioHostStream implements HostStream {
    private final ByteSink console;
    private final ConsoleInput input;
    private Listener listener;

    /**
     * @param console the machine's console output
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
        console.write(data, off, len);
        return len;
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
