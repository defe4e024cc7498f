package dev.aarvark.cli;

import dev.aarvark.emulator.NicConfig;
import dev.aarvark.emulator.board.NetBackend;

import dev.aarvark.devices.io.net.PortForward;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads one {@code --net BACKEND[,mac=MAC][,pcap=FILE]} flag into a {@link NicConfig}. The backends
 * follow QEMU's {@code -netdev} forms:
 * <ul>
 *   <li>{@code none}</li>
 *   <li>{@code stream:connect=unix:PATH}, {@code stream:connect=tcp:HOST:PORT},
 *       {@code stream:listen=unix:PATH}, {@code stream:listen=tcp:[HOST:]PORT}</li>
 *   <li>{@code dgram:local=HOST:PORT,remote=HOST:PORT}</li>
 *   <li>{@code tap:IFNAME} (QEMU's {@code -netdev tap,ifname=IFNAME,script=no})</li>
 *   <li>{@code user[,hostfwd=[tcp|udp]:[HOSTADDR]:HOSTPORT-:GUESTPORT]...} (QEMU's {@code -nic user}
 *       and its {@code hostfwd} syntax; an empty host address is 127.0.0.1 here, every address on QEMU)</li>
 * </ul>
 * Every error is one line naming the flag, the text and what is accepted.
 */
final class NetFlagParser {
    static final String FORMS = "use none, stream:connect=unix:PATH, stream:connect=tcp:HOST:PORT, "
            + "stream:listen=unix:PATH, stream:listen=tcp:[HOST:]PORT, dgram:local=HOST:PORT,remote=HOST:PORT "
            + "user[,hostfwd=tcp::HOSTPORT-:GUESTPORT]... or tap:IFNAME, "
            + "then optionally ,mac=52:54:00:xx:xx:xx and ,pcap=FILE";

    private NetFlagParser() {
    }

    /** @throws IllegalArgumentException with the one-line message */
    static NicConfig parse(String text) {
        String flag = "--net " + text;
        String[] parts = text.split(",", -1);
        String kind = parts[0];
        byte[] mac = null;
        Path pcap = null;
        String remote = null;
        List<PortForward> forwards = new ArrayList<>();
        for (int i = 1; i < parts.length; i++) {
            String p = parts[i];
            int eq = p.indexOf('=');
            String key = eq < 0 ? p : p.substring(0, eq);
            String value = eq < 0 ? "" : p.substring(eq + 1);
            if (value.isEmpty()) {
                throw new IllegalArgumentException(flag + ": option '" + p + "' has no value; " + FORMS);
            }
            switch (key) {
                case "mac" -> mac = mac(flag, value);
                case "pcap" -> pcap = Path.of(value);
                case "remote" -> remote = value;
                case "hostfwd" -> {
                    if (!kind.equals("user")) {
                        throw new IllegalArgumentException(flag + ": hostfwd= is only for user; " + FORMS);
                    }
                    forwards.add(hostForward(flag, value));
                }
                default -> throw new IllegalArgumentException(flag + ": unknown option '" + key + "'; " + FORMS);
            }
        }
        NetBackend backend = backend(flag, kind, remote, forwards);
        return new NicConfig(backend, mac, pcap);
    }

    private static NetBackend backend(String flag, String kind, String remote, List<PortForward> forwards) {
        if (kind.equals("none")) {
            noRemote(flag, remote);
            return new NetBackend.None();
        }
        if (kind.startsWith("tap:")) {
            noRemote(flag, remote);
            String ifname = kind.substring(4);
            if (ifname.isEmpty() || ifname.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > 15
                    || !ifname.matches("[A-Za-z0-9_.:-]+")) {
                throw new IllegalArgumentException(flag + ": '" + ifname + "' is not an interface name (1 to 15 letters, digits, '_', '.', ':' or '-')");
            }
            return new NetBackend.Tap(ifname);
        }
        if (kind.equals("user")) {
            noRemote(flag, remote);
            return new NetBackend.User(forwards);
        }
        if (kind.startsWith("stream:connect=") || kind.startsWith("stream:listen=")) {
            noRemote(flag, remote);
            boolean listen = kind.startsWith("stream:listen=");
            String where = kind.substring(kind.indexOf('=') + 1);
            if (where.startsWith("unix:") && where.length() > 5) {
                Path path = Path.of(where.substring(5));
                return listen ? new NetBackend.StreamListenUnix(path) : new NetBackend.StreamConnectUnix(path);
            }
            if (where.startsWith("tcp:")) {
                String hostPort = where.substring(4);
                if (listen && hostPort.indexOf(':') < 0) {
                    return new NetBackend.StreamListenTcp("127.0.0.1", port(flag, hostPort));
                }
                HostPort hp = hostPort(flag, hostPort);
                return listen ? new NetBackend.StreamListenTcp(hp.host, hp.port) : new NetBackend.StreamConnectTcp(hp.host, hp.port);
            }
            throw new IllegalArgumentException(flag + ": a stream needs unix:PATH or tcp:HOST:PORT; " + FORMS);
        }
        if (kind.startsWith("dgram:local=")) {
            HostPort local = hostPort(flag, kind.substring("dgram:local=".length()));
            if (remote == null) {
                throw new IllegalArgumentException(flag + ": dgram needs remote=HOST:PORT; " + FORMS);
            }
            HostPort r = hostPort(flag, remote);
            return new NetBackend.Dgram(local.host, local.port, r.host, r.port);
        }
        throw new IllegalArgumentException(flag + ": unknown backend '" + kind + "'; " + FORMS);
    }

    private static final Pattern HOSTFWD = Pattern.compile("(tcp|udp)?:([^-]*):(\\d+)-([^:]*):(\\d+)");

    /** QEMU's {@code [tcp|udp]:[HOSTADDR]:HOSTPORT-[GUESTADDR]:GUESTPORT}; the guest address must be empty. */
    private static PortForward hostForward(String flag, String text) {
        Matcher m = HOSTFWD.matcher(text);
        if (!m.matches()) {
            throw new IllegalArgumentException(flag + ": hostfwd=" + text + " is not [tcp|udp]:[HOSTADDR]:HOSTPORT-:GUESTPORT"
                    + " (e.g. hostfwd=tcp::8080-:80)");
        }
        if (!m.group(4).isEmpty()) {
            throw new IllegalArgumentException(flag + ": hostfwd=" + text + ": leave the guest address empty"
                    + " (passt forwards to the one guest's address)");
        }
        String host = m.group(2).isEmpty() ? PortForward.DEFAULT_HOST : m.group(2);
        if (!host.matches("[0-9.]+|\\[?[0-9a-fA-F:]+\\]?")) {
            throw new IllegalArgumentException(flag + ": hostfwd=" + text + ": the host address must be an IP address, not '" + host + "'");
        }
        host = host.replace("[", "").replace("]", "");
        return new PortForward("udp".equals(m.group(1)), host, port(flag, m.group(3)), port(flag, m.group(5)));
    }

    private static void noRemote(String flag, String remote) {
        if (remote != null) {
            throw new IllegalArgumentException(flag + ": remote= is only for dgram; " + FORMS);
        }
    }

    private record HostPort(String host, int port) {
    }

    private static HostPort hostPort(String flag, String text) {
        int colon = text.lastIndexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException(flag + ": '" + text + "' is not HOST:PORT");
        }
        return new HostPort(text.substring(0, colon), port(flag, text.substring(colon + 1)));
    }

    private static int port(String flag, String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new IllegalArgumentException(flag + ": port '" + text + "' is not a number from 1 to 65535");
    }

    private static byte[] mac(String flag, String text) {
        String[] b = text.split(":", -1);
        if (b.length == 6) {
            try {
                byte[] mac = HexFormat.ofDelimiter(":").parseHex(text.toLowerCase(java.util.Locale.ROOT));
                if ((mac[0] & 1) != 0) {
                    throw new IllegalArgumentException(flag + ": mac " + text + " is a multicast address (the first byte must be even)");
                }
                return mac;
            } catch (IllegalArgumentException e) {
                if (e.getMessage() != null && e.getMessage().startsWith(flag)) {
                    throw e;
                }
                // Reported below.
            }
        }
        throw new IllegalArgumentException(flag + ": mac " + text + " is not six hex bytes like 52:54:00:12:34:56");
    }
}
