package dev.aarvark.emulator.cpu;

import dev.aarvark.emulator.cpu.unicorn.Arm64Reg;
import dev.aarvark.emulator.cpu.unicorn.Unicorn;
import dev.aarvark.iommu.BypassDmaSpace;
import dev.aarvark.iommu.DmaRequester;
import dev.aarvark.iommu.DmaSpace;
import dev.aarvark.memory.GuestRam;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@link InstructionCacheMaintenance} on a real engine: code that a device rewrites by DMA (which
 * libunicorn never sees) runs as rewritten once the guest performs the instruction-cache
 * maintenance the architecture requires, and the engine alone would run the old code.
 */
class InstructionCacheMaintenanceTest {
    private static final long RAM = 0x4000_0000L;
    private static final long RAM_SIZE = 1 << 20;
    private static final long SLOT = RAM + 0x1028;          // the rewritten code
    private static final long DOORBELL = 0x0900_0000L;      // a write here makes the "device" DMA
    private static final long NOT_RAM = 0x1000_0000L;       // nothing there (MMU off: VA = PA)

    private static final int BLR_X20 = 0xd63f0280;
    private static final int MOV_X19_X0 = 0xaa0003f3;
    private static final int STR_W0_X21 = 0xb90002a0;
    private static final int IC_IVAU_X20 = 0xd50b7534;
    private static final int IC_IALLU = 0xd508751f;
    private static final int DSB_ISH = 0xd5033b9f;
    private static final int ISB = 0xd5033fdf;
    private static final int MOV_X22_X0 = 0xaa0003f6;
    private static final int WFI = 0xd503207f;
    private static final int MOVZ_X0_1 = 0xd2800020;
    private static final int MOVZ_X0_2 = 0xd2800040;
    private static final int RET = 0xd65f03c0;

    /** Runs the old code, rings the doorbell (the device DMAs new code), maintains, runs it again. */
    private static int[] program(int maintenance) {
        return new int[] {BLR_X20, MOV_X19_X0, STR_W0_X21, maintenance, DSB_ISH, ISB, BLR_X20, MOV_X22_X0, WFI};
    }

    private record Outcome(long before, long after, InstructionCacheMaintenance icache) {}

    private static Outcome run(int[] program, boolean maintenanceHook, long x20) {
        return run(program, maintenanceHook, x20, false, icache -> { });
    }

    /**
     * Runs {@code program} at RAM's base; with {@code cachesOn}, stage 1 and the data cache are
     * on (identity map: RAM normal write-back, the low gigabyte device), the IC hook sees SCTLR
     * writes, and the loader's writes count as taken by an earlier IC IALLU. {@code then} runs
     * after the program, while the engine is still open.
     */
    private static Outcome run(int[] program, boolean maintenanceHook, long x20, boolean cachesOn,
                               Consumer<InstructionCacheMaintenance> then) {
        try (Arena arena = Arena.ofShared(); Unicorn uc = Unicorn.open(CpuModel.CORTEX_A57.unicornModel())) {
            GuestRam ram = GuestRam.allocate(arena, RAM, RAM_SIZE);
            for (int i = 0; i < program.length; i++) {
                ram.writeInt(RAM + 4L * i, program[i]);
            }
            ram.writeInt(SLOT, MOVZ_X0_1);
            ram.writeInt(SLOT + 4, RET);
            uc.memMapPtr(RAM, ram.segment(), Unicorn.PROT_ALL);
            DmaSpace dma = new BypassDmaSpace(ram);
            uc.mmioMap(DOORBELL, 0x1000, new Unicorn.MmioHandler() {
                @Override
                public long read(long offset, int size) {
                    return 0;
                }

                @Override
                public void write(long offset, int size, long value) {
                    DmaRequester who = DmaRequester.device("test-device", "code");
                    dma.writeInt(SLOT, MOVZ_X0_2, who);
                    dma.writeInt(SLOT + 4, RET, who);
                }
            });
            Cpu cpu = new Cpu(uc, CpuModel.CORTEX_A57, ram);
            if (cachesOn) {
                ResetState.apply(cpu, RAM, 0, 0, 0, 0);
                identityMapWithCachesOn(cpu, ram);
            }
            InstructionCacheMaintenance icache = new InstructionCacheMaintenance(cpu, ram, null, cachesOn);
            if (cachesOn) {
                icache.invalidateAll();     // what the guest does once it turns its caches on
                ram.hostWrites().clear();
            }
            if (maintenanceHook) {
                uc.addSysInsnHook(Unicorn.INS_SYS, InstructionCacheMaintenance.sysFilter(), icache::onSys);
            }
            uc.setReg(Arm64Reg.x(20), x20);
            uc.setReg(Arm64Reg.x(21), DOORBELL);

            assertEquals(0, uc.emuStart(RAM, 0), () -> "stopped at 0x" + Long.toHexString(uc.reg(Arm64Reg.PC)));
            assertEquals(RAM + 4L * program.length, uc.reg(Arm64Reg.PC), "the program ran to its WFI");
            Outcome o = new Outcome(uc.reg(Arm64Reg.x(19)), uc.reg(Arm64Reg.x(22)), icache);
            then.accept(icache);
            return o;
        }
    }

