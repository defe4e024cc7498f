package dev.aarvark.emulator.cpu.unicorn;

import dev.aarvark.emulator.cpu.CpuModel;
import dev.aarvark.emulator.cpu.SysReg;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@link SysInsnFilter} on a real engine: only the keys a filter passes reach the Java hook, the
 * counted ones are counted whether or not they pass, and everything else runs natively.
 */
class SysInsnFilterTest {
    private static final long RAM = 0x4000_0000L;
    private static final int MRS_X0_SP_EL0 = 0xd5384100;
    private static final int MRS_X1_TPIDR_EL1 = 0xd538d081;
    private static final int MSR_TTBR0_EL1_X2 = 0xd5182002;
    private static final int MSR_TPIDR_EL1_X3 = 0xd518d083;
    private static final int TLBI_VMALLE1 = 0xd508871f;
    private static final int DC_ZVA_X4 = 0xd50b7424;
    private static final int WFI = 0xd503207f;

    private static final int SP_EL0 = SysReg.key(3, 0, 4, 1, 0);
    private static final int TPIDR_EL1 = SysReg.key(3, 0, 13, 0, 4);
    private static final int TTBR0_EL1 = SysReg.key(3, 0, 2, 0, 0);
    private static final int TLBI_VMALLE1_KEY = SysReg.key(1, 0, 8, 7, 0);

    private record Seen(List<Integer> mrs, List<Integer> msr, List<Integer> sys, long msrCounted, long sysCounted,
                        long x1) {}

    private static Seen run(SysInsnFilter mrs, SysInsnFilter msr, SysInsnFilter sys) {
        int[] program = {MRS_X0_SP_EL0, MSR_TTBR0_EL1_X2, MSR_TPIDR_EL1_X3, MRS_X1_TPIDR_EL1, MSR_TTBR0_EL1_X2,
                TLBI_VMALLE1, DC_ZVA_X4, TLBI_VMALLE1, WFI};
        try (Arena arena = Arena.ofShared(); Unicorn uc = Unicorn.open(CpuModel.CORTEX_A57.unicornModel())) {
            MemorySegment ram = arena.allocate(1 << 16, 4096);
            for (int i = 0; i < program.length; i++) {
                ram.setAtIndex(java.lang.foreign.ValueLayout.JAVA_INT, i, program[i]);
            }
            uc.memMapPtr(RAM, ram, Unicorn.PROT_ALL);
            List<Integer> seenMrs = new ArrayList<>();
            List<Integer> seenMsr = new ArrayList<>();
            List<Integer> seenSys = new ArrayList<>();
            uc.addSysInsnHook(Unicorn.INS_MRS, mrs, (reg, key, value) -> seenMrs.add(key) && false);
            uc.addSysInsnHook(Unicorn.INS_MSR, msr, (reg, key, value) -> seenMsr.add(key) && false);
            uc.addSysInsnHook(Unicorn.INS_SYS, sys, (reg, key, value) -> seenSys.add(key) && false);
            uc.setReg(Arm64Reg.x(3), 0x1234);
            uc.setReg(Arm64Reg.x(4), RAM + 0x8000);
            assertEquals(0, uc.emuStart(RAM, 0));
            assertEquals(RAM + 4L * program.length, uc.reg(Arm64Reg.PC), "the program ran to its WFI");
            return new Seen(seenMrs, seenMsr, seenSys, msr.counted(), sys.counted(), uc.reg(Arm64Reg.x(1)));
        }
    }

    @Test
    void onlyPassedKeysReachTheHookAndTheRestRunNatively() {
        Seen s = run(new SysInsnFilter().pass(TPIDR_EL1), new SysInsnFilter().pass(TPIDR_EL1),
                new SysInsnFilter().pass(TLBI_VMALLE1_KEY));
        assertEquals(List.of(TPIDR_EL1), s.mrs(), "MRS SP_EL0 stayed native");
        assertEquals(List.of(TPIDR_EL1), s.msr(), "MSR TTBR0_EL1 stayed native");
        assertEquals(List.of(TLBI_VMALLE1_KEY, TLBI_VMALLE1_KEY), s.sys(), "DC ZVA stayed native");
    }

    @Test
    void countedKeysAreCountedWhetherOrNotTheyPass() {
        Seen s = run(new SysInsnFilter(), new SysInsnFilter().count(TTBR0_EL1),
                new SysInsnFilter().pass(TLBI_VMALLE1_KEY).count(TLBI_VMALLE1_KEY));
        assertEquals(List.of(), s.msr(), "a counted key does not reach the hook by itself");
        assertEquals(2, s.msrCounted(), "both MSR TTBR0_EL1 counted");
        assertEquals(2, s.sysCounted());
        assertEquals(2, s.sys().size());
    }

    @Test
    void aHookThatLetsTheInstructionRunKeepsItsNativeEffect() {
        Seen s = run(new SysInsnFilter().pass(TPIDR_EL1), new SysInsnFilter().pass(TPIDR_EL1), new SysInsnFilter());
        assertEquals(0x1234, s.x1(), "the MSR and MRS of TPIDR_EL1 both reached the hook and still ran natively");
    }

    @Test
    void theKeySetsAreFixedOnceTheHookIsInstalled() {
        SysInsnFilter f = new SysInsnFilter();
        run(new SysInsnFilter(), new SysInsnFilter(), f);
        assertThrows(IllegalStateException.class, () -> f.pass(TPIDR_EL1));
        assertThrows(IllegalArgumentException.class, () -> new SysInsnFilter().count(1 << 16));
    }
}
