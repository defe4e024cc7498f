package dev.aarvark.emulator.run;

import dev.aarvark.emulator.cpu.unicorn.Arm64Reg;
import dev.aarvark.emulator.cpu.unicorn.Unicorn;
import dev.aarvark.memory.GuestRam;

import java.lang.foreign.Arena;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Proves a {@link PreemptionStrategy} safe on this library before the machine uses it: a tiny
 * built-in guest increments a sequence number, writes it twice to an MMIO probe and does a
 * read-modify-write of a RAM counter in every loop iteration, while another thread requests control
 * every {@link #STORM_PERIOD_NANOS}. The run is correct only if the probe saw 1, 2, 3, ... each
 * exactly once (no half-run block re-executed) and the RAM counter ends at the iteration count.
 *
 * <p>The same check is a unit test for both strategies, and the test also shows that it catches the
 * corruption: with the {@code no_exit_request} byte cleared, asynchronous stops duplicate writes.
 */
public final class PreemptionSelfTest {
    /** Interval of the stop storm. */
    public static final long STORM_PERIOD_NANOS = 20_000;

    private static final long RAM = 0x4000_0000L;
    private static final long PROBE = 0x0900_0000L;
    private static final long CELL = 0x4001_0000L;

    /**
     * The guest, linked at RAM (see the assembly in each comment).
     */
    private static final int[] GUEST = {
            0xd2800001, //      mov  x1, #0               sequence number
            0xd2a12002, //      mov  x2, #0x9000000       probe (MMIO)
            0x58000183, //      ldr  x3, =0x40010000      RAM counter cell
            0xf9400464, //      ldr  x4, [x3, #8]         iterations
            0x91000421, // loop: add x1, x1, #1
            0xf9000041, //      str  x1, [x2]             MMIO write #1
            0xf9400065, //      ldr  x5, [x3]
            0x910004a5, //      add  x5, x5, #1
            0xf9000065, //      str  x5, [x3]             RAM read-modify-write
            0xb9000841, //      str  w1, [x2, #8]         MMIO write #2
            0xeb04003f, //      cmp  x1, x4
            0x54ffff21, //      b.ne loop
            0xd4000002, //      hvc  #0                   done (UNDEF at reset: reaches the interrupt hook)
            0x14000000, //      b    .
            0x40010000, 0x00000000, // literal 0x40010000
    };

    /** What one run observed. */
    public record Result(boolean passed, long iterations, long probeWrites, long duplicates, long ramCounter,
                         long stopsRequested, String detail) {
    }

    private PreemptionSelfTest() {}

    /**
     * Runs the check with {@code strategy} (installed on a fresh engine here) for {@code iterations}
     * loop iterations of the guest.
     *
     * @param cpuModel       {@code UC_CPU_ARM64_*} model id
     * @param keepExitCheck  test hook: when true and the strategy is {@link AsyncKicks}, the
     *                       {@code no_exit_request} byte is cleared again after install, which
     *                       reproduces the stock-library corruption
     */
    public static Result run(PreemptionStrategy strategy, int cpuModel, long iterations, boolean keepExitCheck) {
        return run(strategy, cpuModel, iterations, keepExitCheck, STORM_PERIOD_NANOS, 10_000_000_000L);
    }

    /** As {@link #run(PreemptionStrategy, int, long, boolean)} with an explicit storm period and time limit. */
    public static Result run(PreemptionStrategy strategy, int cpuModel, long iterations, boolean keepExitCheck,
                             long stormPeriodNanos, long timeLimitNanos) {
        try (Arena arena = Arena.ofShared(); Unicorn uc = Unicorn.open(cpuModel)) {
            GuestRam ram = GuestRam.allocate(arena, RAM, 1 << 20);
            for (int i = 0; i < GUEST.length; i++) {
                ram.writeInt(RAM + 4L * i, GUEST[i]);
            }
            ram.writeLong(CELL + 8, iterations);
            uc.memMapPtr(RAM, ram.segment(), Unicorn.PROT_ALL);
            Probe probe = new Probe();
            uc.mmioMap(PROBE, 0x1000, probe);
            AtomicBoolean done = new AtomicBoolean();
            uc.addInterruptHook(intno -> {
                done.set(true);
                uc.emuStop();
            });
            strategy.install(uc);
            if (keepExitCheck && strategy instanceof AsyncKicks) {
                uc.setNoExitRequest(false);
            }
            AtomicBoolean stormOn = new AtomicBoolean(true);
            long[] stops = new long[1];
            Thread storm = Thread.ofPlatform().daemon().name("aarvark-selftest-storm").start(() -> {
                while (stormOn.get()) {
                    strategy.requestControl();
                    stops[0]++;
                    LockSupport.parkNanos(stormPeriodNanos);
                }
            });
            long pc = RAM;
            long deadline = System.nanoTime() + timeLimitNanos;
            try {
                while (!done.get() && System.nanoTime() < deadline) {
                    strategy.acknowledge();
                    int err = strategy.runSlice(uc, pc);
                    if (err != 0) {
                        return new Result(false, iterations, probe.writes, probe.duplicates, ram.readLong(CELL), stops[0],
                                "uc_emu_start failed with uc_err " + err);
                    }
                    pc = uc.reg(Arm64Reg.PC);
                    if (keepExitCheck && strategy instanceof AsyncKicks && uc.noExitRequest()) {
                        uc.setNoExitRequest(false);
                    }
                }
            } finally {
                stormOn.set(false);
                try {
                    storm.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                strategy.close();
            }
            long counter = ram.readLong(CELL);
            boolean ok = done.get() && probe.duplicates == 0 && probe.outOfOrder == 0
                    && probe.last == iterations && counter == iterations;
            String detail = ok ? "ok" : String.format("done=%s probe last=%d duplicates=%d out-of-order=%d ram=%d of %d",
                    done.get(), probe.last, probe.duplicates, probe.outOfOrder, counter, iterations);
            return new Result(ok, iterations, probe.writes, probe.duplicates, counter, stops[0], detail);
        }
    }

    /**
     * Checks that the two writes of each iteration carry 1, 2, 3, ... exactly once. libunicorn
     * delivers the 8-byte store as two 4-byte MMIO writes (offsets 0 and 4); the high half is 0.
     */
    private static final class Probe implements Unicorn.MmioHandler {
        long last;
        long lastSecond;
        long writes;
        long duplicates;
        long outOfOrder;

        @Override
        public long read(long offset, int size) {
            return 0;
        }

        @Override
        public void write(long offset, int size, long value) {
            writes++;
            if (offset == 4) {
                if (value != 0) {
                    outOfOrder++;
                }
            } else if (offset == 0) {
                if (value == last + 1) {
                    last = value;
                } else if (value <= last) {
                    duplicates++;
                } else {
                    outOfOrder++;
                }
            } else {
                if (value != last) {
                    outOfOrder++;
                } else if (value == lastSecond) {
                    duplicates++;
                } else {
                    lastSecond = value;
                }
            }
        }
    }
}