    private static final long TABLE = RAM + 0x8_0000;
    /** SCTLR_EL1 with M, C and I set over Linux's RES1 bits. */
    private static final long SCTLR_CACHES_ON = 0x30d0_0800L | 1 | 1 << 2 | 1 << 12;

    /** One level-1 table (4 KiB granule, 39-bit VA): VA = PA, RAM's gigabyte write-back. */
    private static void identityMapWithCachesOn(Cpu cpu, GuestRam ram) {
        long af = 1L << 10;
        ram.writeLong(TABLE, 0x0000_0000L | af | 1L << 2 | 0b01);              // device (AttrIndx 1)
        ram.writeLong(TABLE + 8, 0x4000_0000L | af | 3L << 8 | 0b01);          // normal WB, inner shareable
        cpu.write(SysReg.MAIR_EL1, 0x00ffL);
        cpu.write(SysReg.TCR_EL1, 25 | 1L << 8 | 1L << 10 | 3L << 12 | 1L << 23);   // T0SZ 25, WB, ISH, EPD1
        cpu.write(SysReg.TTBR0_EL1, TABLE);
        cpu.write(SysReg.SCTLR_EL1, SCTLR_CACHES_ON);
    }

    private static final int DC_CVAU = SysReg.key(1, 3, 7, 11, 1);
    private static final int DC_CIVAC = SysReg.key(1, 3, 7, 14, 1);
    private static final int DC_CISW = SysReg.key(1, 0, 7, 14, 2);
    private static final int IVAU = SysReg.key(1, 3, 7, 5, 1);
    private static final int IALLU = SysReg.key(1, 0, 7, 5, 0);

    @Test
    void withTheCachesOnCodeADeviceDmaedIsExecutedAfterAnIcIalluThatDropsOnlyThatPage() {
        Outcome o = run(program(IC_IALLU), true, SLOT, true, icache -> { });
        assertEquals(1, o.before(), "the old code ran first");
        assertEquals(2, o.after(), "the DMA-written code ran after IC IALLU");
        assertEquals(2, o.icache().allInvalidations());
        assertEquals(1, o.icache().narrowedInvalidations(), "the guest's IC IALLU was narrowed");
        assertEquals(64, o.icache().linesDropped() - (RAM_SIZE >>> 6), "one page: the one the device wrote");
    }

    /** Runs {@code check} on the icache of a finished caches-on run, with nothing left to drop. */
    private static void afterACachesOnRun(Consumer<InstructionCacheMaintenance> check) {
        run(program(IC_IALLU), true, SLOT, true, icache -> {
            assertEquals(1, icache.narrowedInvalidations());
            check.accept(icache);
        });
    }

    private static long droppedBy(InstructionCacheMaintenance icache, Runnable maintenance) {
        long before = icache.linesDropped();
        maintenance.run();
        return icache.linesDropped() - before;
    }

    @Test
    void anIcIalluAfterDataCacheCleansByVaDropsJustTheCleanedLines() {
        afterACachesOnRun(icache -> {
            assertEquals(3, droppedBy(icache, () -> {
                icache.onSys(0, DC_CVAU, RAM + 0x3000);
                icache.onSys(0, DC_CVAU, RAM + 0x3008);         // the same line
                icache.onSys(0, DC_CIVAC, RAM + 0x3040);
                icache.onSys(0, DC_CVAU, RAM + 0x5fc0);
                icache.onSys(0, DC_CVAU, 0x0900_0000L);         // not RAM: nothing
                icache.onSys(0, IALLU, 0);
            }));
            assertEquals(2, icache.narrowedInvalidations());
            assertEquals(0, droppedBy(icache, () -> icache.onSys(0, IALLU, 0)), "cleaned lines are dropped once");
        });
    }

