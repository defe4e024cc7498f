package dev.aarvark.devices.io.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.TooLongFrameException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Splits QEMU's {@code -netdev stream} byte stream into frames: each is a 4-byte big-endian
 * length, then that many bytes. Emits each non-empty frame (a slice the next handler releases).
 *
 * <p>What it keeps true: a frame is emitted whole or not at all, whatever the reads' boundaries;
 * a length of 0 is skipped and counted ({@link FrameCounters#rxEmpty()}); a length over
 * {@link FrameBackend#MAX_FRAME} is never allocated: the peer is disconnected with a warning,
 * counted ({@link FrameCounters#rxOversize()}), and nothing it sends after is decoded. So at most
 * one frame and one read are held.
 */
final class StreamFrameDecoder extends LengthFieldBasedFrameDecoder {
    private static final Logger LOG = LoggerFactory.getLogger(StreamFrameDecoder.class);
    static final int LENGTH_BYTES = 4;

    private final String description;
    private final Tally tally;
    private boolean refused;

    /**
     * @param description the backend, for the warning
     * @param tally       where empty and oversize frames are counted
     */
    StreamFrameDecoder(String description, Tally tally) {
        super(FrameBackend.MAX_FRAME + LENGTH_BYTES, 0, LENGTH_BYTES, 0, LENGTH_BYTES, true);
        this.description = description;
        this.tally = tally;
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        if (refused) {
            in.skipBytes(in.readableBytes());
            return null;
        }
        if (in.readableBytes() >= LENGTH_BYTES) {
            long length = in.getUnsignedInt(in.readerIndex());
            if (length > FrameBackend.MAX_FRAME) {
                refuse(ctx, in, length);
                return null;
            }
        }
        ByteBuf frame;
        try {
            frame = (ByteBuf) super.decode(ctx, in);
        } catch (TooLongFrameException e) {
            // Not reached (the length is checked above); the base class's own limit is a second guard.
            refuse(ctx, in, -1);
            return null;
        }
        if (frame != null && !frame.isReadable()) {
            frame.release();
            tally.rxEmpty.incrementAndGet();
            return null;
        }
        return frame;
    }

    private void refuse(ChannelHandlerContext ctx, ByteBuf in, long length) {
        refused = true;
        in.skipBytes(in.readableBytes());
        tally.rxOversize.incrementAndGet();
        LOG.warn("{}: the peer announced a frame of {} bytes (at most {} are allowed); disconnecting it",
                description, length >= 0 ? length : "too many", FrameBackend.MAX_FRAME);
        ctx.close();
    }
}
