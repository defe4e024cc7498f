package dev.aarvark.devices.virtio.net;

import dev.aarvark.devices.ProtocolError;
import dev.aarvark.devices.QueueError;
import dev.aarvark.devices.io.net.ReceiveOffloads;
import dev.aarvark.devices.virtio.VirtioFeature;
import dev.aarvark.devices.virtio.mmio.VirtioMmioVersion;
import dev.aarvark.devices.virtio.testkit.DriverQueue;
import dev.aarvark.devices.virtio.testkit.DriverQueue.Buffer;
import dev.aarvark.devices.virtio.testkit.DriverQueue.Used;
import dev.aarvark.devices.virtio.testkit.MmioDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.util.List;

import static dev.aarvark.devices.virtio.net.ControlQueue.ERR;
import static dev.aarvark.devices.virtio.net.ControlQueue.OK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The control virtqueue (virtio 1.2 §5.1.6.5), one rule per test. */
class NetControlQueueTest {
    static final MacAddress MULTICAST = MacAddress.parse("01:00:5e:00:00:01");

    NetHarness h = new NetHarness().linux();

    @AfterEach
    void free() {
        h.close();
    }

    long protocolErrors() {
        return h.errors(ProtocolError.CONTROL_PROTOCOL);
    }

    static byte[] macTable(List<MacAddress> uni, List<MacAddress> multi) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(NetHarness.le32(uni.size()));
        uni.forEach(m -> b.writeBytes(m.bytes()));
        b.writeBytes(NetHarness.le32(multi.size()));
        multi.forEach(m -> b.writeBytes(m.bytes()));
        return b.toByteArray();
    }

    boolean delivered(MacAddress dst) {
        h.postRx(1, 1536);
        h.backend.receive(NetHarness.frame(dst, NetHarness.PEER, 50));
        return !h.takeRx().isEmpty();
    }

    @Test
    void rxModeCommandsAnswerOkAndSetTheFilter() {
        assertEquals(OK, h.control(ControlQueue.CLASS_RX, RxFilter.PROMISC, new byte[] {0}));
        assertEquals(OK, h.control(ControlQueue.CLASS_RX, RxFilter.ALLMULTI, new byte[] {1}));
        assertEquals(OK, h.control(ControlQueue.CLASS_RX, RxFilter.NOBCAST, new byte[] {1}));
        assertFalse(h.net.filter().mode(RxFilter.PROMISC));
        assertTrue(h.net.filter().mode(RxFilter.ALLMULTI));
        assertTrue(h.net.filter().mode(RxFilter.NOBCAST));
        assertEquals(OK, h.control(ControlQueue.CLASS_RX, RxFilter.NOBCAST, new byte[] {0}));
        assertFalse(h.net.filter().mode(RxFilter.NOBCAST));
        assertEquals(4, h.net.counters().controlCommands());
        assertEquals(0, h.net.counters().controlErrors());
        assertEquals(0, protocolErrors());
    }

    @Test
    void theExtraRxCommandsNeedCtrlRxExtra() {
        h.close();
        h = new NetHarness().probe(NetHarness.LINUX & ~VirtioFeature.bit(NetFeatures.CTRL_RX_EXTRA));
        assertEquals(ERR, h.control(ControlQueue.CLASS_RX, RxFilter.NOUNI, new byte[] {1}));
        assertFalse(h.net.filter().mode(RxFilter.NOUNI));
        assertEquals(OK, h.control(ControlQueue.CLASS_RX, RxFilter.ALLMULTI, new byte[] {1}));
        assertEquals(1, protocolErrors());
    }

    @Test
    void anRxCommandWithoutItsOnByteOrOfAnUnknownNumberIsErr() {
        assertEquals(ERR, h.control(ControlQueue.CLASS_RX, RxFilter.PROMISC));
        assertEquals(ERR, h.control(ControlQueue.CLASS_RX, 6, new byte[] {1}));
        assertTrue(h.net.filter().mode(RxFilter.PROMISC));
        assertEquals(2, protocolErrors());
        assertEquals(2, h.net.counters().controlErrors());
    }

    @Test
    void aCommandShorterThanClassAndCommandIsErr() {
        long hdr = h.mem.alloc(1, 8);
        long ack = h.mem.alloc(1, 8);
        int head = h.ctrlq.add(Buffer.out(hdr, 1), Buffer.in(ack, 1));
        h.driver.notify(VirtioNet.CONTROLQ);
        assertEquals(List.of(new Used(head, 1)), h.ctrlq.takeUsed());
        assertEquals(ERR, h.mem.read(ack, 1)[0]);
        assertEquals(1, h.errors(QueueError.SHORT_CONTROL_MESSAGE));
    }

    @Test
    void aCommandWithoutAWritableAckByteIsReportedAndNotExecuted() {
        long cmd = h.mem.alloc(3, 8);
        h.mem.write(cmd, new byte[] {ControlQueue.CLASS_RX, RxFilter.PROMISC, 0});
        int head = h.ctrlq.add(Buffer.out(cmd, 3));
        h.driver.notify(VirtioNet.CONTROLQ);
        assertEquals(List.of(new Used(head, 0)), h.ctrlq.takeUsed());
        assertEquals(1, h.errors(QueueError.NO_STATUS_BUFFER));
        assertTrue(h.net.filter().mode(RxFilter.PROMISC), "not executed");
    }

    @Test
    void unknownClassesCommandsAndMultiqueueAreErr() {
        assertEquals(ERR, h.control(9, 0));
        assertEquals(ERR, h.control(ControlQueue.CLASS_MAC, 7, new byte[6]));
        assertEquals(ERR, h.control(ControlQueue.CLASS_MQ, 0, NetHarness.le16(1)));
        assertEquals(3, protocolErrors());
    }

    @Test
    void macTableSetInstallsTheUnicastAndMulticastEntries() {
        assertEquals(OK, h.control(ControlQueue.CLASS_RX, RxFilter.PROMISC, new byte[] {0}));
        assertEquals(OK, h.control(ControlQueue.CLASS_MAC, ControlQueue.MAC_TABLE_SET,
                macTable(List.of(NetHarness.OTHER), List.of(MULTICAST))));
        assertTrue(delivered(NetHarness.OTHER));
        assertTrue(delivered(MULTICAST));
        assertFalse(delivered(MacAddress.parse("01:00:5e:00:00:02")));
        assertFalse(delivered(NetHarness.PEER));
        assertTrue(delivered(NetHarness.MAC));
    }

    @Test
    void macTableSetInTwoBuffersAsLinuxSendsItIsAccepted() {
        byte[] uni = macTable(List.of(NetHarness.OTHER), List.of());
        byte[] uniPart = java.util.Arrays.copyOf(uni, 4 + 6);
        assertEquals(OK, h.control(ControlQueue.CLASS_MAC, ControlQueue.MAC_TABLE_SET, uniPart,
                NetHarness.le32(1), MULTICAST.bytes()));
    }

    @Test
    void moreEntriesThanTheTableHoldsSetItsOverflowFlag() {
        assertEquals(OK, h.control(ControlQueue.CLASS_RX, RxFilter.PROMISC, new byte[] {0}));
        List<MacAddress> many = new java.util.ArrayList<>();
        for (int i = 0; i < 65; i++) {
            many.add(new MacAddress(0x0200_0000_0000L + i));
        }
        assertEquals(OK, h.control(ControlQueue.CLASS_MAC, ControlQueue.MAC_TABLE_SET, macTable(many, List.of())));
        assertTrue(delivered(NetHarness.PEER), "an overflowed unicast table accepts every unicast address");
        assertFalse(delivered(MULTICAST));
    }

    @Test
    void aMacTableWhoseListsDoNotMatchTheDataIsErrAndChangesNothing() {
        assertEquals(OK, h.control(ControlQueue.CLASS_RX, RxFilter.PROMISC, new byte[] {0}));
        assertEquals(OK, h.control(ControlQueue.CLASS_MAC, ControlQueue.MAC_TABLE_SET,
                macTable(List.of(NetHarness.OTHER), List.of())));
        byte[] trailing = macTable(List.of(NetHarness.PEER), List.of(MULTICAST));
        byte[] tooLong = java.util.Arrays.copyOf(trailing, trailing.length + 1);
        assertEquals(ERR, h.control(ControlQueue.CLASS_MAC, ControlQueue.MAC_TABLE_SET, tooLong));
        assertEquals(ERR, h.control(ControlQueue.CLASS_MAC, ControlQueue.MAC_TABLE_SET, NetHarness.le32(2), new byte[6]));
        assertEquals(ERR, h.control(ControlQueue.CLASS_MAC, ControlQueue.MAC_TABLE_SET, new byte[3]));
        assertEquals(ERR, h.control(ControlQueue.CLASS_MAC, ControlQueue.MAC_TABLE_SET, NetHarness.le32(0xFFFF_FFFFL)));
        assertEquals(4, protocolErrors());
        assertTrue(delivered(NetHarness.OTHER), "the table from before is kept");
        assertFalse(delivered(NetHarness.PEER));
    }

    @Test
    void macAddrSetTakesExactlySixBytesAndChangesTheStationAddress() {
        MacAddress next = MacAddress.parse("02:00:00:00:00:42");
        assertEquals(ERR, h.control(ControlQueue.CLASS_MAC, ControlQueue.MAC_ADDR_SET, new byte[5]));
        assertEquals(ERR, h.control(ControlQueue.CLASS_MAC, ControlQueue.MAC_ADDR_SET, new byte[7]));
        assertEquals(NetHarness.MAC, h.net.mac());
        assertEquals(OK, h.control(ControlQueue.CLASS_MAC, ControlQueue.MAC_ADDR_SET, next.bytes()));
        assertEquals(next, h.net.mac());
        assertEquals(0x42, h.driver.readConfig(5, 1));
        assertEquals(OK, h.control(ControlQueue.CLASS_RX, RxFilter.PROMISC, new byte[] {0}));
        assertTrue(delivered(next));
        assertFalse(delivered(NetHarness.MAC));
    }

    @Test
    void vlanAddAndDelChangeTheTableAndAnIdAbove4095IsErr() {
        assertEquals(OK, h.control(ControlQueue.CLASS_VLAN, ControlQueue.VLAN_ADD, NetHarness.le16(100)));
        assertTrue(h.net.filter().vlanAllowed(100));
        assertFalse(h.net.filter().vlanAllowed(101), "with CTRL_VLAN the table starts empty");
        assertEquals(OK, h.control(ControlQueue.CLASS_VLAN, ControlQueue.VLAN_DEL, NetHarness.le16(100)));
        assertFalse(h.net.filter().vlanAllowed(100));
        assertEquals(ERR, h.control(ControlQueue.CLASS_VLAN, ControlQueue.VLAN_ADD, NetHarness.le16(4096)));
        assertEquals(ERR, h.control(ControlQueue.CLASS_VLAN, ControlQueue.VLAN_ADD, new byte[1]));
        assertEquals(2, protocolErrors());
    }

    @Test
    void announceAckClearsAPendingAnnouncementAndIsErrWithoutOne() {
        assertTrue(h.net.announce());
        assertEquals(NetConfigSpace.S_LINK_UP | NetConfigSpace.S_ANNOUNCE, h.driver.readConfig(NetConfigSpace.STATUS, 2));
        assertEquals(2, h.driver.takeInterrupt() & 2, "a configuration change notification");
        assertEquals(OK, h.control(ControlQueue.CLASS_ANNOUNCE, ControlQueue.ANNOUNCE_ACK));
        assertEquals(NetConfigSpace.S_LINK_UP, h.driver.readConfig(NetConfigSpace.STATUS, 2));
        assertEquals(ERR, h.control(ControlQueue.CLASS_ANNOUNCE, ControlQueue.ANNOUNCE_ACK));
        assertEquals(1, protocolErrors());
    }

    @Test
    void noAnnouncementIsAskedOfADriverWithoutGuestAnnounce() {
        h.close();
        h = new NetHarness().probe(NetHarness.LINUX & ~VirtioFeature.bit(NetFeatures.GUEST_ANNOUNCE));
        assertFalse(h.net.announce());
        assertEquals(NetConfigSpace.S_LINK_UP, h.driver.readConfig(NetConfigSpace.STATUS, 2));
        assertEquals(ERR, h.control(ControlQueue.CLASS_ANNOUNCE, ControlQueue.ANNOUNCE_ACK));
    }

    @Test
    void guestOffloadsSetAcceptsOnlyNegotiatedReceiveOffloads() {
        assertEquals(OK, h.control(ControlQueue.CLASS_GUEST_OFFLOADS, ControlQueue.GUEST_OFFLOADS_SET, new byte[8]),
                "disabling every offload is always valid");
        byte[] csum = {1 << NetFeatures.GUEST_CSUM, 0, 0, 0, 0, 0, 0, 0};
        assertEquals(ERR, h.control(ControlQueue.CLASS_GUEST_OFFLOADS, ControlQueue.GUEST_OFFLOADS_SET, csum));
        assertEquals(ERR, h.control(ControlQueue.CLASS_GUEST_OFFLOADS, ControlQueue.GUEST_OFFLOADS_SET, new byte[4]));
        assertEquals(2, protocolErrors());

        h.close();
        h = new NetHarness(new FakeFrameBackend(true), NetLimits.DEFAULT, VirtioMmioVersion.MODERN)
                .probe(NetHarness.LINUX | VirtioFeature.bit(NetFeatures.GUEST_CSUM));
        assertEquals(VirtioFeature.bit(NetFeatures.GUEST_CSUM), h.net.guestOffloads());
        assertEquals(OK, h.control(ControlQueue.CLASS_GUEST_OFFLOADS, ControlQueue.GUEST_OFFLOADS_SET, new byte[8]));
        assertEquals(0, h.net.guestOffloads());
        assertEquals(OK, h.control(ControlQueue.CLASS_GUEST_OFFLOADS, ControlQueue.GUEST_OFFLOADS_SET, csum));
        assertEquals(VirtioFeature.bit(NetFeatures.GUEST_CSUM), h.net.guestOffloads());
    }

    @Test
    void aVnetHeaderBackendFollowsTheDriversReceiveOffloadsFromDriverOkThroughGuestOffloadsSetToReset() {
        h.close();
        FakeFrameBackend tap = new FakeFrameBackend(true);
        long all = NetFeatures.offered(true) & (VirtioFeature.bit(NetFeatures.GUEST_CSUM) | VirtioFeature.bit(NetFeatures.GUEST_TSO4)
                | VirtioFeature.bit(NetFeatures.GUEST_TSO6) | VirtioFeature.bit(NetFeatures.GUEST_ECN) | VirtioFeature.bit(NetFeatures.GUEST_UFO));
        h = new NetHarness(tap, NetLimits.DEFAULT, VirtioMmioVersion.MODERN).probe(NetHarness.LINUX | all);
        assertEquals(new ReceiveOffloads(true, true, true, true, true), tap.offloadCalls.getLast(), "the negotiated ones at DRIVER_OK");
        byte[] csumTso4 = {(byte) (1 << NetFeatures.GUEST_CSUM | 1 << NetFeatures.GUEST_TSO4), 0, 0, 0, 0, 0, 0, 0};
        assertEquals(OK, h.control(ControlQueue.CLASS_GUEST_OFFLOADS, ControlQueue.GUEST_OFFLOADS_SET, csumTso4));
        assertEquals(new ReceiveOffloads(true, true, false, false, false), tap.offloadCalls.getLast());
        h.driver.reset();
        assertEquals(ReceiveOffloads.NONE, tap.offloadCalls.getLast(), "none after a reset");
    }

    @Test
    void aBackendWithoutTheVnetHeaderIsNeverAskedToOffload() {
        assertTrue(h.backend.offloadCalls.isEmpty());
    }

    @Test
    void segmentationWithoutChecksumOffloadIsNoOffloadAtAll() {
        assertEquals(ReceiveOffloads.NONE, new ReceiveOffloads(false, true, true, true, true));
    }

    @Test
    void aCommandOfAClassWhoseFeatureWasNotNegotiatedIsErr() {
        h.close();
        h = new NetHarness().probe(VirtioFeature.bit(VirtioFeature.VERSION_1) | VirtioFeature.bit(NetFeatures.CTRL_VQ));
        assertEquals(ERR, h.control(ControlQueue.CLASS_RX, RxFilter.PROMISC, new byte[] {0}));
        assertEquals(ERR, h.control(ControlQueue.CLASS_MAC, ControlQueue.MAC_ADDR_SET, new byte[6]));
        assertEquals(ERR, h.control(ControlQueue.CLASS_MAC, ControlQueue.MAC_TABLE_SET, macTable(List.of(), List.of())));
        assertEquals(ERR, h.control(ControlQueue.CLASS_VLAN, ControlQueue.VLAN_ADD, NetHarness.le16(1)));
        assertEquals(ERR, h.control(ControlQueue.CLASS_GUEST_OFFLOADS, ControlQueue.GUEST_OFFLOADS_SET, new byte[8]));
        assertEquals(5, protocolErrors());
        assertTrue(h.net.filter().mode(RxFilter.PROMISC));
    }

    @Test
    void theControlQueueWithoutCtrlVqIsAGuestErrorAndItsBuffersStay() {
        h.close();
        h = new NetHarness();
        DriverQueue[] ctrl = new DriverQueue[1];
        h.probe(NetHarness.LINUX & ~VirtioFeature.bit(NetFeatures.CTRL_VQ), () -> {
            ctrl[0] = DriverQueue.modern(h.mem, VirtioNet.CONTROLQ, 64);
            h.driver.setupModernQueue(ctrl[0]);
        });
        long buf = h.mem.alloc(8, 8);
        ctrl[0].add(Buffer.out(buf, 3), Buffer.in(buf + 4, 1));
        h.driver.notify(VirtioNet.CONTROLQ);
        assertEquals(1, protocolErrors());
        assertEquals(0, ctrl[0].usedIdx());
    }

    @Test
    void commandsBeyondThePerCallCapAreDeferredWork() {
        h.close();
        h = NetHarness.withLimits(new NetLimits(128, 1 << 20, 128, 2, 256, 1 << 20)).linux();
        long acks = h.mem.alloc(5, 8);
        for (int i = 0; i < 5; i++) {
            long cmd = h.mem.alloc(3, 8);
            h.mem.write(cmd, new byte[] {ControlQueue.CLASS_RX, RxFilter.ALLMULTI, (byte) (i & 1)});
            h.ctrlq.add(Buffer.out(cmd, 3), Buffer.in(acks + i, 1));
        }
        h.driver.write(MmioDriver.QUEUE_NOTIFY, VirtioNet.CONTROLQ);
        assertEquals(2, h.ctrlq.takeUsed().size());
        assertTrue(h.net.hasDeferredWork());
        h.net.runDeferredWork();
        h.net.runDeferredWork();
        assertEquals(3, h.ctrlq.takeUsed().size());
        assertFalse(h.net.hasDeferredWork());
        assertFalse(h.net.filter().mode(RxFilter.ALLMULTI), "the last command (i = 4) switched it off");
    }
}