    @Test
    void aLineCleanedAndThenInvalidatedByIcIvauIsNotDroppedAgainByIcIallu() {
        afterACachesOnRun(icache -> assertEquals(1, droppedBy(icache, () -> {
            icache.onSys(0, DC_CVAU, RAM + 0x3000);
            icache.onSys(0, DC_CVAU, RAM + 0x3040);
            icache.onSys(0, IVAU, RAM + 0x3000);
            icache.onSys(0, IALLU, 0);
        })));
    }

    @Test
    void aSetWayCleanMakesTheNextIcIalluDropAllOfRam() {
        afterACachesOnRun(icache -> {
            assertEquals(RAM_SIZE >>> 6, droppedBy(icache, () -> {
                icache.onSys(0, DC_CISW, 0);
                icache.onSys(0, IALLU, 0);
            }));
            assertEquals(0, droppedBy(icache, () -> icache.onSys(0, IALLU, 0)), "and only that one");
        });
    }

    @Test
    void turningTheDataCacheOffMakesTheNextIcIalluDropAllOfRamEvenIfItIsBackOn() {
        afterACachesOnRun(icache -> assertEquals(RAM_SIZE >>> 6, droppedBy(icache, () -> {
            icache.onSctlrWrite(SCTLR_CACHES_ON & ~(1L << 2));
            icache.onSctlrWrite(SCTLR_CACHES_ON);
            icache.onSys(0, IALLU, 0);
        })));
    }

    @Test
    void withoutSeeingSctlrWritesEveryIcIalluDropsAllOfRam() {
        Outcome o = run(program(IC_IALLU), true, SLOT, false, icache -> { });
        assertEquals(2, o.after());
        assertEquals(0, o.icache().narrowedInvalidations());
        assertEquals(RAM_SIZE >>> 6, o.icache().linesDropped());
    }

    @Test
    void codeADeviceDmaedOverCodeThatRanIsExecutedAfterIcIvau() {
        Outcome o = run(program(IC_IVAU_X20), true, SLOT);
        assertEquals(1, o.before(), "the old code ran first");
        assertEquals(2, o.after(), "the DMA-written code ran after IC IVAU");
        assertEquals(1, o.icache().lineInvalidations());
        assertEquals(0, o.icache().ignored());
    }

    @Test
    void codeADeviceDmaedOverCodeThatRanIsExecutedAfterIcIallu() {
        Outcome o = run(program(IC_IALLU), true, SLOT);
        assertEquals(2, o.after(), "the DMA-written code ran after IC IALLU");
        assertEquals(1, o.icache().allInvalidations());
    }

    /**
     * The premise of the class: libunicorn alone keeps running its translation of the old code
     * after a write it did not see. If this ever fails, libunicorn has learnt to see such writes.
     */
    @Test
    void withoutTheMaintenanceHookTheEngineRunsTheOldTranslation() {
        Outcome o = run(program(IC_IVAU_X20), false, SLOT);
        assertEquals(1, o.before());
        assertEquals(1, o.after(), "libunicorn ran its stale translation");
    }

    @Test
    void icIvauOfAnAddressThatIsNotRamIsANoOpAndRaisesNothing() {
        // x20 points at nothing: the program's blr would fault, so only the maintenance runs.
        int[] p = {IC_IVAU_X20, DSB_ISH, ISB, MOVZ_X0_2, MOV_X22_X0, WFI};
        Outcome o = run(p, true, NOT_RAM);
        assertEquals(2, o.after(), "execution went on past the IC IVAU");
        assertEquals(0, o.icache().lineInvalidations());
        assertEquals(1, o.icache().ignored());
    }

    @Test
    void otherSystemInstructionsAreLeftAlone() {
        // The hook of a finished run: only IC encodings may touch the engine, so others must not.
        run(program(IC_IVAU_X20), true, SLOT, false, icache -> {
            long lines = icache.lineInvalidations();
            assertEquals(false, icache.onSys(0, SysReg.key(1, 3, 7, 11, 1), SLOT));     // DC CVAU
            assertEquals(false, icache.onSys(0, SysReg.key(1, 0, 8, 7, 0), 0));         // TLBI VMALLE1
            assertEquals(false, icache.onSys(0, SysReg.key(1, 3, 7, 4, 1), SLOT));      // DC ZVA
            assertEquals(lines, icache.lineInvalidations());
            assertEquals(0, icache.allInvalidations());
            assertEquals(0, icache.ignored());
        });
    }
}
