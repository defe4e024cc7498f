package dev.aarvark.emulator.run;

import dev.aarvark.emulator.cpu.CpuModel;
import dev.aarvark.emulator.cpu.unicorn.Arm64Reg;
import dev.aarvark.emulator.cpu.unicorn.Unicorn;
import dev.aarvark.emulator.cpu.unicorn.UnicornLibrary;
import dev.aarvark.memory.GuestRam;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link CountSlices}: a stop made from inside an MMIO callback (as a device's rising interrupt
 * line makes one) ends the slice without running any of the block's earlier instructions again.
 * Stock libunicorn exits mid-block and restarts the block, which wrote GICC_EOIR twice.
 */
class CountSlicesTest {
    private static final long RAM = 0x4000_0000L;
    private static final long DEVICE = 0x0900_0000L;

    @Test
    void aStopFromAnMmioWriteDoesNotRepeatTheStoresBeforeIt() {
        if (!UnicornLibrary.get().isPinnedBuild()) {
            return;     // only the pinned build has the byte that makes such stops safe
        }
        try (Arena arena = Arena.ofShared(); Unicorn uc = Unicorn.open(CpuModel.CORTEX_A57.unicornModel())) {
            GuestRam ram = GuestRam.allocate(arena, RAM, 1 << 16);
            int[] program = {
                    0xb9000041,     // str w1, [x2]       write #1: counted
                    0xb9000441,     // str w1, [x2, #4]   write #2: stops the engine, as a rising line does
                    0x91000421,     // add x1, x1, #1
                    0xb9000841,     // str w1, [x2, #8]   write #3
                    0xd503207f,     // wfi
            };
            for (int i = 0; i < program.length; i++) {
                ram.writeInt(RAM + 4L * i, program[i]);
            }
            uc.memMapPtr(RAM, ram.segment(), Unicorn.PROT_ALL);
            List<Long> writes = new ArrayList<>();
            uc.mmioMap(DEVICE, 0x1000, new Unicorn.MmioHandler() {
                @Override
                public long read(long offset, int size) {
                    return 0;
                }

                @Override
                public void write(long offset, int size, long value) {
                    writes.add(offset);
                    if (offset == 4) {
                        uc.emuStop();
                    }
                }
            });
            uc.setReg(Arm64Reg.x(1), 7);
            uc.setReg(Arm64Reg.x(2), DEVICE);
            CountSlices slices = new CountSlices();
            slices.install(uc);
            long pc = RAM;
            for (int n = 0; n < 10 && pc != RAM + 4L * program.length; n++) {
                assertEquals(0, slices.runSlice(uc, pc));
                pc = uc.reg(Arm64Reg.PC);
            }
            assertEquals(List.of(0L, 4L, 8L), writes, "each store once, in order");
            assertEquals(8, uc.reg(Arm64Reg.x(1)), "the add ran once");
        }
    }
}
