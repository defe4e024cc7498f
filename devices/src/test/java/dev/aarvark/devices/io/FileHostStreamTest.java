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

    /**
     * A pipe that nobody reads: writes never block the caller (the vCPU thread), they take less
     * once the stream's buffer is full, and every byte arrives, in order, once the pipe is read.
     */
    @Test
    void aPipeNobodyReadsNeverBlocksTheWriterAndLosesNothing() throws Exception {
        Path fifo = dir.resolve("fifo");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        // A reader that opens the pipe (so the open for writing returns) but does not read yet.
        java.util.concurrent.CompletableFuture<java.io.FileInputStream> opening = java.util.concurrent.CompletableFuture
                .supplyAsync(() -> {
                    try {
                        return new java.io.FileInputStream(fifo.toFile());
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
        java.util.concurrent.ConcurrentLinkedQueue<Runnable> vcpu = new java.util.concurrent.ConcurrentLinkedQueue<>();
        FileHostStream s = new FileHostStream(fifo, vcpu::add);
        int[] writable = {0};
        s.start(new HostStream.Listener() {
            @Override
            public int received(byte[] data, int off, int len) {
                return 0;
            }

            @Override
            public void writable() {
                writable[0]++;
            }

            @Override
            public void hostConnected(boolean c) {
            }
        });
        java.io.FileInputStream in = opening.get(10, java.util.concurrent.TimeUnit.SECONDS);

        java.util.Random rnd = new java.util.Random(7);
        byte[] all = new byte[4 * FileHostStream.CAPACITY];
        rnd.nextBytes(all);
        int taken = 0;
        // Offer everything many times over: the pipe (64 KiB) and the buffer fill, and writes take 0.
        for (int round = 0; round < 200 && taken < all.length; round++) {
            taken += s.write(all, taken, all.length - taken);
        }
        assertTrue(taken <= FileHostStream.CAPACITY + (1 << 20), "bounded: " + taken);
        assertTrue(taken >= FileHostStream.CAPACITY, "the buffer was used: " + taken);
        assertEquals(0, s.write(all, taken, 1), "full: takes nothing, does not block");

        // Now the host reads: the stream drains, says it is writable, and takes the rest.
        java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
        Thread drain = Thread.ofPlatform().start(() -> {
            byte[] buf = new byte[65536];
            try {
                for (int n; got.size() < all.length && (n = in.read(buf)) > 0; ) {
                    got.write(buf, 0, n);
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        while (taken < all.length) {
            for (Runnable r; (r = vcpu.poll()) != null; ) {
                r.run();
            }
            taken += s.write(all, taken, all.length - taken);
            Thread.onSpinWait();
        }
        drain.join();
        s.close();
        assertTrue(writable[0] >= 1, "writable() was posted to the vCPU thread");
        assertTrue(java.util.Arrays.equals(all, got.toByteArray()), "every byte arrived, in order");
    }
}
