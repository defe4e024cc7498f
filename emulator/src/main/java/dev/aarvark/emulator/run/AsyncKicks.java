package dev.aarvark.emulator.run;

import dev.aarvark.emulator.cpu.unicorn.Unicorn;
import dev.aarvark.emulator.cpu.unicorn.UnicornException;

import java.util.concurrent.locks.LockSupport;

/**
 * Preemption by asynchronous stops ("kicks") at full guest speed, made safe by the pinned
 * libunicorn build's private {@code no_exit_request} byte (docs/libunicorn.md, "Stopping the engine"):
 * with the byte set, generated code no longer checks for an exit request after every load/store,
 * so a stop lands only at a translation-block start and no half-run block is re-executed.
 *
 * <p>Two races of {@code uc_emu_stop} are handled here: a stop sent just before or as
 * {@code uc_emu_start} begins is lost (the start resets the request), and a PC write inside a hook
 * clears a pending stop. So a request stays <em>pending</em> until the run loop acknowledges it;
 * the vCPU checks it before every start, and a kicker thread re-sends the stop every
 * {@link #RESEND_NANOS} while it is pending and a slice is running.
 *
 * <p>The AArch32 translator rewrites the byte per block (IT handling), so it is re-checked after
 * every slice and restored (with a translation flush) if a guest ran 32-bit code.
 */
public final class AsyncKicks implements PreemptionStrategy {
    /** How often a pending stop is re-sent while the slice has not ended. */
    static final long RESEND_NANOS = 200_000;

    private final Object lock = new Object();
    private volatile boolean pending;
    private volatile boolean inSlice;
    private volatile boolean closed;
    private volatile long deadline = Long.MAX_VALUE;
    private volatile Unicorn engine;
    private final Thread kicker;
    private boolean byteChecked;

    public AsyncKicks() {
        kicker = Thread.ofPlatform().daemon().name("aarvark-kicker").unstarted(this::kickLoop);
    }

    @Override
    public String name() {
        return "kick";
    }

    @Override
    public void install(Unicorn uc) {
        if (!uc.library().isPinnedBuild()) {
            throw new UnicornException(UnicornException.NOT_A_UC_ERR, "the kick preemption strategy needs the pinned "
                    + "libunicorn build (its no_exit_request byte); " + uc.library().path() + " is not it");
        }
        uc.setNoExitRequest(true);
        engine = uc;
        if (!kicker.isAlive()) {
            kicker.start();
        }
    }

    @Override
    public int runSlice(Unicorn uc, long pc) {
        if (byteChecked && !uc.noExitRequest()) {
            uc.setNoExitRequest(true);
            uc.flushTranslations();
        }
        byteChecked = true;
        inSlice = true;
        try {
            if (pending) {
                return 0;
            }
            return uc.emuStart(pc, 0);
        } finally {
            inSlice = false;
        }
    }

    @Override
    public void requestControl() {
        if (!pending) {
            pending = true;
            LockSupport.unpark(kicker);
        }
    }

    @Override
    public boolean controlRequested() {
        return pending;
    }

    @Override
    public void acknowledge() {
        pending = false;
    }

    @Override
    public void setDeadline(long nanoTime) {
        long old = deadline;
        deadline = nanoTime;
        if (nanoTime < old) {
            LockSupport.unpark(kicker);
        }
    }

    private void kickLoop() {
        while (!closed) {
            long due = deadline;
            if (due != Long.MAX_VALUE && System.nanoTime() - due >= 0 && !pending) {
                deadline = Long.MAX_VALUE;
                pending = true;
            }
            if (pending && inSlice) {
                Unicorn uc = engine;
                if (uc != null) {
                    uc.emuStop();
                }
                LockSupport.parkNanos(RESEND_NANOS);
            } else if (pending) {
                // Requested, but no slice is running: the vCPU will see the flag before its next start.
                // A slice might be starting right now, so look again shortly.
                LockSupport.parkNanos(RESEND_NANOS);
            } else if (due != Long.MAX_VALUE) {
                LockSupport.parkNanos(lock, Math.max(1, due - System.nanoTime()));
            } else {
                LockSupport.park(lock);
            }
        }
    }

    /** Stops the kicker thread and waits for it, so no stop can reach an engine closed after this. */
    @Override
    public void close() {
        closed = true;
        engine = null;
        LockSupport.unpark(kicker);
        if (kicker.isAlive() && Thread.currentThread() != kicker) {
            try {
                kicker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
