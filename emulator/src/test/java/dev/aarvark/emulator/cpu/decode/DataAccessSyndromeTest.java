package dev.aarvark.emulator.cpu.decode;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** WnR, alignment and the invariants of {@link DataAccess}. */
class DataAccessSyndromeTest {
    private final LoadStoreDecoder decoder = new LoadStoreDecoder();

    private DataAccess decode(int insn, TestRegisters regs) {
        return decoder.decode(insn, 0, regs);
    }

    @Test
    void loadsReportWnrZeroAndStoresOne() {
        TestRegisters regs = new TestRegisters().x(1, 0x1000).x(0, 0x2000);
        assertFalse(decode(0xf9400020, regs).wnr());   // ldr x0, [x1]
        assertTrue(decode(0xf900001f, regs).wnr());    // str xzr, [x0]
        assertTrue(decode(0xc8027c20, regs).wnr());    // stxr w2, x0, [x1]
        assertFalse(decode(0xc85f7c20, regs).wnr());   // ldxr x0, [x1]
    }

    @Test
    void readModifyWriteAtomicsReportWnrFromWhetherAReadWouldHaveFaulted() {
        // f8200041  ldadd x0, x1, [x2]
        DataAccess a = decode(0xf8200041, new TestRegisters().x(2, 0x3000));
        assertTrue(a.readModifyWrite());
        assertFalse(a.wnr(true), "a read would have faulted too (e.g. translation fault): WnR = 0");
        assertTrue(a.wnr(false), "only the write faults (read-only page): WnR = 1");
        assertTrue(a.wnr(), "without knowledge, the copy-on-write-safe answer is write");
    }

    @Test
    void casIsAReadModifyWrite() {
        // c8a07c41  cas x0, x1, [x2]
        DataAccess a = decode(0xc8a07c41, new TestRegisters().x(2, 0x3000));
        assertTrue(a.read() && a.write() && a.atomic());
        assertFalse(a.wnr(true));
    }

    @Test
    void readWouldFaultOnlyMattersForReadModifyWrite() {
        TestRegisters regs = new TestRegisters().x(1, 0x1000).x(0, 0x2000).x(6, 0x5000);
        assertFalse(decode(0xf9400020, regs).wnr(false));  // ldr x0, [x1]
        assertTrue(decode(0xf900001f, regs).wnr(true));    // str xzr, [x0]
        assertTrue(decode(0xd50b7e26, regs).wnr(true));    // dc civac, x6
    }

    @Test
    void exclusivePairsAndCaspMustBeAlignedToTheirTotalSize() {
        // c87f8440  ldaxp x0, x1, [x2] at an 8-aligned, not 16-aligned address
        DataAccess pair = decode(0xc87f8440, new TestRegisters().x(2, 0x4000_0008L));
        assertEquals(16, pair.alignment());
        assertTrue(pair.misaligned());
        // 48207c82  casp x0, x1, x2, x3, [x4]
        DataAccess casp = decode(0x48207c82, new TestRegisters().x(4, 0x4000_0010L));
        assertEquals(16, casp.size());
        assertEquals(16, casp.alignment());
        assertFalse(casp.misaligned());
    }

    @Test
    void plainAccessesHaveNoArchitecturalAlignmentRequirement() {
        // f9400020  ldr x0, [x1] at an odd address
        DataAccess a = decode(0xf9400020, new TestRegisters().x(1, 0x4000_0001L));
        assertEquals(1, a.alignment());
        assertFalse(a.misaligned());
    }

    @Test
    void orderedAndExclusiveAccessesMustBeNaturallyAligned() {
        // c8dffc20  ldar x0, [x1] ; 885f7c20  ldxr w0, [x1]
        TestRegisters regs = new TestRegisters().x(1, 0x4000_0004L);
        assertTrue(decode(0xc8dffc20, regs).misaligned());
        assertFalse(decode(0x885f7c20, regs).misaligned());
    }

    @Test
    void recordRejectsInconsistentAccesses() {
        assertThrows(IllegalArgumentException.class,
                () -> new DataAccess("ldr", 0, 0, 0, true, false, 1, false, false, false, false, false, false, false));
        assertThrows(IllegalArgumentException.class,
                () -> new DataAccess("ldr", 0, 0, 8, true, false, 3, false, false, false, false, false, false, false));
        assertThrows(IllegalArgumentException.class,
                () -> new DataAccess("dc", 0, 0, 1, true, false, 1, true, false, false, false, false, false, false));
        assertThrows(IllegalArgumentException.class,
                () -> new DataAccess("x", 0, 0, 8, false, false, 1, false, false, false, false, false, false, false));
        assertThrows(IllegalArgumentException.class,
                () -> new DataAccess("dc zva", 0x1000, 0x1040, 64, false, true, 1, false, false, false, false, false, false, false));
    }
}
