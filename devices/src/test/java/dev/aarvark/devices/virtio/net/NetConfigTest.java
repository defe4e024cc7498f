package dev.aarvark.devices.virtio.net;

import dev.aarvark.devices.RegisterError;
import dev.aarvark.devices.virtio.VirtioFeature;
import dev.aarvark.devices.virtio.mmio.VirtioMmioVersion;
import org.junit.jupiter.api.Test;

import static dev.aarvark.devices.virtio.testkit.MmioDriver.CONFIG_GENERATION;
import static dev.aarvark.devices.virtio.testkit.MmioDriver.INTERRUPT_STATUS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The configuration space (virtio 1.2 §5.1.4) and the link status. */
class NetConfigTest {
    @Test
    void theConfigurationSpaceHoldsMacLinkUpOnePairAndTheMtu() {
        try (NetHarness h = new NetHarness()) {
            assertEquals(12, h.net.configSize());
            for (int i = 0; i < 6; i++) {
                assertEquals(NetHarness.MAC.byteAt(i), h.driver.readConfig(i, 1), "mac[" + i + "]");
            }
            assertEquals(0x12005452L, h.driver.readConfig(0, 4), "52:54:00:12 little-endian");
            assertEquals(NetConfigSpace.S_LINK_UP, h.driver.readConfig(NetConfigSpace.STATUS, 2));
            assertEquals(1, h.driver.readConfig(NetConfigSpace.MAX_VIRTQUEUE_PAIRS, 2));
            assertEquals(1500, h.driver.readConfig(NetConfigSpace.MTU, 2));
            assertEquals(1500L << 16 | 1, h.driver.readConfig(8, 4));
        }
    }

    @Test
    void theMtuIsConfigurable() {
        VirtioNet n = new VirtioNet("n", NetHarness.MAC, new FakeFrameBackend(), 9000, NetLimits.DEFAULT,
                new dev.aarvark.devices.GuestErrorLog());
        assertEquals(9000, n.readConfig(NetConfigSpace.MTU, 2));
    }

    @Test
    void aBackendWithoutAPeerStartsWithTheLinkDown() {
        FakeFrameBackend b = new FakeFrameBackend().withoutPeer();
        VirtioNet n = new VirtioNet("n", NetHarness.MAC, b, new dev.aarvark.devices.GuestErrorLog());
        assertEquals(0, n.readConfig(NetConfigSpace.STATUS, 2));
        assertFalse(n.linkUp());
    }

    @Test
    void aLinkChangeUpdatesStatusAndSendsAConfigurationChangeNotification() {
        try (NetHarness h = new NetHarness()) {
            h.linux();
            long generation = h.driver.read(CONFIG_GENERATION);
            h.backend.link(false);
            assertEquals(0, h.driver.readConfig(NetConfigSpace.STATUS, 2));
            assertEquals(2, h.driver.takeInterrupt(), "configuration change notification (§5.1.4.2)");
            assertEquals(generation + 1, h.driver.read(CONFIG_GENERATION));
            assertFalse(h.irq.level());

            h.backend.link(false);
            assertEquals(0, h.driver.read(INTERRUPT_STATUS), "no change, no notification");

            h.backend.link(true);
            assertEquals(NetConfigSpace.S_LINK_UP, h.driver.readConfig(NetConfigSpace.STATUS, 2));
            assertEquals(2, h.driver.takeInterrupt());
            assertTrue(h.net.linkUp());
        }
    }

    @Test
    void aLinkChangeBeforeDriverOkIsOnlyReadLater() {
        try (NetHarness h = new NetHarness()) {
            h.backend.link(false);
            assertEquals(0, h.driver.read(INTERRUPT_STATUS));
            assertEquals(0, h.driver.readConfig(NetConfigSpace.STATUS, 2));
            assertEquals(0, h.transport.counters().configChangeInterrupts());
        }
    }

    @Test
    void aModernDriverCannotWriteTheConfigurationSpace() {
        try (NetHarness h = new NetHarness()) {
            h.linux();
            h.driver.writeConfig(0, 1, 0x02);
            h.driver.writeConfig(NetConfigSpace.MTU, 2, 9000);
            assertEquals(2, h.errors(RegisterError.WRITE_READ_ONLY));
            assertEquals(NetHarness.MAC, h.net.mac());
            assertEquals(1500, h.driver.readConfig(NetConfigSpace.MTU, 2));
        }
    }

    @Test
    void aLegacyDriverWithoutCtrlMacAddrSetsTheMacByteByByteAndTheFilterFollows() {
        try (NetHarness h = new NetHarness(new FakeFrameBackend(), NetLimits.DEFAULT, VirtioMmioVersion.LEGACY)) {
            h.probe(VirtioFeature.bit(NetFeatures.MAC) | VirtioFeature.bit(NetFeatures.MRG_RXBUF)
                    | VirtioFeature.bit(NetFeatures.CTRL_VQ) | VirtioFeature.bit(NetFeatures.CTRL_RX));
            MacAddress next = MacAddress.parse("02:00:00:00:00:07");
            for (int i = 0; i < 6; i++) {
                h.driver.writeConfig(i, 1, next.byteAt(i));
            }
            assertEquals(next, h.net.mac());
            assertEquals(0, h.errors(RegisterError.WRITE_READ_ONLY));
            assertEquals(ControlQueue.OK, h.control(ControlQueue.CLASS_RX, RxFilter.PROMISC, new byte[] {0}));
            h.postRx(2, 2048);
            h.backend.receive(NetHarness.frame(next, NetHarness.PEER, 50));
            h.backend.receive(NetHarness.frame(NetHarness.MAC, NetHarness.PEER, 50));
            assertEquals(1, h.takeRx().size(), "only the frame to the new address");
        }
    }

    @Test
    void aResetRestoresTheMachinesMac() {
        try (NetHarness h = new NetHarness()) {
            h.linux();
            assertEquals(ControlQueue.OK, h.control(ControlQueue.CLASS_MAC, ControlQueue.MAC_ADDR_SET,
                    MacAddress.parse("02:11:22:33:44:55").bytes()));
            assertEquals(0x02, h.driver.readConfig(0, 1), "the configuration space shows the new address");
            h.driver.reset();
            assertEquals(NetHarness.MAC, h.net.mac());
        }
    }
}
