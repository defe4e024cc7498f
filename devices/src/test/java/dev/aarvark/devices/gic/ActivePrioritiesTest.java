package dev.aarvark.devices.gic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Active priority registers and the running priority derived from them. */
class ActivePrioritiesTest {
    @Test
    void fivePreemptionBitsGiveOneRegisterOf32LevelsEightApart() {
        ActivePriorities ap = new ActivePriorities(5);
        assertEquals(1, ap.registerCount());
        ap.activate(InterruptGroup.GROUP1, 0xA0);
        assertEquals(1 << (0xA0 >> 3), ap.read(InterruptGroup.GROUP1, 0));
        assertEquals(0xA0, ap.runningPriority());
    }

    @Test
    void sevenPreemptionBitsGiveFourRegistersOf128Levels() {
        ActivePriorities ap = new ActivePriorities(7);
        assertEquals(4, ap.registerCount());
        ap.activate(InterruptGroup.GROUP0, 0xFE);
        assertEquals(1 << 31, ap.read(InterruptGroup.GROUP0, 3));
        assertEquals(0xFE, ap.runningPriority());
    }

    @Test
    void runningPriorityIsTheHighestActiveOfEitherGroup() {
        ActivePriorities ap = new ActivePriorities(7);
        ap.activate(InterruptGroup.GROUP0, 0xC0);
        ap.activate(InterruptGroup.GROUP1, 0x40);
        assertEquals(0x40, ap.runningPriority());
        assertEquals(InterruptGroup.GROUP1, ap.highestActiveGroup());
    }

    @Test
    void priorityDropClearsOnlyTheHighestActivePriorityOfTheGroup() {
        ActivePriorities ap = new ActivePriorities(7);
        ap.activate(InterruptGroup.GROUP0, 0xC0);
        ap.activate(InterruptGroup.GROUP0, 0x40);
        assertTrue(ap.dropHighest(InterruptGroup.GROUP0));
        assertEquals(0xC0, ap.runningPriority());
        assertTrue(ap.dropHighest(InterruptGroup.GROUP0));
        assertEquals(ActivePriorities.IDLE, ap.runningPriority());
        assertFalse(ap.dropHighest(InterruptGroup.GROUP0));
        assertNull(ap.highestActiveGroup());
    }

    @Test
    void writingTheRegistersChangesTheRunningPriority() {
        ActivePriorities ap = new ActivePriorities(5);
        ap.write(InterruptGroup.GROUP0, 0, 1 << 2);
        assertEquals(0x10, ap.runningPriority());
        ap.write(InterruptGroup.GROUP0, 0, 0);
        assertEquals(ActivePriorities.IDLE, ap.runningPriority());
    }

    @Test
    void registersThatDoNotExistReadZeroAndIgnoreWrites() {
        ActivePriorities ap = new ActivePriorities(5);
        ap.write(InterruptGroup.GROUP1, 1, -1);
        assertEquals(0, ap.read(InterruptGroup.GROUP1, 1));
        assertEquals(ActivePriorities.IDLE, ap.runningPriority());
    }
}
