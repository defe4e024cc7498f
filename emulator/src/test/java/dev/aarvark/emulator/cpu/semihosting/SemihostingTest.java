package dev.aarvark.emulator.cpu.semihosting;

import dev.aarvark.devices.GuestErrorLog;
import dev.aarvark.devices.SemihostingError;
import dev.aarvark.emulator.cpu.Cpu;
import dev.aarvark.emulator.cpu.CpuModel;
import dev.aarvark.emulator.cpu.unicorn.Unicorn;
import dev.aarvark.emulator.run.MachineExit;
import dev.aarvark.emulator.run.RecordingRunControl;
import dev.aarvark.memory.GuestRam;
import dev.aarvark.devices.io.ByteSink;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Semihosting dispatch (Arm's "Semihosting for AArch32 and AArch64", the operations QEMU serves),
 * with parameter blocks in guest RAM and the MMU off, so guest virtual = physical addresses.
 */
class SemihostingTest {
    private static final long RAM = 0x4000_0000L;
    private static final long BLOCK = RAM + 0x1000;
    private static final long TEXT = RAM + 0x2000;
    private final Arena arena = Arena.ofShared();
    private final Unicorn uc = Unicorn.open(CpuModel.CORTEX_A57.unicornModel());
    private final GuestRam ram = GuestRam.allocate(arena, RAM, 1 << 20);
    private final Cpu cpu;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    /** What the console takes before it has no room (host backpressure). */
    private int consoleRoom = Integer.MAX_VALUE;
    private final RecordingRunControl control = new RecordingRunControl();
    private final List<MachineExit> exits = control.exits();
    private final GuestErrorLog guestErrors = new GuestErrorLog();
    private final Semihosting semi;

    SemihostingTest() {
        uc.memMapPtr(RAM, ram.segment(), Unicorn.PROT_ALL);
        cpu = new Cpu(uc, CpuModel.CORTEX_A57, ram);
        semi = new Semihosting(new ByteSink() {
            @Override
            public int offer(byte[] b, int off, int len) {
                int n = Math.min(len, consoleRoom);
                console.write(b, off, n);
                consoleRoom -= n;
                return n;
            }

            @Override
            public int room() {
                return consoleRoom;
            }
        }, control, "guest --flag", guestErrors);
    }

    @AfterEach
    void close() {
        uc.close();
        arena.close();
    }

    private long call(int op, long arg) {
        cpu.setX(0, op);
        cpu.setX(1, arg);
        assertTrue(semi.call(cpu), "the call completed");
        return cpu.x(0);
    }

    private long callWith(int op, long... params) {
        for (int i = 0; i < params.length; i++) {
            ram.writeLong(BLOCK + 8L * i, params[i]);
        }
        return call(op, BLOCK);
    }

    private void text(String s) {
        byte[] b = (s + "\0").getBytes(StandardCharsets.UTF_8);
        ram.write(TEXT, b, 0, b.length);
    }

    private String printed() {
        return console.toString(StandardCharsets.UTF_8);
    }

    @Test
    void write0AndWritecPrintOnTheConsole() {
        text("hello");
        call(Semihosting.SYS_WRITE0, TEXT);
        call(Semihosting.SYS_WRITEC, TEXT + 1);
        assertEquals("helloe", printed());
    }

    @Test
    void aConsoleWithoutRoomMakesWrite0AndWritecWaitWholeAndWriteReportWhatItCouldNotWrite() {
        text("hello");
        consoleRoom = 3;
        cpu.setX(0, Semihosting.SYS_WRITE0);
        cpu.setX(1, TEXT);
        assertFalse(semi.call(cpu), "the string does not fit: the guest makes the call again");
        assertEquals(Semihosting.SYS_WRITE0, cpu.x(0), "X0 untouched");
        assertEquals("", printed(), "all or nothing");

        consoleRoom = 0;
        cpu.setX(0, Semihosting.SYS_WRITEC);
        cpu.setX(1, TEXT);
        assertFalse(semi.call(cpu));

        consoleRoom = Integer.MAX_VALUE;
        call(Semihosting.SYS_WRITE0, TEXT);
        assertEquals("hello", printed());

        text(":tt");
        long h = callWith(Semihosting.SYS_OPEN, TEXT, 4, 3);
        text("abcdef");
        consoleRoom = 2;
        assertEquals(4, callWith(Semihosting.SYS_WRITE, h, TEXT, 6), "4 bytes not written: the guest writes them again");
        assertEquals("helloab", printed());
    }

    @Test
    void ttyHandlesAreOpenedWrittenAndClosed() {
        text(":tt");
        long h = callWith(Semihosting.SYS_OPEN, TEXT, 4, 3);
        assertTrue(h >= 1, "a handle from 1, as QEMU: " + h);
        assertEquals(1, callWith(Semihosting.SYS_ISTTY, h));
        text("abcdef");
        assertEquals(0, callWith(Semihosting.SYS_WRITE, h, TEXT, 3), "0 bytes left unwritten");
        assertEquals("abc", printed());
        assertEquals(0, callWith(Semihosting.SYS_CLOSE, h));
        assertEquals(5, callWith(Semihosting.SYS_WRITE, h, TEXT, 5), "a closed handle writes nothing");
        assertEquals(9, call(Semihosting.SYS_ERRNO, 0), "EBADF");
        assertEquals("abc", printed());
    }

    @Test
    void hostFilesAreNotOpened() {
        text("/etc/passwd");
        assertEquals(-1, callWith(Semihosting.SYS_OPEN, TEXT, 0, 11));
        assertEquals(22, call(Semihosting.SYS_ERRNO, 0), "EINVAL");
        assertEquals(1, guestErrors.count(SemihostingError.HOST_FILE_REFUSED));
    }

    @Test
    void exitExtendedCarriesTheStatusAndOtherReasonsExitWithOne() {
        callWith(Semihosting.SYS_EXIT_EXTENDED, Semihosting.APPLICATION_EXIT, 7);
        callWith(Semihosting.SYS_EXIT, 0x20023, 0);                  // ADP_Stopped_RunTimeErrorUnknown
        assertEquals(List.of(7, 1), exits.stream().map(MachineExit::guestStatus).toList());
        assertEquals(MachineExit.Reason.SEMIHOSTING_EXIT, exits.getFirst().reason());
    }

    @Test
    void getCmdlineWritesTheCommandLineAndItsLengthOrRefusesASmallBuffer() {
        assertEquals(0, callWith(Semihosting.SYS_GET_CMDLINE, TEXT, 64));
        byte[] got = new byte[13];
        ram.read(TEXT, got, 0, got.length);
        assertEquals("guest --flag\0", new String(got, StandardCharsets.UTF_8));
        assertEquals(12, ram.readLong(BLOCK + 8));
        assertEquals(-1, callWith(Semihosting.SYS_GET_CMDLINE, TEXT, 12), "no room for the NUL");
    }

    @Test
    void aParameterBlockOutsideMemoryIsAGuestErrorNotAnEmulatorError() {
        assertEquals(-1, call(Semihosting.SYS_WRITE0, 0x1000_0000L));
        assertEquals(-1, call(Semihosting.SYS_WRITE, 0x1000_0000L));
        assertEquals(22, call(Semihosting.SYS_ERRNO, 0));
    }

    @Test
    void anUnsupportedOperationReturnsMinusOne() {
        assertEquals(-1, call(0x99, 0));
        assertTrue(exits.isEmpty());
        assertEquals(1, guestErrors.count("semihosting", SemihostingError.UNSUPPORTED_OPERATION));
    }
}
