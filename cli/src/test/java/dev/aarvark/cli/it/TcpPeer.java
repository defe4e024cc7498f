package dev.aarvark.cli.it;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.SplittableRandom;

/**
 * A host-side TCP peer that a test starts as its own process (so it can run inside a network
 * namespace with {@code ip netns exec}): {@code sink ADDR PORT} accepts one connection, reads it
 * to the end and prints {@code SINK <bytes> <sha256>}; {@code source ADDR PORT BYTES SEED} accepts
 * one connection, sends BYTES of a seeded pseudo-random stream and prints {@code SOURCE <sha256>}.
 * It prints {@code LISTENING} once the socket is bound and gives up after two minutes.
 */
public final class TcpPeer {
    private TcpPeer() {
    }

    public static void main(String[] args) throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress(InetAddress.getByName(args[1]), Integer.parseInt(args[2])));
            server.setSoTimeout(120_000);
            System.out.println("LISTENING");
            System.out.flush();
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            try (Socket s = server.accept()) {
                s.setSoTimeout(120_000);
                if (args[0].equals("sink")) {
                    long total = 0;
                    try (InputStream in = s.getInputStream()) {
                        for (int n; (n = in.read(buf)) > 0; ) {
                            sha.update(buf, 0, n);
                            total += n;
                        }
                    }
                    System.out.println("SINK " + total + " " + HexFormat.of().formatHex(sha.digest()));
                } else {
                    SplittableRandom random = new SplittableRandom(Long.parseLong(args[4]));
                    try (OutputStream out = s.getOutputStream()) {
                        for (long left = Long.parseLong(args[3]); left > 0; ) {
                            int n = (int) Math.min(buf.length, left);
                            random.nextBytes(buf);
                            sha.update(buf, 0, n);
                            out.write(buf, 0, n);
                            left -= n;
                        }
                    }
                    System.out.println("SOURCE " + HexFormat.of().formatHex(sha.digest()));
                }
            }
        }
    }
}
