package dev.aarvark.devices;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GuestErrorLogTest {
    private final GuestErrorLog log = new GuestErrorLog();

    @Test
    void countsPerDeviceAndKind() {
        log.report("pl011", RegisterError.WRITE_READ_ONLY, "UARTFR <- 0x1 ignored");
        log.report("pl011", RegisterError.WRITE_READ_ONLY, "UARTRIS <- 0x1 ignored");
        log.report("pl011", RegisterError.READ_UNKNOWN, "offset 0xffc");
        log.report("gicv2-dist", RegisterError.WRITE_READ_ONLY, "GICD_TYPER <- 0x0 ignored");

        assertEquals(2, log.count("pl011", RegisterError.WRITE_READ_ONLY));
        assertEquals(1, log.count("pl011", RegisterError.READ_UNKNOWN));
        assertEquals(1, log.count("gicv2-dist", RegisterError.WRITE_READ_ONLY));
        assertEquals(0, log.count("gicv2-dist", RegisterError.READ_UNKNOWN));
        assertEquals(0, log.count("pl031", RegisterError.WRITE_READ_ONLY));
        assertEquals(3, log.count(RegisterError.WRITE_READ_ONLY), "all devices");
        assertEquals(0, log.count(QueueError.MALFORMED_CHAIN));
    }

    @Test
    void twoLogsDoNotShareCounts() {
        GuestErrorLog other = new GuestErrorLog();
        log.report("pl011", ProtocolError.TRANSMIT_FIFO_FULL, "0x41 dropped");
        assertEquals(1, log.count("pl011", ProtocolError.TRANSMIT_FIFO_FULL));
        assertEquals(0, other.count("pl011", ProtocolError.TRANSMIT_FIFO_FULL));
        assertEquals(0, other.count(ProtocolError.TRANSMIT_FIFO_FULL));
    }

    @Test
    void theFirstTenReportsOfAKeyAreLoggedThenOnlyCounted() {
        for (int i = 0; i < 25; i++) {
            log.report("virtio-console", QueueError.MALFORMED_CHAIN, "head " + i);
        }
        log.report("virtio-console", QueueError.QUEUE_STOPPED, "queue 1");
        assertEquals(25, log.count("virtio-console", QueueError.MALFORMED_CHAIN));
        assertEquals(GuestErrorLog.LOGGED_PER_KEY, log.logged("virtio-console", QueueError.MALFORMED_CHAIN));
        assertEquals(1, log.logged("virtio-console", QueueError.QUEUE_STOPPED), "each key has its own limit");
        assertEquals(0, log.logged("pl011", QueueError.MALFORMED_CHAIN));
    }

    @Test
    void reportsFromManyThreadsAreAllCounted() throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            threads.add(Thread.ofPlatform().start(() -> {
                for (int i = 0; i < 1000; i++) {
                    log.report("bus", BusError.UNASSIGNED_ADDRESS, "4-byte read");
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertEquals(4000, log.count("bus", BusError.UNASSIGNED_ADDRESS));
    }

    @Test
    void everyKindHasItsOwnNonEmptyText() {
        java.util.Set<String> texts = new java.util.HashSet<>();
        int kinds = 0;
        for (Class<? extends GuestError> family : List.of(RegisterError.class, QueueError.class, ProtocolError.class,
                InterruptError.class, SemihostingError.class, BusError.class)) {
            for (GuestError kind : family.getEnumConstants()) {
                assertEquals(false, kind.text().isBlank(), kind.toString());
                texts.add(kind.text());
                kinds++;
            }
        }
        assertEquals(kinds, texts.size(), "one text per kind: the same meaning is one kind");
    }
}
