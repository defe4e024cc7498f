package dev.aarvark.devices.io;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.nio.NioServerDomainSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;

/**
 * A listening socket as the host side of a device stream: a Unix-domain socket ({@code unix:PATH})
 * or TCP on 127.0.0.1 only ({@code tcp:PORT}), served by the machine's {@link HostIo} event loop.
 * One client at a time (as QEMU's socket chardev in server mode): a second connection is closed at
 * once while one is active.
 *
 * <p>Backpressure, both ways, with bounded memory:
 * <ul>
 *   <li>Guest to host: {@link #write} copies into the channel only while Netty's outbound buffer is
 *   under its high-water mark ({@value #HIGH_WATER} bytes); otherwise it takes nothing, and
 *   {@link Listener#writable()} follows when the buffer drains. Without a client it takes nothing
 *   (the guest's data waits, it is not dropped).</li>
 *   <li>Host to guest: each read is handed to the vCPU thread; if the device takes less, reading
 *   stops ({@code autoRead} off) until {@link #inputSpace()}, so at most one read's worth waits.</li>
 * </ul>
 */
public final class SocketHostStream implements HostStream {
    static final int HIGH_WATER = 256 * 1024;
    static final int LOW_WATER = 64 * 1024;

    private final HostIo io;
    private final SocketAddress address;
    private final String description;
    private Listener listener;
    private Channel server;
    /** The connected client; written on the event loop, read on the vCPU thread. */
    private volatile Channel client;
    /** Host bytes waiting for the guest (vCPU thread only). */
    private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
    private int pendingOffset;
    private boolean writeBlocked;
    private boolean connectedForDevice;

    private SocketHostStream(HostIo io, SocketAddress address, String description) {
        this.io = io;
        this.address = address;
        this.description = description;
    }

    /** Listens on a Unix-domain socket at {@code path} (a stale socket file there is replaced). */
    public static SocketHostStream unix(HostIo io, Path path) {
        return new SocketHostStream(io, UnixDomainSocketAddress.of(path), "unix:" + path);
    }

    /** Listens on 127.0.0.1:{@code port}. */
    public static SocketHostStream tcp(HostIo io, int port) {
        return new SocketHostStream(io, new InetSocketAddress(InetAddress.getLoopbackAddress(), port), "tcp:" + port);
    }

    @Override
    public void start(Listener l) {
        this.listener = l;
        if (address instanceof UnixDomainSocketAddress u) {
            try {
                Files.deleteIfExists(u.getPath());
            } catch (IOException e) {
                throw new HostStreamException(description, "cannot replace the existing file " + u.getPath() + " (" + e.getMessage() + ")", e);
            }
        }
        ServerBootstrap b = new ServerBootstrap().group(io.group())
                .channel(address instanceof UnixDomainSocketAddress ? NioServerDomainSocketChannel.class : NioServerSocketChannel.class)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(LOW_WATER, HIGH_WATER))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new ClientHandler());
                    }
                });
        try {
            server = b.bind(address).syncUninterruptibly().channel();
        } catch (Exception e) {
            // Netty rethrows the bind's checked exception (BindException, SocketException) unchecked.
            String where = address instanceof UnixDomainSocketAddress u ? u.getPath().toString()
                    : ((InetSocketAddress) address).getAddress().getHostAddress() + ":" + ((InetSocketAddress) address).getPort();
            throw new HostStreamException(description, "cannot listen on " + where + " (" + e.getMessage() + ")", e);
        }
    }

    /** The address actually bound (for tcp:0, the port chosen). */
    public SocketAddress boundAddress() {
        return server.localAddress();
    }

    private final class ClientHandler extends ChannelInboundHandlerAdapter {
        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            if (client != null && client.isActive()) {
                ctx.close();
                return;
            }
            client = ctx.channel();
            io.vcpu().execute(() -> setConnected(true));
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ByteBuf buf = (ByteBuf) msg;
            byte[] data = new byte[buf.readableBytes()];
            buf.readBytes(data);
            buf.release();
            if (ctx.channel() != client) {
                return;
            }
            // Hand the bytes to the guest; stop reading until they are all taken.
            ctx.channel().config().setAutoRead(false);
            io.vcpu().execute(() -> {
                pending.add(data);
                deliver();
            });
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                io.vcpu().execute(SocketHostStream.this::becameWritable);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (ctx.channel() == client) {
                client = null;
                io.vcpu().execute(() -> setConnected(false));
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private void setConnected(boolean c) {
        if (c != connectedForDevice) {
            connectedForDevice = c;
            if (!c) {
                pending.clear();
                pendingOffset = 0;
            }
            listener.hostConnected(c);
            if (c && writeBlocked) {
                becameWritable();
            }
        }
    }

    private void becameWritable() {
        if (writeBlocked) {
            writeBlocked = false;
            listener.writable();
        }
    }

    /** Offers waiting host bytes to the device (vCPU thread); resumes reading once all are taken. */
    private void deliver() {
        while (!pending.isEmpty()) {
            byte[] head = pending.peek();
            int n = listener.received(head, pendingOffset, head.length - pendingOffset);
            pendingOffset += n;
            if (pendingOffset < head.length) {
                return;
            }
            pending.poll();
            pendingOffset = 0;
        }
        Channel c = client;
        if (c != null) {
            c.config().setAutoRead(true);
        }
    }

    @Override
    public int write(byte[] data, int off, int len) {
        Channel c = client;
        if (c == null || !c.isActive() || !c.isWritable()) {
            writeBlocked = true;
            return 0;
        }
        c.writeAndFlush(Unpooled.copiedBuffer(data, off, len));
        return len;
    }

    @Override
    public void inputSpace() {
        deliver();
    }

    @Override
    public boolean hostConnected() {
        return connectedForDevice;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        Channel c = client;
        if (c != null) {
            c.close().syncUninterruptibly();
        }
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        if (address instanceof UnixDomainSocketAddress u) {
            try {
                Files.deleteIfExists(u.getPath());
            } catch (IOException e) {
                // Leaving a stale socket file is harmless: the next start replaces it.
            }
        }
    }
}
