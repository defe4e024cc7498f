package dev.aarvark.devices.io.net;

import dev.aarvark.devices.io.HostIo;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.InternetProtocolFamily;
import io.netty.channel.socket.nio.NioDatagramChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * QEMU's {@code -netdev dgram,local.type=inet,local.host=H,local.port=P,remote.type=inet,...}:
 * one frame per UDP datagram, no framing bytes. The socket is bound to the local address and
 * sends every frame to the remote one; either end can be a QEMU with the mirrored options or
 * another aarvark.
 *
 * <p>What it keeps true: the link is up from {@link #start} (a datagram socket has no connection
 * to lose) until {@link #close}; only datagrams whose source is exactly the remote address and port
 * are delivered, others are ignored and counted ({@link FrameCounters#rxForeign()}), as are empty
 * ones ({@link FrameCounters#rxEmpty()}). Every datagram is read whole (the receive buffer is larger
 * than any UDP payload). A frame the host refuses to send (over the 65,507-byte IPv4 payload limit,
 * no route) is counted as {@link FrameCounters#txFailed()}. Flow control and memory bounds: see
 * {@link NettyFrameBackend}; while the device does not receive, datagrams wait in the kernel, which
 * drops them once its buffer is full, as a real link would.
 */
public final class DgramFrameBackend extends NettyFrameBackend {
    private static final Logger LOG = LoggerFactory.getLogger(DgramFrameBackend.class);
    /** Larger than any UDP payload (65,527 bytes over IPv6), so no datagram is cut. */
    static final int RECEIVE_BUFFER = 65_536;

    private final InetSocketAddress local;
    private final InetSocketAddress remote;
    private Channel socket;

    private DgramFrameBackend(HostIo io, InetSocketAddress local, InetSocketAddress remote, String description) {
        super(io, description);
        this.local = local;
        this.remote = remote;
    }

    /**
     * A UDP socket bound to {@code local} (port 0: one the system chooses) exchanging frames with
     * {@code remote}: {@code dgram:local=HOST:PORT,remote=HOST:PORT}. Both must be resolved
     * addresses of the same IP version.
     *
     * @throws NetBackendException      if the two addresses are of different IP versions
     * @throws IllegalArgumentException if an address is unresolved or the remote port is 0
     */
    public static DgramFrameBackend inet(HostIo io, InetSocketAddress local, InetSocketAddress remote) {
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(remote, "remote");
        if (local.isUnresolved() || remote.isUnresolved()) {
            throw new IllegalArgumentException("unresolved address: " + (local.isUnresolved() ? local : remote));
        }
        if (remote.getPort() == 0) {
            throw new IllegalArgumentException("the remote port must not be 0");
        }
        String description = "dgram:local=" + hostPort(local) + ",remote=" + hostPort(remote);
        if ((local.getAddress() instanceof Inet6Address) != (remote.getAddress() instanceof Inet6Address)) {
            throw new NetBackendException(description, "the local and remote addresses are of different IP versions", null);
        }
        return new DgramFrameBackend(io, local, remote, description);
    }

    /** The address the socket is bound to (for port 0, the port chosen); null before {@link #start}. */
    public InetSocketAddress boundAddress() {
        return socket == null ? null : (InetSocketAddress) socket.localAddress();
    }

    @Override
    void open() {
        InternetProtocolFamily family = local.getAddress() instanceof Inet6Address ? InternetProtocolFamily.IPv6 : InternetProtocolFamily.IPv4;
        Bootstrap b = new Bootstrap().group(io.group())
                .channelFactory(() -> new NioDatagramChannel(family))
                .option(ChannelOption.AUTO_READ, false) // until the device is told the link is up
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, WATER_MARK)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(RECEIVE_BUFFER))
                .handler(new DatagramHandler());
        ChannelFuture f = b.bind(local).awaitUninterruptibly();
        if (!f.isSuccess()) {
            throw new NetBackendException(description, NetBackendException.reasonOf(f.cause()), f.cause());
        }
        socket = f.channel();
        channel = socket;
        setLink(true);
        socket.eventLoop().execute(() -> applyAutoRead(socket));
    }

    @Override
    Object outbound(ByteBuf frame) {
        return new DatagramPacket(frame, remote);
    }

    @Override
    void shutdown() {
        if (socket != null) {
            socket.close().awaitUninterruptibly();
        }
    }

    /** Delivers the remote's datagrams; counts the rest. */
    private final class DatagramHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        private boolean reportedForeign;
        private boolean reportedError;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket p) {
            if (closed) {
                return;
            }
            if (!remote.equals(p.sender())) {
                tally.rxForeign.incrementAndGet();
                if (!reportedForeign) {
                    reportedForeign = true;
                    LOG.info("{}: ignoring datagrams from {} (not the remote); further ones are only counted", description, p.sender());
                }
                return;
            }
            if (!p.content().isReadable()) {
                tally.rxEmpty.incrementAndGet();
                return;
            }
            fromPeer(ctx.channel(), p.content());
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            writabilityChanged(ctx.channel());
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A datagram socket has no peer to lose: report and keep the socket.
            if (closed) {
                return;
            }
            if (!reportedError) {
                reportedError = true;
                LOG.warn("{}: {} (further errors are logged at debug level)", description, NetBackendException.reasonOf(cause));
            } else {
                LOG.debug("{}: {}", description, NetBackendException.reasonOf(cause));
            }
        }
    }
}
