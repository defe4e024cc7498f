package dev.aarvark.devices.rtc;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.RegisterError;
import dev.aarvark.devices.RegisterAccess;
import dev.aarvark.devices.IrqLine;
import dev.aarvark.devices.MmioDevice;

import java.util.Objects;

/**
 * The ARM PrimeCell Real Time Clock (PL031) as QEMU's {@code virt} board has it at 0x0901_0000:
 * the register block of the PL031 Technical Reference Manual (ARM DDI 0224), a 32-bit seconds
 * counter with a match register and one interrupt, identifying itself with QEMU's ID values
 * (periphid 0x00141031, cellid 0xB105F00D; Linux's rtc-pl031 matches 0x00041031 under mask
 * 0x000FFFFF).
 *
 * <h2>Time</h2>
 * The counter (RTCDR) is the injected {@link WallClock}'s whole seconds since the Unix epoch plus
 * an offset that a write of RTCLR sets, so a guest reads host UTC until it sets the clock, as on
 * QEMU. The RTC is always running: RTCCR reads 1 and, as the TRM says of a started RTC, writes to
 * it have no effect.
 *
 * <h2>Match interrupt</h2>
 * RTCRIS is set when the counter becomes equal to RTCMR (TRM 3.3.2, 3.3.6). Time passes outside
 * guest accesses, so the device catches up lazily: every register access and every {@link #tick()}
 * first checks whether the counter passed the match value since the last check. To deliver the
 * interrupt on time the machine asks {@link #nanosUntilMatch()} for the delay to the next match,
 * arms a host timer for it and calls {@link #tick()} when it fires; the listener set with
 * {@link #setDeadlineListener} tells it when guest writes moved that deadline. As QEMU does, a
 * write of RTCMR or RTCLR that makes the counter equal to the match value matches at once.
 *
 * <h2>Invariants</h2>
 * All methods run on the vCPU thread; the device holds no locks and starts no threads. The IRQ line
 * follows {@code RTCRIS & RTCIMSC} and is driven only when that changes. A wall clock stepped
 * backwards (or forwards by more than 2^31 seconds) does not count as passing the match value. A
 * guest mistake (unknown offset, unsupported width, write to a read-only register, read of RTCICR)
 * is reported through the machine's {@link GuestErrorLog} and never throws.
 */
public final class Pl031 implements MmioDevice {
    /** Size of the register block in bytes. */
    public static final long REGION_SIZE = 0x1000;
    /** What {@link #nanosUntilMatch()} returns when no interrupt can become due. */
    public static final long NO_DEADLINE = Long.MAX_VALUE;

    static final int DR = 0x000;
    static final int MR = 0x004;
    static final int LR = 0x008;
    static final int CR = 0x00C;
    static final int IMSC = 0x010;
    static final int RIS = 0x014;
    static final int MIS = 0x018;
    static final int ICR = 0x01C;
    static final int PERIPH_ID0 = 0xFE0;
    static final int CELL_ID3 = 0xFFC;
    /** RTCPeriphID0-3 then RTCPCellID0-3 (TRM 3.3.9-3.3.16), QEMU's values. */
    static final int[] ID_BYTES = {0x31, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1};
    /** The single interrupt bit of RTCIMSC, RTCRIS, RTCMIS and RTCICR. */
    static final int INT_MATCH = 1;

    private final String name;
    private final GuestErrorLog errors;
    private final IrqLine irq;
    private final WallClock clock;
    private final RtcCounter counter = new RtcCounter();
    private Runnable deadlineListener = () -> { };

    private long match;
    private long loaded;
    private int mask;
    private int raw;
    private boolean level;
    /** The counter value at the last catch-up; matches are looked for after it. */
    private long lastSeen;

    /**
     * A PL031 in its reset state, counting host wall-clock seconds.
     *
     * @param name  the name for logs and guest errors, e.g. "pl031"
     * @param irq   the RTCINTR line to the interrupt controller
     * @param clock the wall clock the counter follows
     * @param errors the machine's guest error log
     */
    public Pl031(String name, IrqLine irq, WallClock clock, GuestErrorLog errors) {
        this.name = Objects.requireNonNull(name, "name");
        this.errors = Objects.requireNonNull(errors, "errors");
        this.irq = Objects.requireNonNull(irq, "irq");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.lastSeen = counter.value(clock.epochNanos());
    }

    /** A PL031 named "pl031". */
    public Pl031(IrqLine irq, WallClock clock, GuestErrorLog errors) {
        this("pl031", irq, clock, errors);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return REGION_SIZE;
    }

    // ---------------------------------------------------------------- machine side

    /** Brings the match state up to the present, raising the interrupt if a match is due. */
    public void tick() {
        catchUp(clock.epochNanos());
        syncLine();
    }

