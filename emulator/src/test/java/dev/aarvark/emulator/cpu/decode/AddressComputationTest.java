package dev.aarvark.emulator.cpu.decode;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Effective-address rules: writeback, sign extension, register 31, index extension and scaling. */
class AddressComputationTest {
    private static final long BASE = 0x0000_ffff_8000_1000L;
    private final LoadStoreDecoder decoder = new LoadStoreDecoder();

    private DataAccess decode(int insn, TestRegisters regs) {
        return decoder.decode(insn, 0, regs);
    }

    @Test
    void postIndexReportsTheBaseBeforeWriteback() {
        // f8410420  ldr x0, [x1], #16
        assertEquals(BASE, decode(0xf8410420, new TestRegisters().x(1, BASE)).address());
    }

    @Test
    void preIndexReportsBasePlusImmediate() {
        // f85f0c20  ldr x0, [x1, #-16]!
        assertEquals(BASE - 16, decode(0xf85f0c20, new TestRegisters().x(1, BASE)).address());
    }

    @Test
    void negativeImm9IsSignExtended() {
        // 38500020  ldurb w0, [x1, #-256]  (imm9 = 0x100, the most negative value)
        assertEquals(BASE - 256, decode(0x38500020, new TestRegisters().x(1, BASE)).address());
    }

    @Test
    void negativeImm7IsSignExtendedAndScaled() {
        // a9600440  ldp x0, x1, [x2, #-512]  (imm7 = 0x40, -64 doublewords)
        assertEquals(BASE - 512, decode(0xa9600440, new TestRegisters().x(2, BASE)).address());
    }

    @Test
    void baseRegister31IsTheStackPointer() {
        // f94007e0  ldr x0, [sp, #8]
        long sp = 0xffff_8000_0000_7ff0L;
        assertEquals(sp + 8, decode(0xf94007e0, new TestRegisters().sp(sp)).address());
    }

    @Test
    void unsignedImmediateIsScaledByTheAccessSize() {
        // b94ffc23  ldr w3, [x1, #4092]   imm12 = 1023, scaled by 4
        assertEquals(BASE + 4092, decode(0xb94ffc23, new TestRegisters().x(1, BASE)).address());
        // 3dfffc20  ldr q0, [x1, #65520]  imm12 = 4095, scaled by 16
        assertEquals(BASE + 65520, decode(0x3dfffc20, new TestRegisters().x(1, BASE)).address());
    }

    @Test
    void sxtwIndexSignExtendsTheLow32BitsAndShiftsByTheAccessSize() {
        // f862d820  ldr x0, [x1, w2, sxtw #3]  with w2 = -2 and garbage in x2[63:32]
        TestRegisters regs = new TestRegisters().x(1, BASE).x(2, 0x1234_5678_ffff_fffeL);
        assertEquals(BASE - 16, decode(0xf862d820, regs).address());
    }

    @Test
    void uxtwIndexZeroExtendsTheLow32Bits() {
        // f8624820  ldr x0, [x1, w2, uxtw]
        TestRegisters regs = new TestRegisters().x(1, BASE).x(2, 0xffff_ffff_8000_0010L);
        assertEquals(BASE + 0x8000_0010L, decode(0xf8624820, regs).address());
        // b8625820  ldr w0, [x1, w2, uxtw #2]
        regs = new TestRegisters().x(1, BASE).x(2, 0xffff_ffff_0000_0003L);
        assertEquals(BASE + 12, decode(0xb8625820, regs).address());
    }

    @Test
    void xIndexUsesAll64BitsWithOptionalShift() {
        // f8626820  ldr x0, [x1, x2]
        assertEquals(BASE - 8, decode(0xf8626820, new TestRegisters().x(1, BASE).x(2, -8)).address());
        // f8627820  ldr x0, [x1, x2, lsl #3]
        assertEquals(BASE + 40, decode(0xf8627820, new TestRegisters().x(1, BASE).x(2, 5)).address());
        // 7862f820  ldrh w0, [x1, x2, sxtx #1]
        assertEquals(BASE - 6, decode(0x7862f820, new TestRegisters().x(1, BASE).x(2, -3)).address());
    }

    @Test
    void byteIndexWithExplicitShiftBitShiftsByZero() {
        // 38627820  ldrb w0, [x1, x2, lsl #0]  (S = 1, access size 1)
        assertEquals(BASE + 7, decode(0x38627820, new TestRegisters().x(1, BASE).x(2, 7)).address());
    }

    @Test
    void simdIndexIsScaledByTheVectorSize() {
        // 3ce27820  ldr q0, [x1, x2, lsl #4]
        DataAccess q = decode(0x3ce27820, new TestRegisters().x(1, BASE).x(2, 3));
        assertEquals(BASE + 48, q.address());
        assertEquals(16, q.size());
        assertTrue(q.simd());
        // bc22d820  str s0, [x1, w2, sxtw #2]
        DataAccess s = decode(0xbc22d820, new TestRegisters().x(1, BASE).x(2, 0xffff_ffffL));
        assertEquals(BASE - 4, s.address());
        assertTrue(s.write());
    }

    @Test
    void indexRegister31IsTheZeroRegister() {
        // f83f6820  str x0, [x1, xzr]
        assertEquals(BASE, decode(0xf83f6820, new TestRegisters().x(1, BASE)).address());
    }

    @Test
    void storeOfTheZeroRegisterIsAnEightByteWrite() {
        // f900001f  str xzr, [x0]
        DataAccess a = decode(0xf900001f, new TestRegisters().x(0, BASE));
        assertEquals(BASE, a.address());
        assertEquals(8, a.size());
        assertTrue(a.write());
        assertFalse(a.read());
    }

    @Test
    void registerOffsetWithStackPointerBase() {
        // f8626be0  ldr x0, [sp, x2]
        long sp = 0xffff_8000_0000_8000L;
        assertEquals(sp + 0x20, decode(0xf8626be0, new TestRegisters().sp(sp).x(2, 0x20)).address());
    }

    @Test
    void addressArithmeticWrapsModulo2To64() {
        // f85ff020  ldur x0, [x1, #-1] with x1 = 0
        assertEquals(-1L, decode(0xf85ff020, new TestRegisters().x(1, 0)).address());
    }

    @Test
    void prefetchByRegisterOffsetNeverFaults() {
        // f8a26820  prfm pldl1keep, [x1, x2]
        DataAccess a = decode(0xf8a26820, new TestRegisters().x(1, BASE).x(2, 0x40));
        assertTrue(a.prefetch());
        assertEquals(BASE + 0x40, a.address());
        assertEquals(0, a.size());
        assertFalse(a.read() || a.write());
    }

    @Test
    void simdStructurePostIndexByRegisterDoesNotMoveTheReportedAddress() {
        // 4c857000  st1 {v0.16b}, [x0], x5  -- x5 is not read: the address is the base
        DataAccess a = decode(0x4c857000, new TestRegisters().x(0, BASE));
        assertEquals(BASE, a.address());
    }
}
