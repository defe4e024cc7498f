package dev.aarvark.emulator.cpu.decode;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** System-class and exception-generating instructions, encodings from GNU as 2.40. */
class SystemInsnDecodingTest {

    @Test
    void mrsDecodesReadWithRegisterCoordinatesAndRt() {
        // d538cc01  mrs x1, icc_iar1_el1
        MoveSysReg m = assertInstanceOf(MoveSysReg.class, SystemInsn.decode(0xd538cc01));
        assertEquals(new MoveSysReg(true, 3, 0, 12, 12, 0, 1), m);
        assertEquals("S3_0_C12_C12_0", m.key().toString());
    }

    @Test
    void msrRegisterDecodesWrite() {
        // d518cc22  msr icc_eoir1_el1, x2 ; d518cba3  msr icc_sgi1r_el1, x3 ; d5181000  msr sctlr_el1, x0
        assertEquals(new MoveSysReg(false, 3, 0, 12, 12, 1, 2), SystemInsn.decode(0xd518cc22));
        assertEquals(new MoveSysReg(false, 3, 0, 12, 11, 5, 3), SystemInsn.decode(0xd518cba3));
        assertEquals(new MoveSysReg(false, 3, 0, 1, 0, 0, 0), SystemInsn.decode(0xd5181000));
    }

    @Test
    void mrsOfEl0CounterAndMidr() {
        // d53be05e  mrs x30, cntvct_el0 ; d5380000  mrs x0, midr_el1
        assertEquals(new MoveSysReg(true, 3, 3, 14, 0, 2, 30), SystemInsn.decode(0xd53be05e));
        assertEquals("S3_0_C0_C0_0", ((MoveSysReg) SystemInsn.decode(0xd5380000)).key().toString());
    }

    @Test
    void sysAndSyslDecodeWithKind() {
        // d52b7e25  sysl x5, #3, c7, c14, #1
        assertEquals(new SysOp(3, 7, 14, 1, 5, true), SystemInsn.decode(0xd52b7e25));
        // d508871f  tlbi vmalle1
        SysOp tlbi = (SysOp) SystemInsn.decode(0xd508871f);
        assertEquals(new SysOp(0, 8, 7, 0, 31, false), tlbi);
        assertEquals(SysOp.Kind.TLB_INVALIDATE, tlbi.kind());
        // d50b7425  dc zva, x5 ; d50b7527  ic ivau, x7 ; d5087801  at s1e1r, x1
        assertEquals(SysOp.Kind.DATA_CACHE, ((SysOp) SystemInsn.decode(0xd50b7425)).kind());
        assertEquals(SysOp.Kind.INSTRUCTION_CACHE, ((SysOp) SystemInsn.decode(0xd50b7527)).kind());
        assertEquals(SysOp.Kind.ADDRESS_TRANSLATION, ((SysOp) SystemInsn.decode(0xd5087801)).kind());
    }

    @Test
    void exceptionGeneratingInstructionsCarryTheirImmediate() {
        assertEquals(new ExceptionGen(ExceptionGen.Kind.SVC, 0), SystemInsn.decode(0xd4000001));   // svc #0
        assertEquals(new ExceptionGen(ExceptionGen.Kind.HVC, 0), SystemInsn.decode(0xd4000002));   // hvc #0
        assertEquals(new ExceptionGen(ExceptionGen.Kind.SMC, 0), SystemInsn.decode(0xd4000003));   // smc #0
        assertEquals(new ExceptionGen(ExceptionGen.Kind.BRK, 1000), SystemInsn.decode(0xd4207d00)); // brk #0x3e8
        assertEquals(new ExceptionGen(ExceptionGen.Kind.DCPS1, 3), SystemInsn.decode(0xd4a00061));  // dcps1 #3
        assertEquals(new ExceptionGen(ExceptionGen.Kind.DCPS2, 0), SystemInsn.decode(0xd4a00002));  // dcps2
        assertEquals(new ExceptionGen(ExceptionGen.Kind.DCPS3, 0), SystemInsn.decode(0xd4a00003));  // dcps3
    }

