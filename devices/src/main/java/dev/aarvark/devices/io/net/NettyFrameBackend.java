package dev.aarvark.devices.io.net;

import dev.aarvark.devices.io.HostIo;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.WriteBufferWaterMark;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * What the socket backends share: one Netty channel at a time carries the frames (the connected
 * peer, or the datagram socket), served by the machine's {@link HostIo} event loop, with every
 * {@link Listener} callback posted to the vCPU thread.
 *
 * <p>What it keeps true:
 * <ul>
 *   <li>Guest to peer: {@link #send} copies the frame into the channel only while Netty's outbound
 *   buffer is under its high-water mark ({@value #HIGH_WATER} bytes, counting writes still queued
 *   for the event loop), else answers {@link SendResult#FULL}; {@link Listener#writable()} follows
 *   once the buffer has drained to {@value #LOW_WATER} bytes, or the peer came or went (then
 *   {@code send} answers for the new state). So at most {@value #HIGH_WATER} bytes plus one frame
 *   wait on the host.</li>
 *   <li>Peer to guest: each frame read is copied and handed to the vCPU thread through an
 *   {@link RxHandoff} (frames read together are delivered together). Frames read and not yet
 *   delivered are bounded ({@value RxHandoff#HIGH_FRAMES} frames or {@value RxHandoff#HIGH_BYTES}
 *   bytes): past that, reading stops until the vCPU thread has caught up to a quarter of it. It
 *   stops too while the device asked ({@link #setReceiving setReceiving(false)}); what was read
 *   before and not taken is delivered first after {@code setReceiving(true)}.</li>
 *   <li>No callback after {@link #close}.</li>
 * </ul>
 */
abstract class NettyFrameBackend implements FrameBackend {
    /** Outbound bytes the channel holds before {@link #send} answers {@code FULL}. */
    static final int HIGH_WATER = 256 * 1024;
    /** Outbound bytes the channel drains to before {@link Listener#writable()}. */
    static final int LOW_WATER = 64 * 1024;
    static final WriteBufferWaterMark WATER_MARK = new WriteBufferWaterMark(LOW_WATER, HIGH_WATER);

    final HostIo io;
    final String description;
    final Tally tally = new Tally();
    /** Set on the vCPU thread by {@link #close}; read everywhere. */
    volatile boolean closed;
    /**
     * The channel frames are sent on and read from: the connected peer or the datagram socket;
     * null while there is none. Written on the event loop (or in {@link #start}), read anywhere.
     */
    volatile Channel channel;

    private final ChannelFutureListener countFailure = f -> {
        if (!f.isSuccess()) {
            tally.txFailed.incrementAndGet();
        }
    };
    /** The device's wish, from {@link #setReceiving}. */
    private volatile boolean receiving = true;
    /** Frames read and not yet handed to the device; reading stops while it is throttled. */
    private final RxHandoff rx;

    // vCPU thread only.
    private Listener listener;
    private boolean linkUp;
    private boolean writeBlocked;

    NettyFrameBackend(HostIo io, String description) {
        this.io = Objects.requireNonNull(io, "io");
        this.description = description;
        this.rx = new RxHandoff(io.vcpu(), tally, 0, this::resumeReading);
    }

    /** Binds or connects; throws {@link NetBackendException} if it cannot. Called once, by {@link #start}. */
    abstract void open();

    /** What the channel is given for one frame: the frame itself, or a datagram around it. */
    abstract Object outbound(ByteBuf frame);

    /** Closes the sockets and waits for them to be closed. Called once, by {@link #close}. */
    abstract void shutdown();

    @Override
    public final void start(Listener l) {
        if (listener != null) {
            throw new IllegalStateException(description + ": started twice");
        }
        listener = Objects.requireNonNull(l, "listener");
        rx.start(l);
        open();
    }

    /**
     * {@inheritDoc}
     *
     * @throws IllegalArgumentException if {@code len} is over {@link #MAX_FRAME} (the device never
     *                                  builds such a frame) or the range is outside {@code frame}
     */
    @Override
    public final SendResult send(byte[] frame, int off, int len) {
        Objects.checkFromIndexSize(off, len, frame.length);
        if (len > MAX_FRAME) {
            throw new IllegalArgumentException(description + ": a frame of " + len + " bytes is longer than " + MAX_FRAME);
        }
        Channel c = channel;
        if (closed || c == null || !c.isActive()) {
            tally.txNoPeer.incrementAndGet();
            return SendResult.DROPPED_NO_PEER;
        }
        if (!c.isWritable()) {
            writeBlocked = true;
            tally.txFull.incrementAndGet();
            return SendResult.FULL;
        }
        c.writeAndFlush(outbound(Unpooled.copiedBuffer(frame, off, len))).addListener(countFailure);
        tally.txFrames.incrementAndGet();
        tally.txBytes.addAndGet(len);
        return SendResult.SENT;
    }

    @Override
    public final void setReceiving(boolean on) {
        receiving = on;
        if (on) {
            rx.resume();
        }
        Channel c = channel;
        if (c != null && !closed) {
            c.eventLoop().execute(() -> applyAutoRead(c));
        }
    }

    @Override
    public final boolean linkUp() {
        return linkUp;
    }

    @Override
    public final String describe() {
        return description;
    }

    @Override
    public final FrameCounters counters() {
        return tally.snapshot();
    }

    /** Closes the sockets; frames not yet sent are dropped (and counted as failed). A second call does nothing. */
    @Override
    public final void close() {
        if (closed) {
            return;
        }
        closed = true;
        rx.close();
        shutdown();
    }

    // ---- called on the event loop ----

    /** Reads from {@code c} while the device wants frames and the vCPU thread keeps up. */
    final void applyAutoRead(Channel c) {
        c.config().setAutoRead(receiving && !rx.throttled() && !closed);
    }

    /** Hands one frame read from {@code c} to the device (copied; the caller keeps and releases {@code frame}). */
    final void fromPeer(Channel c, ByteBuf frame) {
        byte[] data = new byte[frame.readableBytes()];
        frame.getBytes(frame.readerIndex(), data);
        if (rx.offer(data)) {
            c.config().setAutoRead(false);
        }
    }

    /** Frames read and not yet taken by the device (a snapshot). */
    final int framesWaiting() {
        return rx.queued();
    }

    /** Tells the device a peer came or went. */
    final void postLink(boolean up) {
        io.vcpu().execute(() -> setLink(up));
    }

    /** Passes on a channel's change of writability (the device waits for it after {@code FULL}). */
    final void writabilityChanged(Channel c) {
        if (c == channel && c.isWritable()) {
            io.vcpu().execute(() -> {
                if (!closed && writeBlocked) {
                    writeBlocked = false;
                    listener.writable();
                }
            });
        }
    }

    // ---- called on the vCPU thread ----

    /** The link state the device sees; a device waiting after {@code FULL} is told to try again. */
    final void setLink(boolean up) {
        if (closed || up == linkUp) {
            return;
        }
        linkUp = up;
        listener.linkChanged(up);
        if (writeBlocked) {
            writeBlocked = false;
            listener.writable();
        }
    }

    /** The vCPU thread caught up after a throttle: read again if the device wants frames. */
    private void resumeReading() {
        Channel c = channel;
        if (c != null && !closed) {
            c.eventLoop().execute(() -> applyAutoRead(c));
        }
    }

    /** {@code host:port}, with an IPv6 host in brackets. */
    static String hostPort(InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        return (a.getAddress() instanceof Inet6Address ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
