package dev.aarvark.emulator.cpu.decode;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Load register (literal). The words come from one assembled file in which {@code label_back} is at
 * offset 0x0 and {@code label_fwd} at 0x2a4; each case sets PC to the instruction's own offset.
 */
class LiteralLoadDecodingTest {
    private static final long TEXT = 0xffff_8000_1000_0000L;
    private static final long LABEL_BACK = TEXT;
    private static final long LABEL_FWD = TEXT + 0x2a4;
    private static final TestRegisters NO_REGISTERS = new TestRegisters();

    private static DataAccess decode(int insn, int offset) {
        return new LoadStoreDecoder().decode(insn, TEXT + offset, NO_REGISTERS);
    }

    @Test
    void negativeLiteralOffsetAddsToPc() {
        // 1f0: 58fff080  ldr x0, label_back
        DataAccess a = decode(0x58fff080, 0x1f0);
        assertEquals(LABEL_BACK, a.address());
        assertEquals(8, a.size());
        assertEquals("ldr", a.mnemonic());
        assertTrue(a.read());
    }

    @Test
    void positiveLiteralOffsetAddsToPc() {
        // 1f4: 18000580  ldr w0, label_fwd
        DataAccess a = decode(0x18000580, 0x1f4);
        assertEquals(LABEL_FWD, a.address());
        assertEquals(4, a.size());
    }

    @Test
    void ldrswLiteralLoadsFourBytes() {
        // 1f8: 98fff040  ldrsw x0, label_back
        DataAccess a = decode(0x98fff040, 0x1f8);
        assertEquals(LABEL_BACK, a.address());
        assertEquals(4, a.size());
        assertEquals("ldrsw", a.mnemonic());
    }

    @Test
    void prfmLiteralIsAPrefetch() {
        // 1fc: d8fff020  prfm pldl1keep, label_back
        DataAccess a = decode(0xd8fff020, 0x1fc);
        assertTrue(a.prefetch());
        assertEquals(LABEL_BACK, a.address());
        assertFalse(a.wnr());
    }

    @Test
    void simdLiteralLoadsSDAndQ() {
        // 200: 1c000520  ldr s0, label_fwd ; 204: 5c000500  ldr d0, label_fwd ; 208: 9cffefc0  ldr q0, label_back
        DataAccess s = decode(0x1c000520, 0x200);
        DataAccess d = decode(0x5c000500, 0x204);
        DataAccess q = decode(0x9cffefc0, 0x208);
        assertEquals(LABEL_FWD, s.address());
        assertEquals(4, s.size());
        assertEquals(LABEL_FWD, d.address());
        assertEquals(8, d.size());
        assertEquals(LABEL_BACK, q.address());
        assertEquals(16, q.size());
        assertTrue(s.simd() && d.simd() && q.simd());
    }
}