    /**
     * Nanoseconds from now until the match interrupt becomes pending, or {@link #NO_DEADLINE} if it
     * cannot (it is masked, or already pending). Brings the match state up to date first. A timer
     * that fires late is harmless; one that fires early finds nothing due, and the machine asks
     * again.
     */
    public long nanosUntilMatch() {
        long now = clock.epochNanos();
        catchUp(now);
        syncLine();
        if ((mask & INT_MATCH) == 0 || (raw & INT_MATCH) != 0) {
            return NO_DEADLINE;
        }
        return counter.nanosUntil(match, now);
    }

    /**
     * Sets what to run, on the vCPU thread, after a guest write that may have moved the deadline
     * {@link #nanosUntilMatch()} reports (writes of RTCMR, RTCLR, RTCIMSC, RTCICR).
     */
    public void setDeadlineListener(Runnable listener) {
        this.deadlineListener = Objects.requireNonNull(listener, "listener");
    }

    // ---------------------------------------------------------------- MMIO

    @Override
    public long read(long offset, int size) {
        if (!RegisterAccess.check(errors, name, "read", offset, size, REGION_SIZE)) {
            return 0;
        }
        long now = clock.epochNanos();
        catchUp(now);
        int reg = (int) offset & ~3;
        long value = switch (reg) {
            case DR -> counter.value(now);
            case MR -> match;
            case LR -> loaded;
            case CR -> 1; // TRM 3.3.4: reads the start bit; this RTC always runs
            case IMSC -> mask;
            case RIS -> raw;
            case MIS -> raw & mask;
            case ICR -> {
                errors.report(name, RegisterError.READ_WRITE_ONLY, "read of RTCICR returns 0");
                yield 0;
            }
            default -> {
                if (reg >= PERIPH_ID0 && reg <= CELL_ID3) {
                    yield ID_BYTES[(reg - PERIPH_ID0) >> 2];
                }
                errors.report(name, RegisterError.READ_UNKNOWN, String.format("offset 0x%03x", reg));
                yield 0;
            }
        };
        syncLine();
        return (value >>> (8 * ((int) offset & 3))) & RegisterAccess.widthMask(size);
    }

    @Override
    public void write(long offset, int size, long value) {
        if (!RegisterAccess.check(errors, name, "write", offset, size, REGION_SIZE)) {
            return;
        }
        if ((offset & 3) != 0) {
            errors.report(name, RegisterError.PARTIAL_WRITE,
                    String.format("%d-byte write of 0x%x at offset 0x%03x", size, value, offset));
            return;
        }
        long v = value & RegisterAccess.widthMask(size);
        long now = clock.epochNanos();
        catchUp(now);
        int reg = (int) offset;
        switch (reg) {
            case MR -> {
                match = v;
                matchIfEqualNow(now);
            }
            case LR -> {
                loaded = v;
                counter.load(v, now);
                matchIfEqualNow(now);
            }
            case CR -> { } // TRM 3.3.4: once started, writes to the start bit have no effect
            case IMSC -> mask = (int) v & INT_MATCH;
            case ICR -> raw &= ~((int) v & INT_MATCH);
            case DR, RIS, MIS -> errors.report(name, RegisterError.WRITE_READ_ONLY,
                    String.format("%s <- 0x%x ignored", registerName(reg), v));
            default -> {
                if (reg >= PERIPH_ID0 && reg <= CELL_ID3) {
                    errors.report(name, RegisterError.WRITE_READ_ONLY,
                            String.format("ID register 0x%03x <- 0x%x ignored", reg, v));
                } else {
                    errors.report(name, RegisterError.WRITE_UNKNOWN,
                            String.format("offset 0x%03x <- 0x%x ignored", reg, v));
                }
            }
        }
        syncLine();
        if (reg == MR || reg == LR || reg == IMSC || reg == ICR) {
            deadlineListener.run();
        }
    }

    // ---------------------------------------------------------------- match logic

    /** Sets RTCRIS if the counter became equal to RTCMR since the last look. */
    private void catchUp(long now) {
        long current = counter.value(now);
        long advanced = (current - lastSeen) & RtcCounter.MASK;
        if (advanced != 0 && advanced < (1L << 31)) {
            long toMatch = (match - lastSeen) & RtcCounter.MASK;
            if (toMatch != 0 && toMatch <= advanced) {
                raw |= INT_MATCH;
            }
        }
        lastSeen = current;
    }

    /** After RTCMR or RTCLR changed: matching starts afresh from now, and equality matches. */
    private void matchIfEqualNow(long now) {
        lastSeen = counter.value(now);
        if (lastSeen == match) {
            raw |= INT_MATCH;
        }
    }

    private void syncLine() {
        boolean now = (raw & mask) != 0;
        if (now != level) {
            level = now;
            irq.set(now);
        }
    }

    private static String registerName(int reg) {
        return switch (reg) {
            case DR -> "RTCDR";
            case RIS -> "RTCRIS";
            case MIS -> "RTCMIS";
            default -> String.format("0x%03x", reg);
        };
    }
}
