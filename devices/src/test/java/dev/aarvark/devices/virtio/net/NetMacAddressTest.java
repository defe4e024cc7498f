package dev.aarvark.devices.virtio.net;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MAC addresses as the configuration space and the control commands carry them (virtio 1.2 §5.1.4). */
class NetMacAddressTest {
    @Test
    void qemusDefaultAddressesCountUpFrom525400123456() {
        assertEquals("52:54:00:12:34:56", MacAddress.qemuDefault(0).toString());
        assertEquals("52:54:00:12:34:57", MacAddress.qemuDefault(1).toString());
    }

    @Test
    void parsingAndBytesRoundTripFirstByteOnTheWireFirst() {
        MacAddress m = MacAddress.parse("02-ab-CD-00-01-ff");
        assertArrayEquals(new byte[] {0x02, (byte) 0xab, (byte) 0xcd, 0, 1, (byte) 0xff}, m.bytes());
        assertEquals(m, MacAddress.of(m.bytes(), 0));
        assertEquals("02:ab:cd:00:01:ff", m.toString());
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("02:ab:cd:00:01"));
        assertThrows(IllegalArgumentException.class, () -> MacAddress.parse("02:ab:cd:00:01:fff"));
    }

    @Test
    void theGroupBitOfTheFirstByteMakesAnAddressMulticast() {
        assertTrue(MacAddress.parse("01:00:5e:00:00:01").multicast());
        assertFalse(MacAddress.qemuDefault(0).multicast());
    }
}
