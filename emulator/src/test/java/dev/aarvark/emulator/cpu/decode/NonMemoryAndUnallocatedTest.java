package dev.aarvark.emulator.cpu.decode;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertNull;

/** Instructions that make no data access, and unallocated load/store encodings, decode to null. */
class NonMemoryAndUnallocatedTest {
    private static final TestRegisters REGS = new TestRegisters()
            .x(0, 0x4000_0000L).x(1, 0x4010_0000L).x(2, 0x20).x(4, 0x4040_0000L).x(5, 0x4000_1000L).sp(0x4080_0000L);

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            8b020020 | add x0, x1, x2
            17ffff56 | b label
            d5380000 | mrs x0, midr_el1
            d5181000 | msr sctlr_el1, x0
            d503201f | nop
            d4000001 | svc #0
            d4000002 | hvc #0
            d503207f | wfi
            d2800020 | mov x0, #1
            d65f03c0 | ret
            d69f03e0 | eret
            00000000 | udf #0
            d5033bbf | dmb ish
            f8201420 | ldraa x0, [x1, #8]          (FEAT_PAuth, not decoded)
            69000440 | stgp x0, x1, [x2]           (FEAT_MTE, not decoded)
            b9c00020 | ldr size=10 opc=11 unsigned immediate (unallocated)
            0c408c00 | ld2 {v0.1d, v1.1d}, [x0]    (reserved arrangement)
            48217c82 | casp with odd Rs (UNDEFINED)
            c8a00041 | cas with Rt2 != 11111 (unallocated)
            f822b021 | st64bv with odd Rt (UNDEFINED)
            f83fd038 | ld64b with Rt = 24 (UNDEFINED)
            4d40d800 | ld1r with S = 1 (unallocated)
            f8800420 | prfm post-index (unallocated)
            3c400820 | ldtr b0 (no SIMD unprivileged form)
            f8620820 | ldr register offset, option 000 (unallocated)
            dc000000 | ldr literal V=1 opc=11 (unallocated)
            0c401000 | ld1 multiple, opcode 0001 (unallocated)
            0c417000 | ld1 no-offset form with Rm != 0 (unallocated)
            """)
    void decodesToNull(String word, String description) {
        assertNull(new LoadStoreDecoder().decode((int) Long.parseLong(word, 16), 0x4000_0000L, REGS), description);
    }
}
