package dev.aarvark.iommu.smmuv3;

import dev.aarvark.iommu.DmaFault;
import org.junit.jupiter.api.Test;

import static dev.aarvark.iommu.smmuv3.SmmuBench.*;
import static dev.aarvark.iommu.smmuv3.SmmuV3.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The event queue (IHI 0070 §7.2, §7.4): record format, wrap, overflow, enables, aborts. */
class SmmuV3EventQueueTest {
    private static final int SIZE = 1 << EVTQ_LOG2;

    private static void fault(SmmuBench b, int sid) {
        assertThrows(DmaFault.class, () -> b.stream(sid).readInt(RAM, WHO));
    }

    @Test
    void aRecordIsThirtyTwoBytesInTheSpecsLayout() {
        SmmuEvent e = new SmmuEvent(SmmuEventType.F_TRANSLATION, 0x1234, 0xdead_b000L, true, true, SmmuEvent.CLASS_IN, 0);
        long[] d = e.encode();
        assertEquals(0x10L | 0x1234L << 32, d[0]);
        assertEquals(1L << 33 | 1L << 35 | 2L << 40, d[1]);
        assertEquals(0xdead_b000L, d[2]);
        assertEquals(0, d[3]);
        assertEquals(e, SmmuEvent.decode(d[0], d[1], d[2], d[3]));
    }

    @Test
    void eventsWrapAroundTheQueueAsTheDriverConsumesThem() {
        try (SmmuBench b = new SmmuBench().enable()) {
            for (int i = 0; i < 3 * SIZE; i++) {
                fault(b, 16 + i);
                SmmuEvent e = b.nextEvent();
                assertEquals(16 + i, e.streamId());
            }
            assertEquals((3 * SIZE) & ((2 << EVTQ_LOG2) - 1), b.r32(EVENTQ_PROD));
            assertEquals(3 * SIZE, b.smmu.eventsWritten());
        }
    }

    @Test
    void aFullQueueDropsTheEventAndTogglesOverflowOnceUntilAcknowledged() {
        try (SmmuBench b = new SmmuBench().enable()) {
            for (int i = 0; i < SIZE + 5; i++) {
                fault(b, 16 + i);
            }
            assertEquals(SIZE, b.pendingEvents());
            assertEquals(1, b.r32(EVENTQ_PROD) >>> 31);
            assertEquals(5, b.smmu.eventsLost());
            assertEquals(1, b.errors.stream().filter(e -> e.startsWith("EVENT_QUEUE_OVERFLOW")).count(), "reported once");
            assertEquals(16, b.nextEvent().streamId(), "the oldest events are kept");
            b.w32(EVENTQ_CONS, (int) (b.r32(EVENTQ_CONS) | Q_OVERFLOW)); // OVACKFLG = OVFLG
            fault(b, 99);
            assertEquals(SIZE, b.pendingEvents());
            assertEquals(1, b.r32(EVENTQ_PROD) >>> 31, "no new overflow");
        }
    }

    @Test
    void withTheQueueDisabledEventsAreLost() {
        try (SmmuBench b = new SmmuBench().enable()) {
            b.w32(CR0, CR0_SMMUEN | CR0_CMDQEN);
            fault(b, 20);
            assertEquals(0, b.pendingEvents());
            assertEquals(1, b.smmu.eventsLost());
        }
    }

    @Test
    void theEventInterruptNeedsEventqIrqEn() {
        try (SmmuBench b = new SmmuBench().enable()) {
            b.irqs.clear();
            b.w32(IRQ_CTRL, IRQ_CTRL_GERROR_IRQEN);
            fault(b, 20);
            assertTrue(b.irqs.isEmpty());
            b.w32(IRQ_CTRL, IRQ_CTRL_EVENTQ_IRQEN);
            fault(b, 21);
            assertEquals(java.util.List.of(SmmuInterrupt.EVENTQ), b.irqs);
        }
    }

    @Test
    void aQueueOutsideRamIsAGlobalEventQueueAbort() {
        try (SmmuBench b = new SmmuBench().enable()) {
            b.w32(CR0, CR0_SMMUEN | CR0_CMDQEN);
            b.w64(EVENTQ_BASE, 0x0800_0000L | EVTQ_LOG2);
            b.w32(CR0, CR0_SMMUEN | CR0_CMDQEN | CR0_EVENTQEN);
            b.irqs.clear();
            fault(b, 20);
            assertEquals(GERROR_EVTQ_ABT_ERR, b.r32(GERROR));
            assertEquals(java.util.List.of(SmmuInterrupt.GERROR), b.irqs);
            fault(b, 21);
            assertEquals(2, b.smmu.eventsLost(), "no event is written while the abort is active");
        }
    }
}
