package dev.aarvark.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;

/**
 * The host end of {@code aarvark bench-net}: a TCP sink that checksums what a guest sends, a TCP
 * source that sends a guest a known stream, and a UDP sender of small datagrams. Each serves one
 * connection and is bounded in time, so a guest that never connects cannot hang the benchmark.
 */
final class NetBenchPeer {
    /** UDP payload bytes: with UDP, IPv4 and Ethernet headers, a 60-byte frame (64 on a wire, with the FCS). */
    static final int SMALL_PAYLOAD = 18;

    private NetBenchPeer() {
    }

    /** What a sink received: the byte count and the SHA-256 of the bytes. */
    record Received(long bytes, String sha256) {
    }

    /**
     * Accepts one connection on {@code server} and reads it, hashing, until {@code expected} bytes
     * or the end; then closes it (so the sender learns that everything arrived).
     */
    static CompletableFuture<Received> sink(ServerSocket server, long expected, int timeoutMs) {
        return CompletableFuture.supplyAsync(() -> {
            try (server) {
                server.setSoTimeout(timeoutMs);
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    s.setSoTimeout(timeoutMs);
                    MessageDigest sha = sha256();
                    byte[] buf = new byte[1 << 16];
                    long total = 0;
                    for (int n; total < expected && (n = in.read(buf, 0, (int) Math.min(buf.length, expected - total))) > 0; ) {
                        sha.update(buf, 0, n);
                        total += n;
                    }
                    return new Received(total, HexFormat.of().formatHex(sha.digest()));
                }
            } catch (IOException e) {
                throw new IllegalStateException("the guest's connection to the sink failed: " + e.getMessage(), e);
            }
        }, task -> Thread.ofPlatform().daemon().start(task));
    }

    /**
     * Accepts one connection on {@code server}, sends it {@code bytes} of a seeded pseudo-random
     * stream and closes; completes with the stream's SHA-256.
     */
    static CompletableFuture<String> source(ServerSocket server, long bytes, long seed, int timeoutMs) {
        return CompletableFuture.supplyAsync(() -> {
            try (server) {
                server.setSoTimeout(timeoutMs);
                try (Socket s = server.accept(); OutputStream out = s.getOutputStream()) {
                    MessageDigest sha = sha256();
                    SplittableRandom random = new SplittableRandom(seed);
                    byte[] buf = new byte[1 << 16];
                    for (long left = bytes; left > 0; ) {
                        int n = (int) Math.min(buf.length, left);
                        random.nextBytes(buf);
                        sha.update(buf, 0, n);
                        out.write(buf, 0, n);
                        left -= n;
                    }
                    return HexFormat.of().formatHex(sha.digest());
                }
            } catch (IOException e) {
                throw new IllegalStateException("sending to the guest failed: " + e.getMessage(), e);
            }
        }, task -> Thread.ofPlatform().daemon().start(task));
    }

    /** Sends {@link #SMALL_PAYLOAD}-byte datagrams to {@code target} as fast as the host takes them for {@code millis}; returns the count. */
    static long sendSmallDatagrams(InetSocketAddress target, InetAddress from, long millis) throws IOException {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(from, 0))) {
            byte[] payload = new byte[SMALL_PAYLOAD];
            DatagramPacket p = new DatagramPacket(payload, payload.length, target);
            long end = System.nanoTime() + millis * 1_000_000L;
            long sent = 0;
            while (System.nanoTime() < end) {
                for (int i = 0; i < 64; i++) {
                    s.send(p);
                    sent++;
                }
            }
            return sent;
        }
    }

    /** SHA-256 of {@code bytes} zero bytes (what {@code dd if=/dev/zero} sends). */
    static String zerosSha256(long bytes) {
        MessageDigest sha = sha256();
        byte[] zeros = new byte[1 << 16];
        for (long left = bytes; left > 0; left -= zeros.length) {
            sha.update(zeros, 0, (int) Math.min(zeros.length, left));
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
