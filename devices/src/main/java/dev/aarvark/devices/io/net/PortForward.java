package dev.aarvark.devices.io.net;

import java.util.Objects;

/**
 * One port forwarded from the host into a user-mode networked guest, as QEMU's
 * {@code hostfwd=tcp:HOSTADDR:HOSTPORT-:GUESTPORT} names it: connections (TCP) or datagrams (UDP)
 * to {@code hostAddress:hostPort} on the host reach the guest's {@code guestPort}.
 *
 * @param udp         UDP rather than TCP
 * @param hostAddress the host address to listen on (an IPv4 or IPv6 literal); never null
 * @param hostPort    1..65535
 * @param guestPort   1..65535
 */
public record PortForward(boolean udp, String hostAddress, int hostPort, int guestPort) {
    /** The host address when none is given: loopback only (QEMU listens on every address). */
    public static final String DEFAULT_HOST = "127.0.0.1";

    public PortForward {
        Objects.requireNonNull(hostAddress, "hostAddress");
        if (hostPort < 1 || hostPort > 65535 || guestPort < 1 || guestPort > 65535) {
            throw new IllegalArgumentException("ports are 1..65535: " + hostPort + ", " + guestPort);
        }
    }

    /** QEMU's text: {@code tcp:127.0.0.1:8080-:80}. */
    public String spec() {
        return (udp ? "udp:" : "tcp:") + hostAddress + ":" + hostPort + "-:" + guestPort;
    }

    /** passt's {@code -t}/{@code -u} argument: {@code ADDR/HOSTPORT:GUESTPORT}. */
    String passtSpec() {
        return hostAddress + "/" + hostPort + ":" + guestPort;
    }
}
