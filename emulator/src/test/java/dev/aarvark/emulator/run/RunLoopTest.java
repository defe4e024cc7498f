package dev.aarvark.emulator.run;

import dev.aarvark.emulator.cpu.Cpu;
import dev.aarvark.emulator.cpu.CpuModel;
import dev.aarvark.emulator.cpu.unicorn.Unicorn;
import dev.aarvark.memory.GuestRam;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The run loop's exits, on a real engine with count slices (the strategy that needs no thread). */
class RunLoopTest {
    private static final long RAM = 0x4000_0000L;
    private static final int B_SELF = 0x14000000;       // b .
    private static final int WFI = 0xd503207f;
    private static final int BR_X0 = 0xd61f0000;        // br x0

    private final Arena arena = Arena.ofShared();
    private final Unicorn uc = Unicorn.open(CpuModel.CORTEX_A57.unicornModel());
    private final GuestRam ram = GuestRam.allocate(arena, RAM, 1 << 20);
    private final Cpu cpu;

    RunLoopTest() {
        uc.memMapPtr(RAM, ram.segment(), Unicorn.PROT_ALL);
        cpu = new Cpu(uc, CpuModel.CORTEX_A57, ram);
        cpu.setPc(RAM);
    }

    @AfterEach
    void close() {
        uc.close();
        arena.close();
    }

    private static class Board implements RunLoop.Board {
        final AtomicInteger beforeSlice = new AtomicInteger();
        long deadline = Long.MAX_VALUE;
        Runnable onBeforeSlice = () -> { };
        /** What guestFault does with an engine error; null: not the guest's business. */
        java.util.function.IntPredicate onGuestFault;

        @Override
        public void beforeSlice() {
            beforeSlice.incrementAndGet();
            onBeforeSlice.run();
        }

        @Override
        public long nextDeadlineNanos() {
            return deadline;
        }

        @Override
        public boolean interruptPending() {
            return false;
        }

        @Override
        public boolean guestFault(int ucErr) {
            return onGuestFault != null && onGuestFault.test(ucErr);
        }
    }

    @Test
    void aTaskPostedFromAnotherThreadRunsBetweenSlicesOfASpinningGuestAndEndsTheRun() throws Exception {
        ram.writeInt(RAM, B_SELF);
        Board board = new Board();
        RunLoop loop = new RunLoop(cpu, new CountSlices(10_000), board);
        CountDownLatch spinning = new CountDownLatch(1);
        board.onBeforeSlice = () -> {
            if (board.beforeSlice.get() >= 2) {         // a slice of the spinning guest has run
                spinning.countDown();
            }
        };
        Thread host = Thread.ofPlatform().start(() -> {
            try {
                spinning.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            loop.post(() -> loop.requestExit(MachineExit.of(MachineExit.Reason.USER_QUIT, "test")));
        });
        MachineExit exit = loop.run();
        host.join();
        assertEquals(MachineExit.Reason.USER_QUIT, exit.reason());
        assertTrue(loop.slices() >= 1, "the task ran while the guest was spinning: " + loop.slices());
    }

    @Test
    void aGuestInWfiIdlesUntilTheBoardsDeadlineAndTheBoardThenEndsTheRun() {
        ram.writeInt(RAM, WFI);
        ram.writeInt(RAM + 4, B_SELF);
        Board board = new Board();
        RunLoop loop = new RunLoop(cpu, new CountSlices(10_000), board);
        board.onBeforeSlice = () -> {
            if (board.deadline == Long.MAX_VALUE) {
                // Armed just before the first slice, far enough ahead that the WFI slice (its first
                // translation, a cold JIT on a loaded CI machine) ends well before it.
                board.deadline = System.nanoTime() + 200_000_000L;
            } else if (System.nanoTime() - board.deadline >= 0) {
                loop.requestExit(MachineExit.of(MachineExit.Reason.POWER_OFF, "deadline reached"));
            }
        };
        MachineExit exit = loop.run();
        assertEquals(MachineExit.Reason.POWER_OFF, exit.reason());
        assertTrue(loop.idleWaits() >= 1, "the WFI was idled, not spun: " + loop.idleWaits());
        assertEquals(RAM + 4, cpu.pc(), "the guest resumes after its WFI");
    }

    @Test
    void anEngineErrorEndsTheRunAsAnEmulatorErrorNamingThePc() {
        ram.writeInt(RAM, BR_X0);
        cpu.setX(0, 0x1000_0000L);              // nothing mapped there in this engine
        RunLoop loop = new RunLoop(cpu, new CountSlices(10_000), new Board());
        MachineExit exit = loop.run();
        assertEquals(MachineExit.Reason.EMULATOR_ERROR, exit.reason());
        assertTrue(exit.detail().contains("PC 0x10000000"), exit.detail());
    }

    @Test
    void theFirstExitRequestedWins() {
        ram.writeInt(RAM, B_SELF);
        RunLoop loop = new RunLoop(cpu, new CountSlices(10_000), new Board());
        loop.requestExit(MachineExit.of(MachineExit.Reason.TIMEOUT, "first"));
        loop.requestExit(MachineExit.of(MachineExit.Reason.POWER_OFF, "second"));
        assertEquals(MachineExit.Reason.TIMEOUT, loop.run().reason());
        assertEquals(0, loop.slices(), "an exit requested before the start runs no slice");
    }

    @Test
    void anEngineErrorTheBoardMakesAGuestExceptionDoesNotEndTheRun() {
        ram.writeInt(RAM, BR_X0);
        ram.writeInt(RAM + 0x100, WFI);
        cpu.setX(0, 0x1000_0000L);
        Board board = new Board();
        AtomicInteger faults = new AtomicInteger();
        board.onGuestFault = err -> {
            faults.incrementAndGet();
            cpu.setPc(RAM + 0x100);             // as an exception entry would: on to a handler
            return true;
        };
        board.deadline = System.nanoTime() + 50_000_000L;
        board.onBeforeSlice = () -> {
            if (System.nanoTime() > board.deadline) {
                loopRef[0].requestExit(MachineExit.of(MachineExit.Reason.POWER_OFF, "handler reached"));
            }
        };
        RunLoop loop = new RunLoop(cpu, new CountSlices(10_000), board);
        loopRef[0] = loop;

        MachineExit exit = loop.run();

        assertEquals(MachineExit.Reason.POWER_OFF, exit.reason(), exit.detail());
        assertEquals(1, faults.get(), "the fetch from nothing reached the board once");
    }

    private final RunLoop[] loopRef = new RunLoop[1];
}
