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
}
