package dev.aarvark.devices.io.net;

import dev.aarvark.devices.io.HostIo;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * QEMU's {@code -netdev stream}: frames over a stream socket (Unix-domain or TCP), each a 4-byte
 * big-endian length then the frame, so either end can be a QEMU ({@code -netdev
 * stream,server=on|off,addr.type=unix|inet,...}), passt, or another aarvark.
 *
 * <p>Two modes, as QEMU's {@code server=} option:
 * <ul>
 *   <li><b>connect</b> ({@link #connectUnix}, {@link #connectTcp}): {@link #start} connects, and
 *   fails with a {@link NetBackendException} naming the address and the reason if the peer cannot
 *   be reached. When the peer leaves later, the link goes down and a new connection is tried every
 *   second ({@value #RECONNECT_SECONDS} s, as QEMU's {@code reconnect=1}) until one succeeds or the
 *   backend is closed.</li>
 *   <li><b>listen</b> ({@link #listenUnix}, {@link #listenTcp}): {@link #start} binds (TCP on
 *   127.0.0.1 unless a host is given; a Unix socket left by an earlier run at the path is
 *   replaced, any other file there is refused) and the backend serves one peer at a time: a second
 *   connection while one is there is closed at once and counted
 *   ({@link FrameCounters#peersRefused()}; QEMU instead leaves it waiting in the backlog); when
 *   the peer leaves, the next one is accepted. {@link #close} removes the socket file it
 *   made.</li>
 * </ul>
 * The link is up while a peer is connected. Framing ({@link StreamFrameDecoder}): zero-length
 * frames from the peer are ignored and counted, a peer announcing a frame over
 * {@link #MAX_FRAME} is disconnected. Flow control and memory bounds: see
 * {@link NettyFrameBackend}; while the device does not receive, the peer's bytes stay in the
 * socket, so a peer that leaves meanwhile is noticed only when reading resumes or a send fails.
 */
public final class StreamFrameBackend extends NettyFrameBackend {
    private static final Logger LOG = LoggerFactory.getLogger(StreamFrameBackend.class);
    /** Seconds between connection attempts after the peer of a connect end left. */
    public static final int RECONNECT_SECONDS = 1;
    static final int CONNECT_TIMEOUT_MS = 5_000;
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private static final LengthFieldPrepender ENCODER = new LengthFieldPrepender(StreamFrameDecoder.LENGTH_BYTES);

    private final SocketAddress address;
    private final boolean listen;
    /** The listening socket (listen mode). */
    private Channel server;
    private boolean madeSocketFile;
    /** Connect mode: how connections are made, on which loop; {@code retry}/{@code connecting} on that loop only. */
    private Bootstrap connector;
    private EventLoop loop;
    private ScheduledFuture<?> retry;
    private ChannelFuture connecting;

    private StreamFrameBackend(HostIo io, SocketAddress address, boolean listen, String description) {
        super(io, description);
        this.address = address;
        this.listen = listen;
    }

    /** Connects to the Unix-domain socket at {@code path}: {@code stream:connect=unix:PATH}. */
    public static StreamFrameBackend connectUnix(HostIo io, Path path) {
        return new StreamFrameBackend(io, UnixDomainSocketAddress.of(path), false, "stream:connect=unix:" + path);
    }

    /** Connects to {@code host:port} over TCP: {@code stream:connect=tcp:HOST:PORT}. */
    public static StreamFrameBackend connectTcp(HostIo io, InetAddress host, int port) {
        InetSocketAddress a = new InetSocketAddress(Objects.requireNonNull(host, "host"), checkPort(port, false));
        return new StreamFrameBackend(io, a, false, "stream:connect=tcp:" + hostPort(a));
    }

    /** Listens on a Unix-domain socket at {@code path}: {@code stream:listen=unix:PATH}. */
    public static StreamFrameBackend listenUnix(HostIo io, Path path) {
        return new StreamFrameBackend(io, UnixDomainSocketAddress.of(path), true, "stream:listen=unix:" + path);
    }

    /** Listens on 127.0.0.1:{@code port} (0: a port the system chooses, see {@link #boundAddress()}). */
    public static StreamFrameBackend listenTcp(HostIo io, int port) {
        return listenTcp(io, InetAddress.getLoopbackAddress(), port);
    }

    /** Listens on {@code host:port} ({@code host} may be a wildcard address, to accept from other machines). */
    public static StreamFrameBackend listenTcp(HostIo io, InetAddress host, int port) {
        InetSocketAddress a = new InetSocketAddress(Objects.requireNonNull(host, "host"), checkPort(port, true));
        return new StreamFrameBackend(io, a, true, "stream:listen=tcp:" + hostPort(a));
    }

    private static int checkPort(int port, boolean zeroAllowed) {
        if (port < (zeroAllowed ? 0 : 1) || port > 65_535) {
            throw new IllegalArgumentException("port " + port + " is outside " + (zeroAllowed ? 0 : 1) + "..65535");
        }
        return port;
    }

    /** The local address of the listening socket (for {@code tcp:0}, the port chosen); null for a connect end. */
    public SocketAddress boundAddress() {
        return server == null ? null : server.localAddress();
    }

    /** The encoder of the framing (shared: it keeps no state). */
    static LengthFieldPrepender encoder() {
        return ENCODER;
    }

    @Override
    void open() {
        if (listen) {
            bind();
        } else {
            connectFirst();
        }
    }

    @Override
    Object outbound(ByteBuf frame) {
        return frame; // the pipeline's encoder puts the length in front
    }

    private boolean isTcp() {
        return address instanceof InetSocketAddress;
    }

    private ChannelInitializer<Channel> peerPipeline() {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel ch) {
                ch.pipeline().addLast(ENCODER, new StreamFrameDecoder(description, tally), new PeerHandler());
            }
        };
    }

    private void bind() {
        if (address instanceof UnixDomainSocketAddress u) {
            replaceStaleSocket(u.getPath());
        }
        ServerBootstrap b = new ServerBootstrap().group(io.group())
                .channel(isTcp() ? NioServerSocketChannel.class : NioServerDomainSocketChannel.class)
                .childOption(ChannelOption.AUTO_READ, false) // until it is the peer (see PeerHandler)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .childHandler(peerPipeline());
        if (isTcp()) {
            b.childOption(ChannelOption.TCP_NODELAY, true);
        }
        ChannelFuture f = b.bind(address).awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new NetBackendException(description, NetBackendException.reasonOf(f.cause()), f.cause());
        }
        server = f.channel();
        madeSocketFile = address instanceof UnixDomainSocketAddress;
    }

    /** Removes a socket file an earlier run left at {@code path}; refuses to remove anything else. */
    private void replaceStaleSocket(Path path) {
        boolean socket;
        try {
            BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            socket = isSocket(path, a);
        } catch (NoSuchFileException e) {
            return;
        } catch (IOException e) {
            throw new NetBackendException(description, "cannot inspect " + path + " (" + NetBackendException.reasonOf(e) + ")", e);
        }
        if (!socket) {
            throw new NetBackendException(description, path + " exists and is not a socket", null);
        }
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new NetBackendException(description, "cannot replace the socket " + path + " (" + NetBackendException.reasonOf(e) + ")", e);
        }
    }

    private static boolean isSocket(Path path, BasicFileAttributes a) {
        try {
            return ((Integer) Files.getAttribute(path, "unix:mode", LinkOption.NOFOLLOW_LINKS) & S_IFMT) == S_IFSOCK;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return a.isOther();
        }
    }

    private void connectFirst() {
        loop = io.group().next();
        connector = new Bootstrap().group(loop)
                .channel(isTcp() ? NioSocketChannel.class : NioDomainSocketChannel.class)
                .option(ChannelOption.AUTO_READ, false) // until it is the peer (see PeerHandler)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, CONNECT_TIMEOUT_MS)
                .handler(peerPipeline());
        if (isTcp()) {
            connector.option(ChannelOption.TCP_NODELAY, true);
        }
        ChannelFuture f = connector.connect(address).awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new NetBackendException(description, NetBackendException.reasonOf(f.cause()), f.cause());
        }
        // The connect future completes just before the channel's channelActive, in the same
        // event-loop task, so once the loop has run one more task PeerHandler has made it the peer.
        loop.submit(() -> { }).awaitUninterruptibly();
        if (channel != null) {
            // Up as start returns (the posted report of the connection then changes nothing); if
            // the peer leaves now, its posted report follows and takes the link down again.
            setLink(true);
        }
    }

    /** Connect mode, on the loop: the next attempt in a second. */
    private void scheduleRetry() {
        if (!closed) {
            retry = loop.schedule(this::reconnect, RECONNECT_SECONDS, TimeUnit.SECONDS);
        }
    }

    private void reconnect() {
        retry = null;
        if (closed) {
            return;
        }
        ChannelFuture f = connector.connect(address);
        connecting = f;
        f.addListener((ChannelFuture done) -> {
            if (connecting == done) {
                connecting = null;
            }
            if (closed) {
                done.channel().close();
            } else if (done.isSuccess()) {
                LOG.info("{}: connected again", description);
            } else {
                scheduleRetry();
            }
        });
    }

    @Override
    void shutdown() {
        if (loop != null) {
            try {
                loop.submit(() -> {
                    if (retry != null) {
                        retry.cancel(false);
                    }
                    if (connecting != null) {
                        connecting.channel().close();
                    }
                }).awaitUninterruptibly();
            } catch (RejectedExecutionException e) {
                // The event loop is gone already, and with it every socket it served.
            }
        }
        Channel c = channel;
        if (c != null) {
            c.close().awaitUninterruptibly();
        }
        if (server != null) {
            server.close().awaitUninterruptibly();
        }
        if (madeSocketFile) {
            Path p = ((UnixDomainSocketAddress) address).getPath();
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.warn("{}: cannot remove the socket file {} ({})", description, p, NetBackendException.reasonOf(e));
            }
        }
    }

    /** One per connection: makes it the peer (or refuses it), and passes its frames and events on. */
    private final class PeerHandler extends ChannelInboundHandlerAdapter {
        private boolean isPeer;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            Channel ch = ctx.channel();
            if (closed) {
                ctx.close();
                return;
            }
            if (channel != null) {
                tally.peersRefused.incrementAndGet();
                LOG.warn("{}: refused a second peer while one is connected", description);
                ctx.close();
                return;
            }
            isPeer = true;
            channel = ch;
            applyAutoRead(ch);
            postLink(true);
            if (listen) {
                LOG.info("{}: a peer connected", description);
            }
            ctx.fireChannelActive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf frame = (ByteBuf) msg;
            try {
                if (isPeer && !closed) {
                    fromPeer(ctx.channel(), frame);
                }
            } finally {
                frame.release();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            writabilityChanged(ctx.channel());
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!isPeer) {
                return;
            }
            isPeer = false;
            channel = null;
            postLink(false);
            if (closed) {
                return;
            }
            if (listen) {
                LOG.info("{}: the peer left; waiting for the next one", description);
            } else {
                LOG.warn("{}: the peer closed the connection; trying again every {} s", description, RECONNECT_SECONDS);
                scheduleRetry();
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (!closed && isPeer) {
                LOG.warn("{}: {}; closing the connection", description, NetBackendException.reasonOf(cause));
            }
            ctx.close();
        }
    }
}
