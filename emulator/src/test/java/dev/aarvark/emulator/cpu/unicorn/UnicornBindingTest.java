package dev.aarvark.emulator.cpu.unicorn;

import dev.aarvark.memory.GuestRam;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnicornBindingTest {
    private static final long RAM = 0x4000_0000L;
    private static final int A57 = 0;

    // mov x0, #42 ; movz x1, #0x0900, lsl #16 ; str w0, [x1] ; svc #5 ; wfi
    private static final int[] PROGRAM = {0xd2800540, 0xd2a12001, 0xb9000020, 0xd40000a1, 0xd503207f};

    @Test
    void runsGuestCodeFromSharedRamAndCallsJavaForMmioAndExceptions() {
        try (Arena arena = Arena.ofShared(); Unicorn uc = Unicorn.open(A57)) {
            GuestRam ram = GuestRam.allocate(arena, RAM, 1 << 20);
            for (int i = 0; i < PROGRAM.length; i++) {
                ram.writeInt(RAM + 4L * i, PROGRAM[i]);
            }
            uc.memMapPtr(RAM, ram.segment(), Unicorn.PROT_ALL);
            List<String> mmio = new ArrayList<>();
            uc.mmioMap(0x0900_0000L, 0x1000, new Unicorn.MmioHandler() {
                @Override
                public long read(long offset, int size) {
                    return 0;
                }

                @Override
                public void write(long offset, int size, long value) {
                    mmio.add(offset + "/" + size + "=" + value);
                }
            });
            List<Integer> intnos = new ArrayList<>();
            uc.addInterruptHook(intnos::add);

            int err = uc.emuStart(RAM, 0);

            assertEquals(0, err);
            assertEquals(42, uc.reg(Arm64Reg.x(0)));
            assertEquals(List.of("0/4=42"), mmio);
            assertEquals(List.of(2), intnos, "SVC arrives as intno 2");
            assertEquals(RAM + 4 * 5, uc.reg(Arm64Reg.PC), "WFI returns with PC after it");
        }
    }

    @Test
    void exceptionThrownInsideACallbackStopsEmulationAndIsRethrown() {
        try (Arena arena = Arena.ofShared(); Unicorn uc = Unicorn.open(A57)) {
            GuestRam ram = GuestRam.allocate(arena, RAM, 1 << 20);
            for (int i = 0; i < PROGRAM.length; i++) {
                ram.writeInt(RAM + 4L * i, PROGRAM[i]);
            }
            uc.memMapPtr(RAM, ram.segment(), Unicorn.PROT_ALL);
            uc.mmioMap(0x0900_0000L, 0x1000, new Unicorn.MmioHandler() {
                @Override
                public long read(long offset, int size) {
                    return 0;
                }

                @Override
                public void write(long offset, int size, long value) {
                    throw new IllegalStateException("device broke");
                }
            });
            Unicorn.UpcallFailedException e = assertThrows(Unicorn.UpcallFailedException.class,
                    () -> uc.emuStart(RAM, 0));
            assertTrue(e.getMessage().contains("device broke"), e.getMessage());
        }
    }

    @Test
    void systemRegistersAreReachableThroughCpReg() {
        try (Unicorn uc = Unicorn.open(A57)) {
            uc.setSysReg(3, 0, 12, 0, 0, 0x4008_0000L); // VBAR_EL1
            assertEquals(0x4008_0000L, uc.reg(Arm64Reg.VBAR_EL1));
            long midr = uc.sysReg(3, 0, 0, 0, 0);
            assertEquals(0xd07, (midr >>> 4) & 0xfff, "cortex-a57 part number");
        }
    }

    @Test
    void batchReadReturnsEachRegisterInOrder() {
        try (Unicorn uc = Unicorn.open(A57)) {
            uc.setReg(Arm64Reg.x(3), 33);
            uc.setReg(Arm64Reg.x(7), 77);
            uc.setReg(Arm64Reg.TTBR1_EL1, 0x1234_5000L);
            long[] out = new long[3];
            uc.regs(new int[] {Arm64Reg.TTBR1_EL1, Arm64Reg.x(7), Arm64Reg.x(3)}, out);
            assertEquals(0x1234_5000L, out[0]);
            assertEquals(77, out[1]);
            assertEquals(33, out[2]);
        }
    }

    @Test
    void libraryReportsVersionTwoPointOneAndThePinnedBuild() {
        UnicornLibrary lib = UnicornLibrary.get();
        assertTrue(lib.versionString().startsWith("2.1"), lib.versionString());
        assertTrue(lib.isPinnedBuild(), "the build set-up fetches must be the pinned Debian build");
    }
}
