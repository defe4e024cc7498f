package dev.aarvark.emulator.run;

import dev.aarvark.emulator.cpu.Cpu;
import dev.aarvark.emulator.cpu.unicorn.UnicornException;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * The vCPU thread's loop: runs the guest in slices under a {@link PreemptionStrategy}, and between
 * slices does everything that must happen on the vCPU thread — host events posted from other
 * threads, timed device work, the interrupt line, WFI idling, and the end of the run.
 *
 * <p>Host threads never touch device state: they {@link #post} a task and the loop runs it between
 * slices, in order (docs/architecture.md, "Threads").
 *
 * <p>WFI: libunicorn returns from {@code uc_emu_start} with the PC after the WFI. The loop then
 * idles (parks the thread, ~0% host CPU) until a posted event, the board's next deadline, or at
 * most {@link #IDLE_CAP_NANOS}; a pending interrupt ends the wait at once (WFI wakes on a pending
 * interrupt even when PSTATE masks it). Spurious wake-ups are allowed by the architecture, which is
 * why the cap is safe.
 */
public final class RunLoop implements RunControl {
    /** Longest single idle wait; bounds the cost of a false WFI detection. */
    public static final long IDLE_CAP_NANOS = 50_000_000L;

    private static final int WFI = 0xd503207f;

    /** What the loop asks of the board between slices (all on the vCPU thread). */
    public interface Board {
        /** Timed device work and the interrupt line, before each slice and after each idle wait. */
        void beforeSlice();

        /** The next time ({@link System#nanoTime()} scale) the board needs control, or {@link Long#MAX_VALUE}. */
        long nextDeadlineNanos();

        /** True if an interrupt is pending at the CPU (a WFI wake-up event). */
        boolean interruptPending();

        /**
         * libunicorn ended a slice with {@code ucErr} at the current PC. Returns true if that is the
         * guest's own business and the board has made it a guest exception (a fetch from nothing
         * becomes an instruction abort); false ends the run with an emulator error.
         */
        default boolean guestFault(int ucErr) {
            return false;
        }
    }

    private final Cpu cpu;
    private final PreemptionStrategy strategy;
    private final Board board;
    private final ConcurrentLinkedQueue<Runnable> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicReference<MachineExit> exit = new AtomicReference<>();
    private volatile Thread vcpuThread;
    private boolean inSlice;
    private long slices;
    private long idleWaits;
    private long javaNanos;
    private long guestNanos;

    public RunLoop(Cpu cpu, PreemptionStrategy strategy, Board board) {
        this.cpu = cpu;
        this.strategy = strategy;
        this.board = board;
    }

    /** Runs {@code task} on the vCPU thread between slices. Safe from any thread. */
    public void post(Runnable task) {
        inbox.add(task);
        wake();
    }

    @Override
    public void requestExit(MachineExit e) {
        if (exit.compareAndSet(null, e)) {
            if (Thread.currentThread() == vcpuThread && inSlice) {
                cpu.engine().emuStop();
            }
            wake();
        }
    }

    @Override
    public boolean exitRequested() {
        return exit.get() != null;
    }

    /** The exit requested so far, or null. */
    public MachineExit pendingExit() {
        return exit.get();
    }

    private void wake() {
        strategy.requestControl();
        Thread t = vcpuThread;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }

    /** The strategy in use. */
    public PreemptionStrategy strategy() {
        return strategy;
    }

    /**
     * Runs until an exit is requested; returns it. Must be called on the thread that owns the
     * engine (it becomes the vCPU thread).
     */
    public MachineExit run() {
        vcpuThread = Thread.currentThread();
        strategy.install(cpu.engine());
        boolean halted = false;
        try {
            while (exit.get() == null) {
                long t0 = System.nanoTime();
                strategy.acknowledge();
                for (Runnable r; (r = inbox.poll()) != null; ) {
                    r.run();
                }
                board.beforeSlice();
                if (exit.get() != null) {
                    break;
                }
                long deadline = board.nextDeadlineNanos();
                if (halted) {
                    if (board.interruptPending() || !inbox.isEmpty()) {
                        halted = false;
                    } else {
                        idleWaits++;
                        long now = System.nanoTime();
                        long wait = Math.min(IDLE_CAP_NANOS, deadline == Long.MAX_VALUE ? IDLE_CAP_NANOS : deadline - now);
                        javaNanos += now - t0;
                        if (wait > 0) {
                            LockSupport.parkNanos(this, wait);
                        }
                        halted = !board.interruptPending();
                        continue;
                    }
                }
                strategy.setDeadline(deadline);
                long pc = cpu.pc();
                long t1 = System.nanoTime();
                javaNanos += t1 - t0;
                inSlice = true;
                int err;
                try {
                    err = strategy.runSlice(cpu.engine(), pc);
                } finally {
                    inSlice = false;
                }
                guestNanos += System.nanoTime() - t1;
                slices++;
                if (err != 0 && !board.guestFault(err)) {
                    requestExit(MachineExit.of(MachineExit.Reason.EMULATOR_ERROR, "libunicorn stopped the guest at PC 0x"
                            + Long.toHexString(cpu.pc()) + ": " + cpu.engine().library().strerror(err) + " (uc_err " + err + ")"));
                    break;
                }
                if (exit.get() == null && !strategy.controlRequested()) {
                    long after = cpu.pc();
                    halted = cpu.fetchInstruction(after - 4) == (WFI & 0xffff_ffffL);
                }
            }
        } catch (UnicornException | dev.aarvark.emulator.cpu.unicorn.Unicorn.UpcallFailedException e) {
            requestExit(MachineExit.of(MachineExit.Reason.EMULATOR_ERROR, e.getMessage()));
            exitCause = e;
        } finally {
            vcpuThread = null;
        }
        return exit.get();
    }

    private Throwable exitCause;

    /** The exception behind an EMULATOR_ERROR exit, if one was thrown (for --debug). */
    public Throwable exitCause() {
        return exitCause;
    }

    /** Slices run so far. */
    public long slices() {
        return slices;
    }

    /** WFI idle waits so far. */
    public long idleWaits() {
        return idleWaits;
    }

    /** Nanoseconds spent inside {@code uc_emu_start} (guest code plus the hooks it called). */
    public long guestNanos() {
        return guestNanos;
    }

    /** Nanoseconds spent in the loop between slices (events, devices, bookkeeping). */
    public long loopNanos() {
        return javaNanos;
    }
}
