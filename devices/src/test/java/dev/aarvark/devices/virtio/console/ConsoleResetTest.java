package dev.aarvark.devices.virtio.console;

import dev.aarvark.devices.ProtocolError;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** A device reset (Status 0) releases every queue and chain and restarts the control protocol. */
class ConsoleResetTest {
    @Test
    void afterAResetTheWholeLinuxBringUpWorksAgain() {
        try (ConsoleHarness h = ConsoleHarness.twoPorts()) {
            String first = h.linuxMultiportBringUp(false).toString();
            h.driver.reset();
            assertFalse(h.console.guestOpened(0));
            assertEquals(first, h.linuxMultiportBringUp(false).toString(), "ports are readied again in a new session");
            assertEquals(0, h.errors(ProtocolError.CONTROL_PROTOCOL));
        }
    }

    @Test
    void aResetFirstHandsAHostThatCanWaitEverythingTheDriverHadQueued() {
        try (ConsoleHarness h = ConsoleHarness.twoPorts()) {
            h.linuxMultiportBringUp(false);
            h.host(0).limitWrites(3);
            h.transmit(0, "abcdef");
            h.transmit(0, "ghi");
            assertEquals("abc", h.host(0).output());
            h.host(0).roomWhenWaitedFor(Long.MAX_VALUE);
            h.driver.reset(); // Linux at power-off: what dd wrote must still reach the file
            assertEquals("abcdefghi", h.host(0).output());
            assertEquals(2, h.queue(1).usedIdx(), "both chains were returned before the reset took effect");
        }
    }

    @Test
    void aChainHeldForAHostThatCannotWaitIsReleasedByAReset() {
        try (ConsoleHarness h = ConsoleHarness.twoPorts()) {
            h.linuxMultiportBringUp(false);
            h.host(0).limitWrites(3);
            h.transmit(0, "abcdef");
            assertEquals("abc", h.host(0).output());
            h.driver.reset();
            h.host(0).drain(Long.MAX_VALUE);
            assertEquals("abc", h.host(0).output(), "the driver abandoned that buffer with the reset");
            h.linuxMultiportBringUp(false);
            h.transmit(0, "new");
            assertEquals("abcnew", h.host(0).output());
            assertEquals(1, h.queue(1).usedIdx());
        }
    }

    @Test
    void hostInputStillWaitingIsDeliveredAfterTheDriverComesBack() {
        try (ConsoleHarness h = ConsoleHarness.twoPorts()) {
            h.linuxMultiportBringUp(false);
            h.driver.reset();
            assertEquals(0, h.host(0).type("survives"));
            h.linuxMultiportBringUp(false);
            assertEquals("survives", h.takeReceived(0));
        }
    }
}
