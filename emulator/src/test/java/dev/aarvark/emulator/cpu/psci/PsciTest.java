package dev.aarvark.emulator.cpu.psci;

import dev.aarvark.emulator.cpu.Cpu;
import dev.aarvark.emulator.cpu.CpuModel;
import dev.aarvark.emulator.cpu.unicorn.Unicorn;
import dev.aarvark.emulator.run.MachineExit;
import dev.aarvark.emulator.run.RecordingRunControl;
import dev.aarvark.memory.GuestRam;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** PSCI 1.1 as QEMU 7.2's firmware answers it for one CPU (DEN0022), call by call. */
class PsciTest {
    private final Arena arena = Arena.ofShared();
    private final Unicorn uc = Unicorn.open(CpuModel.CORTEX_A57.unicornModel());
    private final Cpu cpu;
    private final RecordingRunControl control = new RecordingRunControl();
    private final List<MachineExit> exits = control.exits();
    private final Psci psci = new Psci(control);

    PsciTest() {
        GuestRam ram = GuestRam.allocate(arena, 0x4000_0000L, 1 << 20);
        uc.memMapPtr(ram.base(), ram.segment(), Unicorn.PROT_ALL);
        cpu = new Cpu(uc, CpuModel.CORTEX_A57, ram);
    }

    @AfterEach
    void close() {
        uc.close();
        arena.close();
    }

    private long call(long fid, long x1, long x2, long x3) {
        cpu.setX(0, fid);
        cpu.setX(1, x1);
        cpu.setX(2, x2);
        cpu.setX(3, x3);
        psci.call(cpu);
        return cpu.x(0);
    }

    @Test
    void versionIsOnePointOne() {
        assertEquals(0x0001_0001L, call(Psci.VERSION, 0, 0, 0));
    }

    @Test
    void featuresSaysWhichFunctionsExist() {
        assertEquals(Psci.SUCCESS, call(Psci.FEATURES, Psci.CPU_SUSPEND_64, 0, 0));
        assertEquals(Psci.SUCCESS, call(Psci.FEATURES, Psci.SYSTEM_RESET, 0, 0));
        assertEquals(Psci.NOT_SUPPORTED, call(Psci.FEATURES, 0x8400_0042L, 0, 0));
    }

    @Test
    void theOnlyCpuIsAlreadyOnAndOthersDoNotExist() {
        assertEquals(Psci.ALREADY_ON, call(Psci.CPU_ON_64, 0, 0x4000_0000L, 0));
        assertEquals(Psci.INVALID_PARAMETERS, call(Psci.CPU_ON_64, 1, 0x4000_0000L, 0));
        assertEquals(Psci.INVALID_PARAMETERS, call(Psci.CPU_ON_64, 0x1_0000_0000L, 0, 0), "Aff3 counts for SMC64");
        assertEquals(Psci.ALREADY_ON, call(Psci.CPU_ON_32, 0x1_0000_0000L, 0, 0), "SMC32 carries no Aff3");
        assertEquals(0, call(Psci.AFFINITY_INFO_64, 0, 0, 0), "ON");
        assertEquals(Psci.INVALID_PARAMETERS, call(Psci.AFFINITY_INFO_64, 1, 0, 0));
        assertEquals(Psci.INVALID_PARAMETERS, call(Psci.AFFINITY_INFO_64, 0, 1, 0), "only affinity level 0");
        assertFalse(psci.isPsciCall(0x8400_0042L));
        assertTrue(psci.isPsciCall(Psci.CPU_ON_64 | 0xffff_ffff_0000_0000L), "only W0 counts");
    }

    @Test
    void migrationIsNotNeeded() {
        assertEquals(2, call(Psci.MIGRATE_INFO_TYPE, 0, 0, 0));
        assertEquals(Psci.NOT_SUPPORTED, call(Psci.MIGRATE_64, 0, 0, 0));
    }

    @Test
    void suspendReturnsAtOnceAndNothingElseHappens() {
        assertEquals(Psci.SUCCESS, call(Psci.CPU_SUSPEND_64, 0, 0, 0));
        assertTrue(exits.isEmpty());
    }

    @Test
    void systemOffCpuOffAndSystemResetEndTheRunWithTheirReasons() {
        call(Psci.SYSTEM_OFF, 0, 0, 0);
        call(Psci.CPU_OFF, 0, 0, 0);
        call(Psci.SYSTEM_RESET, 0, 0, 0);
        assertEquals(List.of(MachineExit.Reason.POWER_OFF, MachineExit.Reason.POWER_OFF, MachineExit.Reason.RESET),
                exits.stream().map(MachineExit::reason).toList());
    }

    @Test
    void anUnknownFunctionIsNotSupported() {
        assertEquals(Psci.NOT_SUPPORTED, call(0x8400_00ffL, 0, 0, 0));
    }
}
