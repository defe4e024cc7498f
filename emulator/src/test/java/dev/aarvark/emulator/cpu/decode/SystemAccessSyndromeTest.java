package dev.aarvark.emulator.cpu.decode;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The EC 0x18 ISS: Op0[21:20] Op2[19:17] Op1[16:14] CRn[13:10] Rt[9:5] CRm[4:1] Direction[0]. */
class SystemAccessSyndromeTest {

    @Test
    void el0MrsMidrSyndromeMatchesWhatLinuxDecodes() {
        // d5380000  mrs x0, midr_el1: Op0 = 3, everything else 0, Direction = read
        MoveSysReg mrs = (MoveSysReg) SystemInsn.decode(0xd5380000);
        assertEquals(0x0030_0001, mrs.iss());
        assertEquals(0x6230_0001L, SystemAccessSyndrome.esr(mrs.iss()));
    }

    @Test
    void mrsIssPlacesEveryField() {
        // d538cc01  mrs x1, icc_iar1_el1: 3<<20 | 12<<10 | 1<<5 | 12<<1 | 1
        assertEquals(0x0030_3039, ((MoveSysReg) SystemInsn.decode(0xd538cc01)).iss());
    }

    @Test
    void msrIssHasDirectionZero() {
        // d518cba3  msr icc_sgi1r_el1, x3: 3<<20 | 5<<17 | 12<<10 | 3<<5 | 11<<1
        assertEquals(0x003A_3076, ((MoveSysReg) SystemInsn.decode(0xd518cba3)).iss());
    }

    @Test
    void sysIssUsesOp0One() {
        // sys #3, c7, c14, #1, x6 (dc civac, x6) trapped from EL0: 1<<20 | 1<<17 | 3<<14 | 7<<10 | 6<<5 | 14<<1
        SysOp op = (SysOp) SystemInsn.decode(0xd50b7e26);
        assertEquals(0x0012_DCDC, op.iss());
    }

    @Test
    void allFieldsAtMaximumFillBits21To0WithoutOverlap() {
        assertEquals(0x003F_FFFF, SystemAccessSyndrome.iss(new SysRegKey(3, 7, 15, 15, 7), 31, true));
    }

    @Test
    void rejectsBadRtAndOversizedIss() {
        assertThrows(IllegalArgumentException.class, () -> SystemAccessSyndrome.iss(new SysRegKey(3, 0, 0, 0, 0), 32, true));
        assertThrows(IllegalArgumentException.class, () -> SystemAccessSyndrome.esr(1 << 25));
    }
}
