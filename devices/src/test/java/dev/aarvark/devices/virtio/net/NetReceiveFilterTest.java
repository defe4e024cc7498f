package dev.aarvark.devices.virtio.net;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Receive filtering (virtio 1.2 §5.1.6.5.1–§5.1.6.5.3) with QEMU's defaults and rules. */
class NetReceiveFilterTest {
    static final MacAddress STATION = NetHarness.MAC;
    static final MacAddress MULTICAST = MacAddress.parse("01:00:5e:00:00:01");
    static final MacAddress OTHER_MULTICAST = MacAddress.parse("01:00:5e:00:00:02");

    final RxFilter filter = new RxFilter();

    boolean accepts(MacAddress dst) {
        byte[] f = NetHarness.frame(dst, NetHarness.PEER, 50);
        return filter.accepts(f, 0, f.length, STATION);
    }

    boolean acceptsTagged(MacAddress dst, int vid) {
        byte[] f = NetHarness.frame(dst, NetHarness.PEER, 50);
        f[12] = (byte) 0x81;
        f[13] = 0x00;
        f[14] = (byte) (0x20 | vid >>> 8);
        f[15] = (byte) vid;
        return filter.accepts(f, 0, f.length, STATION);
    }

    void promiscOff() {
        filter.setMode(RxFilter.PROMISC, false);
    }

    @Test
    void everythingIsAcceptedByDefaultBecauseQemuStartsPromiscuous() {
        assertTrue(accepts(NetHarness.OTHER));
        assertTrue(accepts(OTHER_MULTICAST));
        filter.activate(true);
        assertTrue(acceptsTagged(NetHarness.OTHER, 7), "promiscuous mode passes every VLAN too");
    }

    @Test
    void withoutPromiscuousModeUnicastIsForTheStationAddressOnly() {
        promiscOff();
        assertTrue(accepts(STATION));
        assertFalse(accepts(NetHarness.OTHER));
    }

    @Test
    void broadcastIsAcceptedUnlessNoBcast() {
        promiscOff();
        assertTrue(accepts(NetHarness.BROADCAST));
        filter.setMode(RxFilter.NOBCAST, true);
        assertFalse(accepts(NetHarness.BROADCAST));
        assertTrue(accepts(STATION));
    }

    @Test
    void multicastNeedsAllMultiOrAnEntryInTheMulticastTable() {
        promiscOff();
        assertFalse(accepts(MULTICAST));
        filter.setTable(new long[0], new long[] {MULTICAST.value()});
        assertTrue(accepts(MULTICAST));
        assertFalse(accepts(OTHER_MULTICAST));
        filter.setMode(RxFilter.ALLMULTI, true);
        assertTrue(accepts(OTHER_MULTICAST));
    }

    @Test
    void noMultiRefusesMulticastEvenWithAllMultiButNotBroadcast() {
        promiscOff();
        filter.setMode(RxFilter.ALLMULTI, true);
        filter.setMode(RxFilter.NOMULTI, true);
        assertFalse(accepts(MULTICAST));
        assertTrue(accepts(NetHarness.BROADCAST));
    }

    @Test
    void unicastTableAllUniAndNoUniDecideUnicast() {
        promiscOff();
        filter.setTable(new long[] {NetHarness.OTHER.value()}, new long[0]);
        assertTrue(accepts(NetHarness.OTHER));
        assertFalse(accepts(NetHarness.PEER));
        filter.setMode(RxFilter.ALLUNI, true);
        assertTrue(accepts(NetHarness.PEER));
        filter.setMode(RxFilter.NOUNI, true);
        assertFalse(accepts(STATION), "NOUNI refuses even the station address");
    }

    @Test
    void anOverflowedTableAcceptsEveryAddressOfItsKind() {
        promiscOff();
        filter.setTable(null, new long[0]);
        assertTrue(accepts(NetHarness.OTHER));
        assertFalse(accepts(MULTICAST));
        filter.setTable(new long[0], null);
        assertFalse(accepts(NetHarness.OTHER));
        assertTrue(accepts(MULTICAST));
    }

    @Test
    void withCtrlVlanTaggedFramesNeedTheirVlanInTheTableAndWithoutItEveryVlanPasses() {
        promiscOff();
        filter.activate(false);
        assertTrue(acceptsTagged(STATION, 100));
        filter.activate(true);
        assertFalse(acceptsTagged(STATION, 100));
        assertTrue(accepts(STATION), "untagged frames are not filtered by VLAN");
        filter.setVlan(100, true);
        assertTrue(acceptsTagged(STATION, 100));
        assertFalse(acceptsTagged(STATION, 101));
        filter.setVlan(100, false);
        assertFalse(acceptsTagged(STATION, 100));
    }

    @Test
    void aResetRestoresPromiscuousModeAndEmptiesTheTables() {
        promiscOff();
        filter.setMode(RxFilter.NOBCAST, true);
        filter.setTable(null, null);
        filter.activate(true);
        filter.reset();
        assertTrue(filter.mode(RxFilter.PROMISC));
        assertFalse(filter.mode(RxFilter.NOBCAST));
        promiscOff();
        assertFalse(accepts(NetHarness.OTHER), "the overflow flags are gone");
        assertTrue(acceptsTagged(STATION, 5), "every VLAN again");
    }

    @Test
    void theDeviceDropsAUnicastFrameToAnotherMacWhenNotPromiscuous() {
        try (NetHarness h = new NetHarness()) {
            h.linux();
            h.postRx(4, 1536);
            h.backend.receive(NetHarness.frame(NetHarness.OTHER, NetHarness.PEER, 64));
            assertEquals(1, h.takeRx().size(), "promiscuous by default");
            assertEquals(ControlQueue.OK, h.control(ControlQueue.CLASS_RX, RxFilter.PROMISC, new byte[] {0}));
            h.backend.receive(NetHarness.frame(NetHarness.OTHER, NetHarness.PEER, 64));
            h.backend.receive(NetHarness.toUs(64));
            assertEquals(1, h.takeRx().size());
            assertEquals(1, h.dropped(NetDrop.RX_FILTERED));
        }
    }

    @Test
    void framesNobodyWantsAreDroppedAtOnceEvenWithoutBuffersSoTheyNeverFillTheHostQueue() {
        try (NetHarness h = new NetHarness()) {
            h.linux();
            assertEquals(ControlQueue.OK, h.control(ControlQueue.CLASS_RX, RxFilter.PROMISC, new byte[] {0}));
            for (int i = 0; i < 1000; i++) {
                h.backend.receive(NetHarness.frame(NetHarness.OTHER, NetHarness.PEER, 64));
            }
            assertEquals(1000, h.dropped(NetDrop.RX_FILTERED));
            assertEquals(0, h.net.queuedReceiveFrames());
            assertEquals(0, h.dropped(NetDrop.RX_HOST_QUEUE_FULL));
            assertTrue(h.backend.receivingCalls.isEmpty());
        }
    }
}
