package dev.aarvark.emulator.board;

import dev.aarvark.devices.BusError;
import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.emulator.cpu.unicorn.Unicorn;

import java.util.function.LongConsumer;

/**
 * A physical range of the board with nothing behind it. Every such hole is mapped, so a stray
 * access never stops the emulator; it becomes a guest error and an external abort.
 *
 * <p>Reads return 0 and writes are dropped, as a bus that reports an error returns no data. The
 * abort itself is raised by the machine as an asynchronous SError (ESR EC 0x2F) once PSTATE.A is
 * clear: libunicorn cannot raise a precise synchronous abort from an MMIO access (its
 * unmapped-access path exits with a stale PC, docs/libunicorn.md, "Exceptions and aborts"), and an imprecise external
 * abort for a bad bus access is what many real systems report.
 */
public final class UnassignedRegion implements Unicorn.MmioHandler {
    private final long base;
    private final LongConsumer abortAt;
    private final GuestErrorLog errors;

    /**
     * @param base    guest physical start of the hole
     * @param abortAt told (vCPU thread) the physical address of every access, to make an abort pending
     * @param errors  the machine's guest error log; every access is reported to it as device "bus"
     */
    public UnassignedRegion(long base, LongConsumer abortAt, GuestErrorLog errors) {
        this.base = base;
        this.abortAt = abortAt;
        this.errors = java.util.Objects.requireNonNull(errors, "errors");
    }

    @Override
    public long read(long offset, int size) {
        fault(offset, size, "read");
        return 0;
    }

    @Override
    public void write(long offset, int size, long value) {
        fault(offset, size, "write of 0x" + Long.toHexString(value));
    }

    private void fault(long offset, int size, String what) {
        long pa = base + offset;
        errors.report("bus", BusError.UNASSIGNED_ADDRESS,
                size + "-byte " + what + " at 0x" + Long.toHexString(pa) + " (external abort)");
        abortAt.accept(pa);
    }
}
