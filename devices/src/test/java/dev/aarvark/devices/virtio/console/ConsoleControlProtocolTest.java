package dev.aarvark.devices.virtio.console;

import dev.aarvark.devices.QueueError;
import dev.aarvark.devices.ProtocolError;
import dev.aarvark.devices.virtio.console.ConsoleHarness.Msg;
import dev.aarvark.devices.virtio.testkit.FakeHostStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleControlProtocolTest {
    final ConsoleHarness h = ConsoleHarness.twoPorts();

    @AfterEach
    void free() {
        h.close();
    }

    static String names(List<Msg> messages) {
        return messages.toString();
    }

    @Test
    void linuxBringUpAnnouncesThePortsTheConsoleTheNameAndTheOpenHosts() {
        List<Msg> all = h.linuxMultiportBringUp(false);
        assertEquals("[PORT_ADD(0,1), PORT_ADD(1,1), CONSOLE_PORT(0,1), PORT_OPEN(0,1), PORT_NAME(1,1,"
                + ConsoleHarness.PORT1_NAME + "\0), PORT_OPEN(1,1)]", names(all));
        Msg name = all.get(4);
        assertEquals(ConsoleHarness.PORT1_NAME.length() + 1, name.tail().length, "the name and its NUL, as QEMU sends it");
        assertTrue(h.console.guestOpened(0), "the driver opened the console port after CONSOLE_PORT");
        assertFalse(h.console.guestOpened(1));
        assertEquals(0, h.errors(ProtocolError.CONTROL_PROTOCOL));
    }

    @Test
    void aDisconnectedHostIsAnnouncedWhenItConnectsAndWhenItLeaves() {
        FakeHostStream port1 = new FakeHostStream(false);
        try (ConsoleHarness c = new ConsoleHarness(List.of(ConsolePortSpec.console(new FakeHostStream()),
                ConsolePortSpec.named("p", port1)), 2, ConsoleLimits.DEFAULT, dev.aarvark.devices.virtio.mmio.VirtioMmioVersion.MODERN)) {
            List<Msg> all = c.linuxMultiportBringUp(false);
            assertFalse(names(all).contains("PORT_OPEN(1"), names(all));
            port1.connect(true);
            assertEquals("[PORT_OPEN(1,1)]", names(c.takeControlMessages()));
            port1.connect(false);
            assertEquals("[PORT_OPEN(1,0)]", names(c.takeControlMessages()));
            port1.connect(false);
            assertEquals("[]", names(c.takeControlMessages()), "no change, no message");
        }
    }

    @Test
    void aRepeatedPortReadyQueuesNothingMore() {
        h.linuxMultiportBringUp(false);
        for (int i = 0; i < 100; i++) {
            h.sendControl(0, ControlEvent.PORT_READY, 1);
        }
        assertEquals("[]", names(h.takeControlMessages()));
        assertEquals(100, h.errors(ProtocolError.CONTROL_PROTOCOL));
    }

    @Test
    void aRepeatedDeviceReadyAnnouncesNothingMore() {
        h.linuxMultiportBringUp(false);
        h.sendControl(-1, ControlEvent.DEVICE_READY, 1);
        assertEquals("[]", names(h.takeControlMessages()));
        assertEquals(1, h.errors(ProtocolError.CONTROL_PROTOCOL));
    }

    @Test
    void portReadyForAPortNotYetAnnouncedIsIgnored() {
        h.probe(true, false);
        h.postControlBuffers(4);
        h.sendControl(0, ControlEvent.PORT_READY, 1);
        assertEquals("[]", names(h.takeControlMessages()));
        h.sendControl(-1, ControlEvent.DEVICE_READY, 1);
        assertEquals("[PORT_ADD(0,1), PORT_ADD(1,1)]", names(h.takeControlMessages()));
        h.sendControl(0, ControlEvent.PORT_READY, 1);
        assertEquals("[CONSOLE_PORT(0,1), PORT_OPEN(0,1)]", names(h.takeControlMessages()), "now it counts");
    }

    @Test
    void driverFailuresUnknownPortsAndDeviceOnlyEventsAreProtocolErrors() {
        h.linuxMultiportBringUp(false);
        h.sendControl(7, ControlEvent.PORT_OPEN, 1);
        h.sendControl(0, ControlEvent.PORT_ADD, 1);
        h.sendControl(0, ControlEvent.CONSOLE_PORT, 1);
        h.sendControl(1, ControlEvent.PORT_READY, 0);
        h.sendControl(-1, ControlEvent.DEVICE_READY, 0);
        assertEquals(5, h.errors(ProtocolError.CONTROL_PROTOCOL));
        assertEquals("[]", names(h.takeControlMessages()));
    }

    @Test
    void aControlMessageShorterThanItsHeaderIsReported() {
        h.linuxMultiportBringUp(false);
        h.queue(ConsoleQueues.CONTROL_TRANSMITQ).takeUsed();
        h.sendRawControl(new byte[] {0, 0, 0, 0, 3, 0});
        assertEquals(1, h.errors(QueueError.SHORT_CONTROL_MESSAGE));
        List<dev.aarvark.devices.virtio.testkit.DriverQueue.Used> used = h.queue(ConsoleQueues.CONTROL_TRANSMITQ).takeUsed();
        assertEquals(1, used.size(), "returned to the driver");
        assertEquals(0, used.getFirst().len());
    }

    @Test
    void deviceMessagesWaitForControlBuffersAndStayBounded() {
        h.linuxMultiportBringUp(false);
        h.repostControlBuffers = false;
        h.takeControlMessages();
        // Eight control buffers are posted; eight connection changes use them up.
        for (int i = 0; i < 8; i++) {
            h.host(1).connect(i % 2 != 0);
        }
        assertEquals(8, h.takeControlMessages().size());
        for (int i = 0; i < 1000; i++) {
            h.host(1).connect(i % 2 == 0);
        }
        assertEquals("[]", names(h.takeControlMessages()), "no buffers, nothing delivered");
        h.postControlBuffers(10);
        assertEquals("[PORT_OPEN(1,0)]", names(h.takeControlMessages()), "one pending message per port and kind: the latest");
    }

    @Test
    void removingAPortSendsPortRemoveAndAddingOneSendsPortAdd() {
        h.linuxMultiportBringUp(false);
        h.console.removePort(1);
        assertEquals("[PORT_REMOVE(1,1)]", names(h.takeControlMessages()));
        FakeHostStream fresh = new FakeHostStream();
        h.console.addPort(1, ConsolePortSpec.named("again", fresh));
        assertEquals(1, fresh.startCalls());
        assertEquals("[PORT_ADD(1,1)]", names(h.takeControlMessages()));
        h.sendControl(1, ControlEvent.PORT_READY, 1);
        assertEquals("[PORT_NAME(1,1,again\0), PORT_OPEN(1,1)]", names(h.takeControlMessages()));
    }

    @Test
    void removingAPortWhoseAddWasNeverDeliveredSendsNothing() {
        h.probe(true, false);
        h.sendControl(-1, ControlEvent.DEVICE_READY, 1);
        h.console.removePort(1);
        h.postControlBuffers(4);
        assertEquals("[PORT_ADD(0,1)]", names(h.takeControlMessages()));
    }

    @Test
    void aRemovedPortsStreamIsNoLongerUsed() {
        h.linuxMultiportBringUp(false);
        FakeHostStream old = h.host(1);
        h.console.removePort(1);
        assertEquals(0, old.type("late"), "the device takes nothing for a removed port");
        h.transmit(1, "to nobody");
        assertEquals("", old.output());
        assertEquals(1, h.errors(ProtocolError.ABSENT_PORT));
    }
}
