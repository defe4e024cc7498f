package dev.aarvark.devices.io.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;

import static dev.aarvark.devices.io.net.VcpuHarness.frame;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The stream framing on its own (Netty's EmbeddedChannel): QEMU's 4-byte big-endian length, then the frame. */
class StreamFramingTest {
    static {
        // As HostIo does (this test does not load it): Netty's portable paths, without the JDK's Unsafe warnings.
        System.setProperty("io.netty.noUnsafe", "true");
    }

    private final Tally tally = new Tally();
    private final EmbeddedChannel ch = new EmbeddedChannel(new StreamFrameDecoder("test", tally));

    private static ByteBuf bytes(int... b) {
        ByteBuf buf = Unpooled.buffer(b.length);
        for (int x : b) {
            buf.writeByte(x);
        }
        return buf;
    }

    private static byte[] framed(byte[]... frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] f : frames) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(f.length).array());
            out.writeBytes(f);
        }
        return out.toByteArray();
    }

    private byte[] nextFrame() {
        ByteBuf b = ch.readInbound();
        if (b == null) {
            return null;
        }
        try {
            return ByteBufUtil.getBytes(b);
        } finally {
            b.release();
        }
    }

    @Test
    void aLengthSplitAcrossReadsStillYieldsOneWholeFrame() {
        assertFalse(ch.writeInbound(bytes(0, 0)), "half a length: nothing yet");
        assertFalse(ch.writeInbound(bytes(0, 5, 'h', 'e')), "the length and part of the frame: nothing yet");
        assertTrue(ch.writeInbound(bytes('l', 'l', 'o')));
        assertEquals("hello", new String(nextFrame()));
        assertNull(nextFrame());
    }

    @Test
    void severalFramesInOneReadComeOutInOrder() {
        byte[] a = frame(1, 60), b = frame(2, 1), c = frame(3, 1514);
        byte[] all = framed(a, b, c);
        // Three whole frames and the first 3 bytes of a fourth's length.
        ByteBuf read = Unpooled.buffer().writeBytes(all).writeBytes(new byte[] {0, 0, 0});
        assertTrue(ch.writeInbound(read));
        assertArrayEquals(a, nextFrame());
        assertArrayEquals(b, nextFrame());
        assertArrayEquals(c, nextFrame());
        assertNull(nextFrame());
        ch.writeInbound(bytes(2, 'o', 'k'));
        assertEquals("ok", new String(nextFrame()));
    }

    @Test
    void aFrameOfTheLargestSizeIsAccepted() {
        byte[] big = frame(4, FrameBackend.MAX_FRAME);
        ch.writeInbound(Unpooled.wrappedBuffer(framed(big)));
        assertArrayEquals(big, nextFrame());
        assertTrue(ch.isOpen());
        assertEquals(0, tally.rxOversize.get());
    }

    @Test
    void anOversizeLengthDisconnectsThePeerWithoutBufferingItsFrame() {
        int tooLong = FrameBackend.MAX_FRAME + 1;
        ByteBuf read = Unpooled.buffer().writeInt(tooLong).writeBytes(new byte[1000]);
        ch.writeInbound(read);
        assertFalse(ch.isOpen(), "the peer is disconnected");
        assertNull(nextFrame());
        assertEquals(1, tally.rxOversize.get());
        assertEquals(0, read.refCnt(), "the read was consumed and released, not held for the rest of the frame");
    }

    @Test
    void aLengthWithTheTopBitSetIsOversizeNotNegative() {
        ch.writeInbound(bytes(0xff, 0xff, 0xff, 0xff, 1, 2, 3));
        assertFalse(ch.isOpen());
        assertNull(nextFrame());
        assertEquals(1, tally.rxOversize.get());
    }

    @Test
    void aZeroLengthFrameIsIgnoredAndCounted() {
        byte[] a = frame(5, 42);
        ch.writeInbound(Unpooled.buffer().writeInt(0).writeBytes(framed(a)).writeInt(0));
        assertArrayEquals(a, nextFrame());
        assertNull(nextFrame());
        assertEquals(2, tally.rxEmpty.get());
        assertTrue(ch.isOpen());
    }

    @Test
    void theEncoderPutsTheBigEndianLengthInFront() {
        EmbeddedChannel out = new EmbeddedChannel(StreamFrameBackend.encoder());
        byte[] a = frame(6, 300);
        assertTrue(out.writeOutbound(Unpooled.wrappedBuffer(a)));
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        for (ByteBuf b; (b = out.readOutbound()) != null; ) {
            wire.writeBytes(ByteBufUtil.getBytes(b));
            b.release();
        }
        assertArrayEquals(framed(a), wire.toByteArray());
        // And what it makes, the decoder takes apart again.
        ch.writeInbound(Unpooled.wrappedBuffer(wire.toByteArray()));
        assertArrayEquals(a, nextFrame());
    }
}
