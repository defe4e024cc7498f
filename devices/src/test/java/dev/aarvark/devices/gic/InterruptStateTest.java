package dev.aarvark.devices.gic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The handling state machine of one interrupt (IHI 0069 §4.1, IHI 0048B §3.2.4). */
class InterruptStateTest {
    private static InterruptState level() {
        InterruptState s = new InterruptState(40, false, false);
        s.setEnabled(true);
        return s;
    }

    private static InterruptState edge() {
        InterruptState s = new InterruptState(40, true, false);
        s.setEnabled(true);
        return s;
    }

    @Test
    void levelInterruptIsPendingExactlyWhileItsLineIsAsserted() {
        InterruptState s = level();
        assertEquals(InterruptStatus.INACTIVE, s.status());
        s.driveLine(true);
        assertEquals(InterruptStatus.PENDING, s.status());
        s.driveLine(false);
        assertEquals(InterruptStatus.INACTIVE, s.status());
    }

    @Test
    void levelInterruptAcknowledgedWithLineHighIsActiveAndPendingThenPendingAfterDeactivation() {
        InterruptState s = level();
        s.driveLine(true);
        s.acknowledge();
        assertEquals(InterruptStatus.ACTIVE_AND_PENDING, s.status());
        assertFalse(s.forwardable(), "an active interrupt is not offered again");
        s.setActive(false);
        assertEquals(InterruptStatus.PENDING, s.status());
        assertTrue(s.forwardable());
    }

    @Test
    void levelInterruptAcknowledgedAfterLineDropsIsOnlyActive() {
        InterruptState s = level();
        s.driveLine(true);
        s.acknowledge();
        s.driveLine(false);
        assertEquals(InterruptStatus.ACTIVE, s.status());
        s.setActive(false);
        assertEquals(InterruptStatus.INACTIVE, s.status());
    }

    @Test
    void edgeIsLatchedAfterTheLineFallsAndClearedByAcknowledge() {
        InterruptState s = edge();
        s.driveLine(true);
        s.driveLine(false);
        assertEquals(InterruptStatus.PENDING, s.status());
        s.acknowledge();
        assertEquals(InterruptStatus.ACTIVE, s.status());
    }

    @Test
    void edgeWhileActiveMakesTheInterruptActiveAndPending() {
        InterruptState s = edge();
        s.driveLine(true);
        s.driveLine(false);
        s.acknowledge();
        s.driveLine(true);
        assertEquals(InterruptStatus.ACTIVE_AND_PENDING, s.status());
    }

    @Test
    void holdingAnEdgeTriggeredLineHighDoesNotLatchAgain() {
        InterruptState s = edge();
        s.driveLine(true);
        s.acknowledge();
        assertFalse(s.driveLine(true), "same level is no change");
        s.setActive(false);
        assertEquals(InterruptStatus.INACTIVE, s.status());
    }

    @Test
    void clearPendingCannotClearAnAssertedLevelLine() {
        InterruptState s = level();
        s.driveLine(true);
        s.clearPending();
        assertTrue(s.pending());
    }

    @Test
    void softwarePendingOnALevelInterruptSurvivesTheLineButNotTheAcknowledge() {
        InterruptState s = level();
        s.setPending();
        s.driveLine(true);
        s.driveLine(false);
        assertTrue(s.pending());
        s.acknowledge();
        assertEquals(InterruptStatus.ACTIVE, s.status());
    }

    @Test
    void disabledInterruptIsPendingButNotForwardable() {
        InterruptState s = level();
        s.setEnabled(false);
        s.driveLine(true);
        assertTrue(s.pending());
        assertFalse(s.forwardable());
    }

    @Test
    void priorityKeepsEightBits() {
        InterruptState s = level();
        s.setPriority(0x1A5);
        assertEquals(0xA5, s.priority());
    }
}
