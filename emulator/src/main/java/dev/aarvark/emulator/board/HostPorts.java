package dev.aarvark.emulator.board;

import dev.aarvark.devices.io.ByteSink;
import dev.aarvark.devices.io.FileHostStream;
import dev.aarvark.devices.io.HostIo;
import dev.aarvark.devices.io.HostStream;
import dev.aarvark.devices.io.NullHostStream;
import dev.aarvark.devices.io.SocketHostStream;
import dev.aarvark.devices.io.ConsoleInput;
import dev.aarvark.devices.io.StdioHostStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The host side of the board's ports: opens a {@link HostStream} for each {@link PortBackend}
 * (sockets share the machine's one host I/O event loop, opened on first use; files and the terminal
 * are written by their own writer threads), and closes them all with the machine. None of them
 * blocks the vCPU thread.
 */
public final class HostPorts implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostPorts.class);

    private final ByteSink console;
    private final Consumer<Runnable> toVcpu;
    private final List<HostStream> streams = new ArrayList<>();
    private HostIo hostIo;
    private ConsoleInput stdioInput;

    /**
     * @param console the machine's console output (where a {@code stdio} port writes), its room
     *                callbacks running on the vCPU thread
     * @param toVcpu  runs a task on the vCPU thread
     */
    public HostPorts(ByteSink console, Consumer<Runnable> toVcpu) {
        this.console = console;
        this.toVcpu = toVcpu;
    }

    /** Opens the host side {@code backend} names. */
    public HostStream open(PortBackend backend) {
        HostStream s = switch (backend) {
            case PortBackend.Stdio x -> {
                StdioHostStream stdio = new StdioHostStream(console, toVcpu);
                if (stdioInput == null) {
                    stdioInput = stdio.input();
                }
                yield stdio;
            }
            case PortBackend.File f -> new FileHostStream(f.path(), toVcpu::accept);
            case PortBackend.Unix u -> SocketHostStream.unix(hostIo(), u.path());
            case PortBackend.Tcp t -> SocketHostStream.tcp(hostIo(), t.port());
            case PortBackend.None x -> new NullHostStream();
        };
        streams.add(s);
        return s;
    }

    /** Standard input of the first {@code stdio} port, if one was opened. */
    public Optional<ConsoleInput> stdioInput() {
        return Optional.ofNullable(stdioInput);
    }

    private HostIo hostIo() {
        if (hostIo == null) {
            hostIo = new HostIo(toVcpu::accept);
        }
        return hostIo;
    }

    @Override
    public void close() {
        for (HostStream s : streams) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.warn("closing {}: {}", s.describe(), e.getMessage());
            }
        }
        if (hostIo != null) {
            hostIo.close();
        }
    }
}