    @Test
    void hltF000IsTheSemihostingTrap() {
        // d45e0000  hlt #0xf000
        ExceptionGen hlt = (ExceptionGen) SystemInsn.decode(0xd45e0000);
        assertEquals(ExceptionGen.Kind.HLT, hlt.kind());
        assertEquals(0xf000, hlt.imm16());
        assertTrue(hlt.semihosting());
        assertFalse(((ExceptionGen) SystemInsn.decode(0xd4207d00)).semihosting()); // brk #0x3e8
    }

    @Test
    void hintsDecodeWithNumberAndName() {
        Hint wfi = (Hint) SystemInsn.decode(0xd503207f);
        assertTrue(wfi.isWfi());
        assertEquals("wfi", wfi.name());
        assertTrue(((Hint) SystemInsn.decode(0xd503205f)).isWfe());
        assertEquals("nop", ((Hint) SystemInsn.decode(0xd503201f)).name());
        assertEquals("yield", ((Hint) SystemInsn.decode(0xd503203f)).name());
        assertEquals("sev", ((Hint) SystemInsn.decode(0xd503209f)).name());
        assertEquals("sevl", ((Hint) SystemInsn.decode(0xd50320bf)).name());
        assertEquals("esb", ((Hint) SystemInsn.decode(0xd503221f)).name());
        assertEquals("csdb", ((Hint) SystemInsn.decode(0xd503229f)).name());
        assertEquals("bti c", ((Hint) SystemInsn.decode(0xd503245f)).name());
        assertEquals(34, ((Hint) SystemInsn.decode(0xd503245f)).number());
    }

    @Test
    void barriersDecodeWithTheirOption() {
        assertEquals(new Barrier(Barrier.Kind.DMB, 11), SystemInsn.decode(0xd5033bbf));  // dmb ish
        assertEquals(new Barrier(Barrier.Kind.DSB, 15), SystemInsn.decode(0xd5033f9f));  // dsb sy
        assertEquals(new Barrier(Barrier.Kind.ISB, 15), SystemInsn.decode(0xd5033fdf));  // isb
        assertEquals(new Barrier(Barrier.Kind.CLREX, 15), SystemInsn.decode(0xd5033f5f)); // clrex
        assertEquals(new Barrier(Barrier.Kind.SSBB, 0), SystemInsn.decode(0xd503309f));  // ssbb
        assertEquals(new Barrier(Barrier.Kind.PSSBB, 4), SystemInsn.decode(0xd503349f)); // pssbb
        assertEquals(new Barrier(Barrier.Kind.SB, 0), SystemInsn.decode(0xd50330ff));    // sb
    }

    @Test
    void msrImmediateNamesThePstateField() {
        MsrImmediate daifset = (MsrImmediate) SystemInsn.decode(0xd50342df); // msr daifset, #2
        assertEquals(new MsrImmediate(3, 2, 6), daifset);
        assertEquals("DAIFSet", daifset.field());
        assertEquals(2, daifset.immediate());
        MsrImmediate daifclr = (MsrImmediate) SystemInsn.decode(0xd5034fff); // msr daifclr, #0xf
        assertEquals("DAIFClr", daifclr.field());
        assertEquals(15, daifclr.immediate());
        assertEquals("SPSel", ((MsrImmediate) SystemInsn.decode(0xd50041bf)).field()); // msr spsel, #1
        assertEquals("PAN", ((MsrImmediate) SystemInsn.decode(0xd500419f)).field());   // msr pan, #1
    }

    @Test
    void eretAndItsAuthenticatedForms() {
        assertEquals(new Eret(false, false), SystemInsn.decode(0xd69f03e0)); // eret
        assertEquals(new Eret(true, false), SystemInsn.decode(0xd69f0bff));  // eretaa
        assertEquals(new Eret(true, true), SystemInsn.decode(0xd69f0fff));   // eretab
    }

    @Test
    void otherInstructionsAreNotSystemInstructions() {
        assertNull(SystemInsn.decode(0x8b020020)); // add x0, x1, x2
        assertNull(SystemInsn.decode(0xf9400020)); // ldr x0, [x1]
        assertNull(SystemInsn.decode(0x17ffff56)); // b
        assertNull(SystemInsn.decode(0xd65f03c0)); // ret
        assertNull(SystemInsn.decode(0xd4000000)); // exception generation with LL = 00 under opc 000: unallocated
        assertNull(SystemInsn.decode(0xd503301f)); // barrier class, op2 = 000: unallocated
    }
}
