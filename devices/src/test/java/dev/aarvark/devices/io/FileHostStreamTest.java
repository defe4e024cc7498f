package dev.aarvark.devices.io;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FileHostStreamTest {
    @TempDir
    Path dir;

    @Test
    void guestOutputIsAppendedAndTheHostIsAlwaysConnected() throws Exception {
        Path f = dir.resolve("port.out");
        Files.writeString(f, "before\n");
        FileHostStream s = new FileHostStream(f, Runnable::run);
        boolean[] connected = {false};
        s.start(new HostStream.Listener() {
            @Override
            public int received(byte[] data, int off, int len) {
                return 0;
            }

            @Override
            public void writable() {
            }

            @Override
            public void hostConnected(boolean c) {
                connected[0] = c;
            }
        });
        assertTrue(connected[0]);
        byte[] b = "guest\n".getBytes();
        assertEquals(6, s.write(b, 0, b.length));
        s.close();
        assertEquals("before\nguest\n", Files.readString(f));
    }

    @Test
    void anUnwritableFileIsRefusedWithItsName() {
        FileHostStream s = new FileHostStream(dir.resolve("no/such/dir/x"), Runnable::run);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> s.start(null));
        assertTrue(e.getMessage().startsWith("file:"), e.getMessage());
    }

    private static final class Recorder implements HostStream.Listener {
        final java.util.concurrent.atomic.AtomicInteger writable = new java.util.concurrent.atomic.AtomicInteger();

        @Override
        public int received(byte[] data, int off, int len) {
            return 0;
        }

        @Override
        public void writable() {
            writable.incrementAndGet();
        }

        @Override
        public void hostConnected(boolean c) {
        }
    }

    private Path fifo(String name) throws Exception {
        Path p = dir.resolve(name);
        Process mk = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertEquals(0, mk.waitFor());
        return p;
    }

    @Test
    void aNamedPipeNobodyReadsNeitherBlocksTheOpenNorAWriteAndTakesABoundedAmount() throws Exception {
        Path p = fifo("nobody-reads");
        FileHostStream s = new FileHostStream(p, Runnable::run);
        Recorder l = new Recorder();
        s.start(l); // a write-only open would wait here for a reader
        byte[] chunk = new byte[64 * 1024];
        long taken = 0;
        for (int i = 0; i < 64; i++) { // 4 MiB offered; each call returns at once
            taken += s.write(chunk, 0, chunk.length);
        }
        assertTrue(taken >= FileHostStream.CAPACITY, "took " + taken);
        assertTrue(taken <= FileHostStream.CAPACITY + (1 << 20), "bounded by the buffer and the pipe: took " + taken);
        assertEquals(0, l.writable.get(), "nobody read, so no room appeared");
        s.close(); // bounded: waits CLOSE_WAIT for the pipe, warns, and ends the blocked writer
    }

    @Test
    void aReaderThatComesLaterGetsEveryByteInOrderAndTheDeviceIsToldWhenThereIsRoom() throws Exception {
        Path p = fifo("late-reader");
        FileHostStream s = new FileHostStream(p, Runnable::run);
        Recorder l = new Recorder();
        s.start(l);
        java.io.ByteArrayOutputStream expected = new java.io.ByteArrayOutputStream();
        byte[] chunk = new byte[32 * 1024];
        int round = 0;
        while (expected.size() < (2 << 20)) { // 2 MiB, far more than the buffer
            java.util.Arrays.fill(chunk, (byte) round++);
            int off = 0;
            while (off < chunk.length) {
                int n = s.write(chunk, off, chunk.length - off);
                expected.write(chunk, off, n);
                off += n;
                if (n == 0) {
                    if (round == 1 || expected.size() < FileHostStream.CAPACITY) {
                        throw new AssertionError("refused before the buffer was full: " + expected.size());
                    }
                    break;
                }
            }
            if (off < chunk.length) {
                break;
            }
        }
        int beforeReader = l.writable.get();
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        Thread reader = Thread.ofPlatform().start(() -> {
            try (var in = java.nio.file.Files.newInputStream(p)) {
                in.transferTo(got);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (l.writable.get() == beforeReader && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(l.writable.get() > beforeReader, "writable() once the reader made room");
        assertTrue(s.drain(java.time.Duration.ofSeconds(30)));
        s.close();
        reader.join(30_000);
        assertEquals(expected.size(), got.size());
        assertTrue(java.util.Arrays.equals(expected.toByteArray(), got.toByteArray()), "in order, each byte once");
    }
}
