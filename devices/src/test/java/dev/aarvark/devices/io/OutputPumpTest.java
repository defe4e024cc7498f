package dev.aarvark.devices.io;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OutputPumpTest {
    /** A sink that blocks every write until released. */
    private static final class GatedSink implements OutputPump.Sink {
        final CountDownLatch open = new CountDownLatch(1);
        final ByteArrayOutputStream got = new ByteArrayOutputStream();

        @Override
        public void write(byte[] b, int off, int len) {
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (got) {
                got.write(b, off, len);
            }
        }
    }

    @Test
    void offerTakesWhatFitsAndNeverBlocksWhileTheSinkIsStuck() {
        GatedSink sink = new GatedSink();
        OutputPump pump = new OutputPump("test", 16, sink);

        assertEquals(10, pump.offer("0123456789".getBytes(), 0, 10));
        assertEquals(6, pump.offer("abcdefghij".getBytes(), 0, 10), "only the room left");
        assertEquals(0, pump.offer("x".getBytes(), 0, 1));
        assertEquals(0, pump.room());
        assertFalse(pump.drain(Duration.ofMillis(50)));

        sink.open.countDown();
        assertTrue(pump.drain(Duration.ofSeconds(10)));
        assertArrayEquals("0123456789abcdef".getBytes(), sink.got.toByteArray());
        pump.close(Duration.ofSeconds(1));
    }

    @Test
    void aProducerRefusedRoomIsToldOnceTheWriterHasMadeSome() throws Exception {
        GatedSink sink = new GatedSink();
        OutputPump pump = new OutputPump("test", 8, sink);
        pump.offer(new byte[8], 0, 8);
        CountDownLatch told = new CountDownLatch(1);

        pump.whenRoom(told::countDown);
        assertFalse(told.await(100, TimeUnit.MILLISECONDS), "no room while the sink is stuck");
        sink.open.countDown();

        assertTrue(told.await(10, TimeUnit.SECONDS));
        assertTrue(pump.room() > 0);
        pump.close(Duration.ofSeconds(1));
    }

    @Test
    void awaitRoomWaitsForTheWriterAndGivesUpAtItsBound() {
        GatedSink sink = new GatedSink();
        OutputPump pump = new OutputPump("test", 8, sink);
        pump.offer(new byte[8], 0, 8);
        assertFalse(pump.awaitRoom(Duration.ofMillis(50)), "the sink is stuck: no room within the bound");
        sink.open.countDown();
        assertTrue(pump.awaitRoom(Duration.ofSeconds(10)));
        assertTrue(pump.room() > 0);
        pump.close(Duration.ofSeconds(1));
        assertFalse(pump.awaitRoom(Duration.ofMillis(10)), "a closed pump takes nothing");
    }

    @Test
    void bytesArriveInOrderEachOnceAcrossTheRingsWrap() {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        OutputPump pump = new OutputPump("test", 7, (b, off, len) -> got.write(b, off, len));
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        byte[] data = new byte[5];
        for (int round = 0; round < 2000; round++) {
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (round * 5 + i);
            }
            int off = 0;
            while (off < data.length) {
                int n = pump.offer(data, off, data.length - off);
                sent.write(data, off, n);
                off += n;
                if (n == 0) {
                    assertTrue(pump.drain(Duration.ofSeconds(10)));
                }
            }
        }
        assertTrue(pump.drain(Duration.ofSeconds(10)));
        assertArrayEquals(sent.toByteArray(), got.toByteArray());
        pump.close(Duration.ofSeconds(1));
    }

    @Test
    void aFailingSinkIsReportedAndTheProducerIsNeverStuck() {
        OutputPump pump = new OutputPump("test", 16, (b, off, len) -> {
            throw new IOException("disk full");
        });
        for (int i = 0; i < 100; i++) {
            int off = 0;
            while (off < 10) {
                off += pump.offer(new byte[10], off, 10 - off);
                pump.drain(Duration.ofSeconds(10));
            }
        }
        assertEquals(0, pump.pending(), "what the sink could not take is counted, not held");
        pump.close(Duration.ofSeconds(1));
    }

    @Test
    void closeIsBoundedWhenTheSinkNeverReturnsAndTakesNothingAfterwards() {
        GatedSink sink = new GatedSink();
        OutputPump pump = new OutputPump("test", 16, sink);
        pump.offer(new byte[4], 0, 4);
        long t0 = System.nanoTime();

        pump.close(Duration.ofMillis(200));

        assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
        assertEquals(0, pump.offer(new byte[1], 0, 1));
        assertEquals(0, pump.room());
        sink.open.countDown();
    }
}
