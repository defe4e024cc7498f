package dev.aarvark.cli;

import dev.aarvark.emulator.NicConfig;
import dev.aarvark.emulator.board.NetBackend;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --net}: QEMU's -netdev forms, and one line naming the flag for everything else. */
class NetFlagParserTest {
    @Test
    void everyBackendFormReadsAsItsRecordAndPrintsBackTheSameWay() {
        assertEquals(new NetBackend.None(), NetFlagParser.parse("none").backend());
        assertEquals(new NetBackend.StreamConnectUnix(Path.of("/tmp/a.sock")), NetFlagParser.parse("stream:connect=unix:/tmp/a.sock").backend());
        assertEquals(new NetBackend.StreamConnectTcp("127.0.0.1", 5555), NetFlagParser.parse("stream:connect=tcp:127.0.0.1:5555").backend());
        assertEquals(new NetBackend.StreamListenUnix(Path.of("/tmp/b.sock")), NetFlagParser.parse("stream:listen=unix:/tmp/b.sock").backend());
        assertEquals(new NetBackend.StreamListenTcp("127.0.0.1", 5555), NetFlagParser.parse("stream:listen=tcp:5555").backend());
        assertEquals(new NetBackend.StreamListenTcp("0.0.0.0", 5555), NetFlagParser.parse("stream:listen=tcp:0.0.0.0:5555").backend());
        NetBackend d = NetFlagParser.parse("dgram:local=127.0.0.1:4000,remote=127.0.0.1:4001").backend();
        assertEquals(new NetBackend.Dgram("127.0.0.1", 4000, "127.0.0.1", 4001), d);
        assertEquals("dgram:local=127.0.0.1:4000,remote=127.0.0.1:4001", d.spec());
        assertEquals("stream:listen=tcp:127.0.0.1:5555", NetFlagParser.parse("stream:listen=tcp:5555").backend().spec());
    }

    @Test
    void macAndPcapOptionsFollowTheBackend() {
        NicConfig n = NetFlagParser.parse("stream:listen=unix:/tmp/x,mac=52:54:00:AB:cd:01,pcap=/tmp/x.pcap");
        assertArrayEquals(new byte[] {0x52, 0x54, 0x00, (byte) 0xab, (byte) 0xcd, 0x01}, n.mac());
        assertEquals(Path.of("/tmp/x.pcap"), n.pcap());
        NicConfig plain = NetFlagParser.parse("none");
        assertNull(plain.mac());
        assertNull(plain.pcap());
    }

    @Test
    void defaultMacsAreQemusCountingUpFrom56() {
        assertEquals("52:54:00:12:34:56", NicConfig.format(NicConfig.defaultMac(0)));
        assertEquals("52:54:00:12:34:57", NicConfig.format(NicConfig.defaultMac(1)));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tap0|unknown backend 'tap0'",
            "stream:connect=tcp:localhost|is not HOST:PORT",
            "stream:listen=tcp:70000|port '70000' is not a number from 1 to 65535",
            "stream:connect=file:/x|a stream needs unix:PATH or tcp:HOST:PORT",
            "dgram:local=127.0.0.1:4000|dgram needs remote=HOST:PORT",
            "none,remote=1.2.3.4:5|remote= is only for dgram",
            "none,mac=52:54:00:12:34|is not six hex bytes",
            "none,mac=53:54:00:12:34:56|is a multicast address",
            "none,mac=zz:54:00:12:34:56|is not six hex bytes",
            "none,speed=10|unknown option 'speed'",
            "none,pcap=|has no value",
    })
    void badTextIsOneLineNamingTheFlag(String text, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NetFlagParser.parse(text));
        assertTrue(e.getMessage().startsWith("--net " + text + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void userTakesQemusHostfwdFormsWithLoopbackWhenNoHostAddressIsGiven() {
        assertEquals(new NetBackend.User(java.util.List.of()), NetFlagParser.parse("user").backend());
        NetBackend u = NetFlagParser.parse("user,hostfwd=tcp::8080-:80,hostfwd=udp:0.0.0.0:5353-:53,hostfwd=::2222-:22").backend();
        assertEquals(new NetBackend.User(java.util.List.of(
                new dev.aarvark.devices.io.net.PortForward(false, "127.0.0.1", 8080, 80),
                new dev.aarvark.devices.io.net.PortForward(true, "0.0.0.0", 5353, 53),
                new dev.aarvark.devices.io.net.PortForward(false, "127.0.0.1", 2222, 22))), u);
        assertEquals("user,hostfwd=tcp:127.0.0.1:8080-:80,hostfwd=udp:0.0.0.0:5353-:53,hostfwd=tcp:127.0.0.1:2222-:22", u.spec());
        assertEquals("user,hostfwd=tcp:127.0.0.1:8080-:80", NetFlagParser.parse("user,hostfwd=tcp::8080-:80,mac=52:54:00:00:00:01").backend().spec());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "user,hostfwd=tcp:8080:80|hostfwd=tcp:8080:80 is not [tcp|udp]:[HOSTADDR]:HOSTPORT-:GUESTPORT",
            "user,hostfwd=sctp::1-:2|is not [tcp|udp]",
            "user,hostfwd=tcp::0-:80|port '0' is not a number from 1 to 65535",
            "user,hostfwd=tcp::80-10.0.2.15:80|leave the guest address empty",
            "user,hostfwd=tcp:localhost:80-:80|must be an IP address, not 'localhost'",
            "none,hostfwd=tcp::80-:80|hostfwd= is only for user",
            "user,remote=1.2.3.4:5|remote= is only for dgram",
    })
    void badUserFormsAreOneLineNamingTheFlag(String text, String reason) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NetFlagParser.parse(text));
        assertTrue(e.getMessage().startsWith("--net " + text + ": "), e.getMessage());
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void tapNamesAnInterfaceOfAtMost15Bytes() {
        assertEquals(new NetBackend.Tap("tap0"), NetFlagParser.parse("tap:tap0").backend());
        assertEquals("tap:tap0", NetFlagParser.parse("tap:tap0,mac=52:54:00:00:00:02").backend().spec());
        for (String bad : new String[] {"tap:", "tap:a-name-of-16-bytes", "tap:a/b", "tap:a b"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NetFlagParser.parse(bad));
            assertTrue(e.getMessage().startsWith("--net " + bad + ": "), e.getMessage());
            assertTrue(e.getMessage().contains("is not an interface name"), e.getMessage());
        }
    }
}
