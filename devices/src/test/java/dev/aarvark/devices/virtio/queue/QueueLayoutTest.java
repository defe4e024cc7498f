package dev.aarvark.devices.virtio.queue;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class QueueLayoutTest {
    private static final long RAM = 0x4000_0000L;

    @Test
    void modernLayoutKeepsTheDriversAddresses() throws QueueLayoutException {
        QueueLayout l = QueueLayout.modern(128, 128, RAM + 0x1000, RAM + 0x2000, RAM + 0x3000);
        assertEquals(128, l.size());
        assertEquals(RAM + 0x1000, l.descTable());
        assertEquals(RAM + 0x2000, l.availRing());
        assertEquals(RAM + 0x3000, l.usedRing());
    }

    @Test
    void modernPartsNeedTheSpecAlignments() {
        assertThrows(QueueLayoutException.class, () -> QueueLayout.modern(8, 8, RAM + 8, RAM + 0x1000, RAM + 0x2000),
                "descriptor table 16-byte aligned");
        assertThrows(QueueLayoutException.class, () -> QueueLayout.modern(8, 8, RAM, RAM + 0x1001, RAM + 0x2000),
                "available ring 2-byte aligned");
        assertThrows(QueueLayoutException.class, () -> QueueLayout.modern(8, 8, RAM, RAM + 0x1000, RAM + 0x2002),
                "used ring 4-byte aligned");
    }

    @Test
    void sizeMustBeAPowerOfTwoWithinTheMaximum() {
        assertThrows(QueueLayoutException.class, () -> QueueLayout.modern(0, 128, RAM, RAM + 0x1000, RAM + 0x2000));
        assertThrows(QueueLayoutException.class, () -> QueueLayout.modern(96, 128, RAM, RAM + 0x1000, RAM + 0x2000));
        assertThrows(QueueLayoutException.class, () -> QueueLayout.modern(256, 128, RAM, RAM + 0x1000, RAM + 0x2000));
        assertThrows(QueueLayoutException.class, () -> QueueLayout.modern(-128, 128, RAM, RAM + 0x1000, RAM + 0x2000));
    }

    @Test
    void overlappingOrWrappingPartsAreRefused() {
        QueueLayoutException e = assertThrows(QueueLayoutException.class,
                () -> QueueLayout.modern(16, 16, RAM, RAM + 0x80, RAM + 0x1000));
        assertTrue(e.getMessage().contains("overlap"), e.getMessage());
        assertThrows(QueueLayoutException.class, () -> QueueLayout.modern(16, 16, 0xFFFF_FFFF_FFFF_FF10L, RAM, RAM + 0x1000),
                "a table whose last byte would be past 2^64");
        assertDoesNotThrow(() -> QueueLayout.modern(16, 16, 0xFFFF_FFFF_FFFF_FF00L, RAM, RAM + 0x1000), "ends exactly at 2^64");
    }

    @Test
    void legacyLayoutPutsTheUsedRingAtTheNextQueueAlignBoundary() throws QueueLayoutException {
        // Linux: vring_init(num 128, align PAGE_SIZE): desc 2048 bytes, avail 6 + 256, used at 4096.
        QueueLayout l = QueueLayout.legacy(128, 128, 0x40010, 4096, 4096);
        assertEquals(0x4001_0000L, l.descTable());
        assertEquals(0x4001_0000L + 2048, l.availRing());
        assertEquals(0x4001_1000L, l.usedRing());
        // A queue of 256 needs 4096 + 518 bytes before the used ring: the next boundary is 8192.
        QueueLayout big = QueueLayout.legacy(256, 256, 0x40010, 4096, 4096);
        assertEquals(0x4001_2000L, big.usedRing());
        // A small alignment packs it right after the available ring (rounded up).
        QueueLayout packed = QueueLayout.legacy(4, 4, 0x40010, 4096, 4);
        assertEquals(0x4001_0000L + 64 + 16, packed.usedRing());
    }

    @Test
    void legacyLayoutNeedsAPageSizeAndAnAlignment() {
        assertThrows(QueueLayoutException.class, () -> QueueLayout.legacy(8, 8, 0x40010, 0, 4096), "GuestPageSize never written");
        assertThrows(QueueLayoutException.class, () -> QueueLayout.legacy(8, 8, 0x40010, 4096, 3000));
        assertThrows(QueueLayoutException.class, () -> QueueLayout.legacy(8, 8, 0, 4096, 4096));
    }

    @Test
    void overlapsRingsCoversAllThreePartsAndNothingElse() throws QueueLayoutException {
        QueueLayout l = QueueLayout.modern(8, 8, RAM, RAM + 0x1000, RAM + 0x2000);
        assertTrue(l.overlapsRings(RAM + 0x7F, 1), "last descriptor byte");
        assertFalse(l.overlapsRings(RAM + 0x80, 0x100), "after the table");
        assertTrue(l.overlapsRings(RAM + 0x1000 + 21, 4), "used_event");
        assertFalse(l.overlapsRings(RAM + 0x1000 + 22, 4));
        assertTrue(l.overlapsRings(RAM + 0x2000 + 69, 1), "avail_event");
        assertTrue(l.overlapsRings(RAM - 0x10, 0x4000), "a buffer covering everything");
        assertFalse(l.overlapsRings(RAM + 0x2000 + 70, 0x100));
    }
}
