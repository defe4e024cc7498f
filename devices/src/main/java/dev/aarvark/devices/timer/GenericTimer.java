package dev.aarvark.devices.timer;

import dev.aarvark.devices.IrqLine;

import java.util.function.LongSupplier;

/**
 * The EL1 physical and virtual timers of the Arm generic timer (Arm ARM D11 "The Generic Timer in
 * AArch64 state"; registers CNTP_CTL/CVAL/TVAL_EL0 and CNTV_CTL/CVAL/TVAL_EL0).
 *
 * <p>libunicorn runs the system counter natively (CNTPCT/CNTVCT = host CLOCK_MONOTONIC / 16, i.e.
 * 62.5 MHz) but discards CTL writes and never raises the timer interrupt (docs/libunicorn.md, "System-register hooks"),
 * so the comparators live here. The counter source must be the same clock the guest reads natively
 * ({@link #hostCounter()}); CNTVOFF_EL2 is 0, so the virtual and physical counts are equal.
 *
 * <p>Invariants: {@code ISTATUS} is derived (enabled and count &gt;= CVAL), never stored; each
 * timer's interrupt output is level-sensitive and equals ENABLE &amp; !IMASK &amp; ISTATUS, and the
 * output lines are driven whenever a register write, a read that shows the condition (CTL, TVAL)
 * or {@link #update()} may change it.
 */
public final class GenericTimer {
    /** Counter frequency (CNTFRQ_EL0), as libunicorn's native counter runs. */
    public static final long FREQUENCY_HZ = 62_500_000L;

    public static final long CTL_ENABLE = 1;
    public static final long CTL_IMASK = 2;
    public static final long CTL_ISTATUS = 4;

    /** Which of the two EL1 timers. */
    public enum Channel { PHYSICAL, VIRTUAL }

    private final LongSupplier counter;
    private final Comparator physical;
    private final Comparator virtual;
    private Runnable deadlineListener = () -> { };

    /**
     * @param counter       the system count now (see {@link #hostCounter()})
     * @param physicalIrq   the physical timer's line (PPI 30, DT interrupt 14)
     * @param virtualIrq    the virtual timer's line (PPI 27, DT interrupt 11)
     */
    public GenericTimer(LongSupplier counter, IrqLine physicalIrq, IrqLine virtualIrq) {
        this.counter = counter;
        this.physical = new Comparator(physicalIrq);
        this.virtual = new Comparator(virtualIrq);
    }

    /**
     * Called (vCPU thread) after every register write that may move {@link #nextDeadlineCount()},
     * so the machine can re-arm its wake-up while the guest is still running.
     */
    public void setDeadlineListener(Runnable listener) {
        this.deadlineListener = listener;
    }

    /** The count libunicorn's native CNTVCT_EL0 returns: CLOCK_MONOTONIC nanoseconds / 16. */
    public static long hostCounter() {
        return System.nanoTime() >>> 4;
    }

    private Comparator of(Channel c) {
        return c == Channel.PHYSICAL ? physical : virtual;
    }

    /** The system count now. */
    public long count() {
        return counter.getAsLong();
    }

    /**
     * CTL with ISTATUS as of now. The output line is driven first: a guest that sees ISTATUS = 1
     * with the interrupt enabled and unmasked has the interrupt pending at the GIC by the time the
     * read completes, as on hardware, so it is taken at the guest's next instruction boundary the
     * emulator can take it at (not only when the run loop next gets control).
     */
    public long readCtl(Channel c) {
        Comparator t = of(c);
        long now = count();
        t.drive(now);
        long v = t.ctl;
        if ((v & CTL_ENABLE) != 0 && Long.compareUnsigned(now, t.cval) >= 0) {   // D11.2: unsigned
            v |= CTL_ISTATUS;
        }
        return v;
    }

    /** Writes ENABLE and IMASK; ISTATUS is read-only. */
    public void writeCtl(Channel c, long value) {
        Comparator t = of(c);
        t.ctl = value & (CTL_ENABLE | CTL_IMASK);
        t.drive(count());
        deadlineListener.run();
    }

    public long readCval(Channel c) {
        return of(c).cval;
    }

    public void writeCval(Channel c, long value) {
        Comparator t = of(c);
        t.cval = value;
        t.drive(count());
        deadlineListener.run();
    }

    /**
     * TVAL reads as the signed 32-bit distance CVAL - count (Arm ARM D11.2.4); a negative value
     * shows the timer fired, so the line is driven first, as for {@link #readCtl}.
     */
    public long readTval(Channel c) {
        Comparator t = of(c);
        long now = count();
        t.drive(now);
        return (int) (t.cval - now) & 0xffff_ffffL;
    }

    /** TVAL writes set CVAL = count + sign-extended TVAL. */
    public void writeTval(Channel c, long value) {
        Comparator t = of(c);
        long now = count();
        t.cval = now + (int) value;
        t.drive(now);
        deadlineListener.run();
    }

    /** Re-evaluates both timers against the current count and drives their lines. */
    public void update() {
        long now = count();
        physical.drive(now);
        virtual.drive(now);
    }

    /**
     * The count at which an output will next rise (an enabled, unmasked timer whose CVAL is in the
     * future), or {@link Long#MAX_VALUE} when nothing is due.
     */
    public long nextDeadlineCount() {
        long now = count();
        return Math.min(physical.deadline(now), virtual.deadline(now));
    }

    /** True if the channel's interrupt output is asserted now. */
    public boolean asserted(Channel c) {
        return of(c).level;
    }

    private static final class Comparator {
        final IrqLine line;
        long ctl;
        long cval;
        boolean level;

        Comparator(IrqLine line) {
            this.line = line;
        }

        void drive(long now) {
            boolean l = (ctl & CTL_ENABLE) != 0 && (ctl & CTL_IMASK) == 0 && Long.compareUnsigned(now, cval) >= 0;
            if (l != level) {
                level = l;
                line.set(l);
            }
        }

        long deadline(long now) {
            if ((ctl & CTL_ENABLE) == 0 || (ctl & CTL_IMASK) != 0 || Long.compareUnsigned(now, cval) >= 0) {
                return Long.MAX_VALUE;
            }
            return cval;
        }
    }
}
