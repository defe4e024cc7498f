package dev.aarvark.emulator.cpu;

import dev.aarvark.emulator.cpu.unicorn.Arm64Reg;
import dev.aarvark.emulator.cpu.unicorn.Unicorn;
import dev.aarvark.memory.GuestRam;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Java-performed exception entry to EL1 (Arm ARM D1.10) on a real engine: the vector for each
 * source EL and stack, the banked stack pointers, ELR/ESR/FAR/SPSR, the new PSTATE, and that the
 * handler then really runs at EL1h on SP_EL1 (libunicorn's cached flags were rebuilt).
 */
class ExceptionEntryTest {
    private static final long RAM = 0x4000_0000L;
    private static final long VBAR = RAM + 0x1_0000;          // 2 KiB aligned
    private static final long SP_EL0 = RAM + 0x8_0000;
    private static final long SP_EL1 = RAM + 0x9_0000;
    private static final int MRS_X0_CURRENTEL = 0xd5384240;
    private static final int MOV_X1_SP = 0x910003e1;
    private static final int WFI = 0xd503207f;

    private record After(long pc, long elr, long esr, long far, long spsr, long pstate, long sp, long spEl0, long spEl1,
                         long currentEl, long handlerSp) {}

    private static After enter(long pstateMode, long nzcv, ExceptionEntry.Kind kind, long far) {
        try (Arena arena = Arena.ofShared(); Unicorn uc = Unicorn.open(CpuModel.CORTEX_A57.unicornModel())) {
            GuestRam ram = GuestRam.allocate(arena, RAM, 1 << 20);
            uc.memMapPtr(RAM, ram.segment(), Unicorn.PROT_ALL);
            for (int v = 0; v < 16; v++) {                     // every vector: report CurrentEL and SP, stop
                long at = VBAR + 0x80L * v;
                ram.writeInt(at, MRS_X0_CURRENTEL);
                ram.writeInt(at + 4, MOV_X1_SP);
                ram.writeInt(at + 8, WFI);
            }
            Cpu cpu = new Cpu(uc, CpuModel.CORTEX_A57, ram);
            ResetState.apply(cpu, RAM, 0, 0, 0, 0);
            cpu.write(SysReg.VBAR_EL1, VBAR);
            uc.setReg(Arm64Reg.SP_EL0, SP_EL0);
            uc.setReg(Arm64Reg.SP_EL1, SP_EL1);
            uc.setReg(Arm64Reg.PSTATE, nzcv | pstateMode);
            cpu.write(SysReg.VBAR_EL1, VBAR);                  // a CP_REG write: the mode takes effect
            uc.setReg(Arm64Reg.SP, (pstateMode & 1) != 0 ? SP_EL1 : SP_EL0);

            new ExceptionEntry(cpu).enter(kind, RAM + 0x444, 0x5600_0001L, far);
            After a = new After(cpu.pc(), uc.reg(Arm64Reg.ELR_EL1), uc.reg(Arm64Reg.ESR_EL1), uc.reg(Arm64Reg.FAR_EL1),
                    cpu.read(SysReg.SPSR_EL1), cpu.pstate(), uc.reg(Arm64Reg.SP), uc.reg(Arm64Reg.SP_EL0),
                    uc.reg(Arm64Reg.SP_EL1), 0, 0);
            assertEquals(0, uc.emuStart(a.pc(), 0));
            return new After(a.pc(), a.elr(), a.esr(), a.far(), a.spsr(), a.pstate(), a.sp(), a.spEl0(), a.spEl1(),
                    uc.reg(Arm64Reg.x(0)), uc.reg(Arm64Reg.x(1)));
        }
    }

    @ParameterizedTest(name = "from mode {0}: {1} at VBAR + {3}")
    @CsvSource({
            "0, SYNC, EL0t, 0x400",
            "0, IRQ, EL0t, 0x480",
            "4, SYNC, EL1t, 0x000",
            "4, SERROR, EL1t, 0x180",
            "5, SYNC, EL1h, 0x200",
            "5, FIQ, EL1h, 0x300",
    })
    void theVectorDependsOnTheSourceElAndStackAndOnTheKind(long mode, ExceptionEntry.Kind kind, String name, String offset) {
        After a = enter(mode, 0, kind, ExceptionEntry.NO_FAR);
        assertEquals(VBAR + Long.decode(offset), a.pc(), name);
        assertEquals(1L << 2, a.currentEl(), "the handler runs at EL1");
        assertEquals(SP_EL1, a.handlerSp(), "on SP_EL1");
    }

    @Test
    void fromEl0TheStackIsBankedToSpEl0AndSpsrElrEsrFarArewritten() {
        After a = enter(Pstate.EL0T, 0xa000_0000L, ExceptionEntry.Kind.SYNC, 0x1234_5678L);
        assertEquals(RAM + 0x444, a.elr());
        assertEquals(0x5600_0001L, a.esr());
        assertEquals(0x1234_5678L, a.far());
        assertEquals(0xa000_0000L | Pstate.EL0T, a.spsr(), "SPSR_EL1 is the old PSTATE, NZCV included");
        assertEquals(0xa000_0000L | Pstate.DAIF | Pstate.EL1H, a.pstate(), "EL1h, DAIF masked, NZCV kept");
        assertEquals(SP_EL0, a.spEl0());
        assertEquals(SP_EL1, a.sp());
    }

    @Test
    void fromEl1hTheStackStaysAndFarIsLeftAloneWithoutAFaultAddress() {
        After a = enter(Pstate.EL1H, 0, ExceptionEntry.Kind.SYNC, ExceptionEntry.NO_FAR);
        assertEquals(Pstate.EL1H, a.spsr() & 0xf);
        assertEquals(SP_EL1, a.sp());
        assertEquals(SP_EL0, a.spEl0(), "SP_EL0 untouched");
        assertEquals(0, a.far(), "FAR_EL1 keeps its reset value");
    }
}
