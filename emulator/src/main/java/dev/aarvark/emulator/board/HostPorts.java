package dev.aarvark.emulator.board;

import dev.aarvark.devices.io.ByteSink;
import dev.aarvark.devices.io.FileHostStream;
import dev.aarvark.devices.io.HostIo;
import dev.aarvark.devices.io.net.DgramFrameBackend;
import dev.aarvark.devices.io.net.FrameBackend;
import dev.aarvark.devices.io.net.NetBackendException;
import dev.aarvark.devices.io.net.NullFrameBackend;
import dev.aarvark.devices.io.net.PcapFrameBackend;
import dev.aarvark.devices.io.net.StreamFrameBackend;
import dev.aarvark.devices.io.net.TapFrameBackend;
import dev.aarvark.devices.io.net.UserFrameBackend;
import dev.aarvark.devices.io.HostStream;
import dev.aarvark.devices.io.NullHostStream;
import dev.aarvark.devices.io.SocketHostStream;
import dev.aarvark.devices.io.ConsoleInput;
import dev.aarvark.devices.io.StdioHostStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The host side of the board's ports and network cards: opens a {@link HostStream} for each {@link PortBackend}
 * (sockets share the machine's one host I/O event loop, opened on first use; files and the terminal
 * are written by their own writer threads), and closes them all with the machine. None of them
 * blocks the vCPU thread.
 */
public final class HostPorts implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HostPorts.class);

    /**
     * The passt that {@code user} NICs start: {@code $AARVARK_PASST} if set, else {@code passt} on
     * the PATH (Debian's package).
     */
    static final String PASST = System.getenv().getOrDefault("AARVARK_PASST", "passt");

    private final ByteSink console;
    private final Consumer<Runnable> toVcpu;
    private final List<HostStream> streams = new ArrayList<>();
    private final List<FrameBackend> frames = new ArrayList<>();
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

    /**
     * Opens the host side of a network card, wrapped in a capture to {@code pcap} if that is not
     * null. Throws {@link NetBackendException} (one line: the backend and the reason) when it cannot.
     */
    public FrameBackend openNet(NetBackend backend, Path pcap) {
        FrameBackend b = switch (backend) {
            case NetBackend.None x -> new NullFrameBackend();
            case NetBackend.StreamConnectUnix c -> StreamFrameBackend.connectUnix(hostIo(), c.path());
            case NetBackend.StreamConnectTcp c -> StreamFrameBackend.connectTcp(hostIo(), address(backend, c.host()), c.port());
            case NetBackend.StreamListenUnix l -> StreamFrameBackend.listenUnix(hostIo(), l.path());
            case NetBackend.StreamListenTcp l -> StreamFrameBackend.listenTcp(hostIo(), address(backend, l.host()), l.port());
            case NetBackend.Dgram d -> DgramFrameBackend.inet(hostIo(),
                    new InetSocketAddress(address(backend, d.localHost()), d.localPort()),
                    new InetSocketAddress(address(backend, d.remoteHost()), d.remotePort()));
            case NetBackend.User u -> UserFrameBackend.open(hostIo(), PASST, u.forwards());
            case NetBackend.Tap t -> TapFrameBackend.open(hostIo(), t.ifname());
        };
        if (pcap != null) {
            try {
                b = PcapFrameBackend.capture(b, pcap);
            } catch (RuntimeException e) {
                b.close();
                throw e;
            }
        }
        frames.add(b);
        return b;
    }

    /** A host given as an address (names are resolved too, but tests and examples use addresses). */
    private static InetAddress address(NetBackend backend, String host) {
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new NetBackendException(backend.spec(), "unknown host " + host, e);
        }
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
        for (FrameBackend f : frames) {
            try {
                f.close();
            } catch (RuntimeException e) {
                LOG.warn("closing {}: {}", f.describe(), e.getMessage());
            }
        }
        if (hostIo != null) {
            hostIo.close();
        }
    }
}
