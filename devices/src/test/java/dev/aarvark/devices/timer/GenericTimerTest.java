package dev.aarvark.devices.timer;

import dev.aarvark.devices.testkit.RecordingIrqLine;
import dev.aarvark.devices.timer.GenericTimer.Channel;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.aarvark.devices.timer.GenericTimer.CTL_ENABLE;
import static dev.aarvark.devices.timer.GenericTimer.CTL_IMASK;
import static dev.aarvark.devices.timer.GenericTimer.CTL_ISTATUS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The EL1 timers' registers (Arm ARM D11.2: CNTx_CTL, CNTx_CVAL, CNTx_TVAL) on a manual counter. */
class GenericTimerTest {
    private long now = 1_000_000;
    private final RecordingIrqLine phys = new RecordingIrqLine();
    private final RecordingIrqLine virt = new RecordingIrqLine();
    private int deadlineCalls;
    private final GenericTimer timer = new GenericTimer(() -> now, phys, virt);

    {
        timer.setDeadlineListener(() -> deadlineCalls++);
    }

    @Test
    void anEnabledTimerWhoseCompareValueHasPassedReportsIstatusAndRaisesItsLine() {
        timer.writeCval(Channel.VIRTUAL, now - 1);
        timer.writeCtl(Channel.VIRTUAL, CTL_ENABLE);
        assertEquals(CTL_ENABLE | CTL_ISTATUS, timer.readCtl(Channel.VIRTUAL));
        assertTrue(virt.level());
        assertFalse(phys.level(), "the other timer's line is untouched");
    }

    @Test
    void aCtlReadThatShowsTheTimerFiredHasRaisedTheLineByTheTimeItReturns() {
        timer.writeCval(Channel.VIRTUAL, now + 100);
        timer.writeCtl(Channel.VIRTUAL, CTL_ENABLE);
        assertFalse(virt.level());
        now += 100; // the deadline passes; nobody has called update()

        assertEquals(CTL_ENABLE | CTL_ISTATUS, timer.readCtl(Channel.VIRTUAL));

        assertTrue(virt.level(), "a guest that sees ISTATUS = 1 finds its interrupt pending");
    }

    @Test
    void aTvalReadThatShowsTheTimerFiredHasRaisedTheLineToo() {
        timer.writeTval(Channel.PHYSICAL, 10);
        timer.writeCtl(Channel.PHYSICAL, CTL_ENABLE);
        now += 11;

        assertEquals(0xffff_ffffL, timer.readTval(Channel.PHYSICAL), "-1: one tick past");

        assertTrue(phys.level());
    }

    @Test
    void imaskKeepsIstatusButLowersTheLine() {
        timer.writeCval(Channel.PHYSICAL, now);
        timer.writeCtl(Channel.PHYSICAL, CTL_ENABLE);
        assertTrue(phys.level());
        timer.writeCtl(Channel.PHYSICAL, CTL_ENABLE | CTL_IMASK);
        assertEquals(CTL_ENABLE | CTL_IMASK | CTL_ISTATUS, timer.readCtl(Channel.PHYSICAL));
        assertFalse(phys.level());
    }

    @Test
    void aDisabledTimerNeitherReportsIstatusNorRaisesItsLine() {
        timer.writeCval(Channel.VIRTUAL, 0);
        timer.writeCtl(Channel.VIRTUAL, 0);
        assertEquals(0, timer.readCtl(Channel.VIRTUAL));
        assertFalse(virt.level());
    }

    @Test
    void istatusIsReadOnly() {
        timer.writeCval(Channel.VIRTUAL, now + 1000);
        timer.writeCtl(Channel.VIRTUAL, CTL_ENABLE | CTL_IMASK | CTL_ISTATUS);
        assertEquals(CTL_ENABLE | CTL_IMASK, timer.readCtl(Channel.VIRTUAL), "ISTATUS follows the condition, not the write");
    }

    @Test
    void theConditionIsAnUnsignedComparisonOfTheCountWithCval() {
        // Linux parks a timer with CVAL = ~0: never met, although it is negative as a signed number.
        timer.writeCval(Channel.VIRTUAL, -1L);
        timer.writeCtl(Channel.VIRTUAL, CTL_ENABLE);
        assertEquals(CTL_ENABLE, timer.readCtl(Channel.VIRTUAL));
        assertFalse(virt.level());
        assertEquals(-1L, timer.nextDeadlineCount(), "due at count 2^64 - 1, as far away as it gets");
    }

    @Test
    void tvalWritesSetCvalToTheCountPlusTheSignExtendedValueAndReadBackTheSignedDistance() {
        timer.writeTval(Channel.VIRTUAL, 500);
        assertEquals(now + 500, timer.readCval(Channel.VIRTUAL));
        assertEquals(500, timer.readTval(Channel.VIRTUAL));
        now += 700;
        assertEquals(0xffff_ffffL & -200, timer.readTval(Channel.VIRTUAL), "a past CVAL reads as a negative 32-bit TVAL");
        timer.writeTval(Channel.PHYSICAL, 0xffff_fff0L);            // -16
        assertEquals(now - 16, timer.readCval(Channel.PHYSICAL));
    }

    @Test
    void updateRaisesTheLineWhenTheCountReachesCvalAndTheDeadlineIsReported() {
        timer.writeCval(Channel.PHYSICAL, now + 100);
        timer.writeCtl(Channel.PHYSICAL, CTL_ENABLE);
        assertFalse(phys.level());
        assertEquals(now + 100, timer.nextDeadlineCount());
        now += 99;
        timer.update();
        assertFalse(phys.level());
        now += 1;
        timer.update();
        assertTrue(phys.level());
        assertEquals(Long.MAX_VALUE, timer.nextDeadlineCount(), "nothing more is due");
    }

    @Test
    void rewritingCvalIntoTheFutureLowersTheLine() {
        timer.writeCval(Channel.VIRTUAL, now);
        timer.writeCtl(Channel.VIRTUAL, CTL_ENABLE);
        assertTrue(virt.level());
        timer.writeCval(Channel.VIRTUAL, now + 10);
        assertFalse(virt.level());
        assertEquals(List.of(true, false), virt.levels(), "each level change drives the line once");
    }

    @Test
    void everyRegisterWriteTellsTheMachineTheDeadlineMayHaveMoved() {
        timer.writeCtl(Channel.VIRTUAL, CTL_ENABLE);
        timer.writeCval(Channel.VIRTUAL, now + 5);
        timer.writeTval(Channel.PHYSICAL, 5);
        assertEquals(3, deadlineCalls);
    }
}
