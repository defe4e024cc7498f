package dev.aarvark.emulator.cpu.unicorn;

import dev.aarvark.emulator.cpu.Cpu;
import dev.aarvark.emulator.cpu.CpuModel;
import dev.aarvark.emulator.cpu.ResetState;
import dev.aarvark.emulator.cpu.SysReg;
import dev.aarvark.memory.GuestRam;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * libunicorn raises the FP/SIMD access trap once the native helpers replace Unicorn's
 * {@code fp_exception_el} stub (fp-access-traps.c): at EL1, FPEN = 0b00 traps an FP instruction
 * as UNDEFINED at its own PC (aarvark's UNDEF handler then gives the guest EC 0x07), 0b01 and
 * 0b11 do not, and a translation made under one setting is not reused under another.
 */
class FpAccessTrapsTest {
    private static final long RAM = 0x4000_0000L;
    private static final int FMOV_D0_X1 = 0x9e670020;
    private static final int FMOV_X2_D0 = 0x9e660002;
    private static final int WFI = 0xd503207f;

    /** Runs "fmov d0, x1; fmov x2, d0; wfi" at EL1 with the given FPEN. */
    private static void runWithFpen(Unicorn uc, Cpu cpu, long fpen) {
        cpu.write(SysReg.CPACR_EL1, fpen << 20);
        uc.setReg(Arm64Reg.x(2), 0);
        assertEquals(0, uc.emuStart(RAM, 0));
    }

    @Test
    void theTrapsAreInstalledForThePinnedBuild() {
        UnicornLibrary lib = UnicornLibrary.get();
        if (lib.isPinnedBuild()) {
            assertNull(lib.fpAccessTrapsMissing());
        }
    }

    @Test
    void fpenDecidesWhetherAnEl1FpInstructionIsUndefinedAcrossRetranslation() {
        UnicornLibrary lib = UnicornLibrary.get();
        if (lib.fpAccessTrapsMissing() != null) {
            return;     // another build: FP never traps (docs/libunicorn.md)
        }
        try (Arena arena = Arena.ofShared(); Unicorn uc = Unicorn.open(CpuModel.CORTEX_A57.unicornModel())) {
            GuestRam ram = GuestRam.allocate(arena, RAM, 1 << 16);
            ram.writeInt(RAM, FMOV_D0_X1);
            ram.writeInt(RAM + 4, FMOV_X2_D0);
            ram.writeInt(RAM + 8, WFI);
            uc.memMapPtr(RAM, ram.segment(), Unicorn.PROT_ALL);
            Cpu cpu = new Cpu(uc, CpuModel.CORTEX_A57, ram);
            ResetState.apply(cpu, RAM, 0, 0, 0, 0);
            List<Integer> intnos = new ArrayList<>();
            uc.addInterruptHook(intno -> {
                intnos.add(intno);
                uc.emuStop();
            });
            uc.setReg(Arm64Reg.x(1), 0x4010_0000_0000_0000L);

            runWithFpen(uc, cpu, 0b11);
            assertEquals(List.of(), intnos, "FPEN 0b11: the fmov runs");
            assertEquals(0x4010_0000_0000_0000L, uc.reg(Arm64Reg.x(2)), "through d0");

            runWithFpen(uc, cpu, 0b00);
            assertEquals(List.of(1), intnos, "FPEN 0b00: the same code, translated before, is UNDEFINED at EL1");
            assertEquals(RAM, uc.reg(Arm64Reg.PC), "at the fmov itself");

            intnos.clear();
            runWithFpen(uc, cpu, 0b01);
            assertEquals(List.of(), intnos, "FPEN 0b01: EL1 is not trapped");
            assertEquals(0x4010_0000_0000_0000L, uc.reg(Arm64Reg.x(2)));
        }
    }
}
