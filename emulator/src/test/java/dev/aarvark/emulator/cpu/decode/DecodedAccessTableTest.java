package dev.aarvark.emulator.cpu.decode;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * Every load/store class decoded from encodings produced by GNU as 2.40
 * ({@code aarch64-linux-gnu-as -march=armv8.7-a+lse+rcpc+ls64}, read back with objdump).
 *
 * <p>Columns: word | assembly | mnemonic | base register (31 = SP) | offset from the base that FAR
 * must report | total bytes | R, W, RW (read-modify-write) or P (prefetch) | required alignment |
 * flags: X exclusive, A acquire/release, T LSE atomic, U unprivileged, V SIMD&amp;FP.
 */
class DecodedAccessTableTest {
    private static final long X0 = 0x0000_0000_4000_0000L;
    private static final long X1 = 0x0000_0000_4010_0000L;
    private static final long X2 = 0x0000_0000_4020_0000L;
    private static final long X4 = 0x0000_0000_4040_0000L;
    private static final long SP = 0xFFFF_8000_0800_FF00L;

    private static final TestRegisters REGS = new TestRegisters().x(0, X0).x(1, X1).x(2, X2).x(4, X4).sp(SP);

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            f9400020 | ldr x0, [x1]                       | ldr      | 1  |    0 |  8 | R  |  1 | -
            f94007e0 | ldr x0, [sp, #8]                   | ldr      | 31 |    8 |  8 | R  |  1 | -
            b94ffc23 | ldr w3, [x1, #4092]                | ldr      | 1  | 4092 |  4 | R  |  1 | -
            397ffc20 | ldrb w0, [x1, #4095]               | ldrb     | 1  | 4095 |  1 | R  |  1 | -
            79400420 | ldrh w0, [x1, #2]                  | ldrh     | 1  |    2 |  2 | R  |  1 | -
            39800420 | ldrsb x0, [x1, #1]                 | ldrsb    | 1  |    1 |  1 | R  |  1 | -
            39c00420 | ldrsb w0, [x1, #1]                 | ldrsb    | 1  |    1 |  1 | R  |  1 | -
            79800420 | ldrsh x0, [x1, #2]                 | ldrsh    | 1  |    2 |  2 | R  |  1 | -
            79c00420 | ldrsh w0, [x1, #2]                 | ldrsh    | 1  |    2 |  2 | R  |  1 | -
            b9800420 | ldrsw x0, [x1, #4]                 | ldrsw    | 1  |    4 |  4 | R  |  1 | -
            f900001f | str xzr, [x0]                      | str      | 0  |    0 |  8 | W  |  1 | -
            39001c1f | strb wzr, [x0, #7]                 | strb     | 0  |    7 |  1 | W  |  1 | -
            79000c05 | strh w5, [x0, #6]                  | strh     | 0  |    6 |  2 | W  |  1 | -
            b9000805 | str w5, [x0, #8]                   | str      | 0  |    8 |  4 | W  |  1 | -
            f9802020 | prfm pldl1keep, [x1, #64]          | prfm     | 1  |   64 |  0 | P  |  1 | -
            f8410420 | ldr x0, [x1], #16                  | ldr      | 1  |    0 |  8 | R  |  1 | -
            f85f0c20 | ldr x0, [x1, #-16]!                | ldr      | 1  |  -16 |  8 | R  |  1 | -
            f8100420 | str x0, [x1], #-256                | str      | 1  |    0 |  8 | W  |  1 | -
            f81f0fe0 | str x0, [sp, #-16]!                | str      | 31 |  -16 |  8 | W  |  1 | -
            f85ff020 | ldur x0, [x1, #-1]                 | ldur     | 1  |   -1 |  8 | R  |  1 | -
            b80ff020 | stur w0, [x1, #255]                | stur     | 1  |  255 |  4 | W  |  1 | -
            b89fc020 | ldursw x0, [x1, #-4]               | ldursw   | 1  |   -4 |  4 | R  |  1 | -
            38500020 | ldurb w0, [x1, #-256]              | ldurb    | 1  | -256 |  1 | R  |  1 | -
            f89fd020 | prfum pldl1keep, [x1, #-3]         | prfum    | 1  |   -3 |  0 | P  |  1 | -
            f8408820 | ldtr x0, [x1, #8]                  | ldtr     | 1  |    8 |  8 | R  |  1 | U
            b81f8820 | sttr w0, [x1, #-8]                 | sttr     | 1  |   -8 |  4 | W  |  1 | U
            38400820 | ldtrb w0, [x1]                     | ldtrb    | 1  |    0 |  1 | R  |  1 | U
            78402820 | ldtrh w0, [x1, #2]                 | ldtrh    | 1  |    2 |  2 | R  |  1 | U
            38800820 | ldtrsb x0, [x1]                    | ldtrsb   | 1  |    0 |  1 | R  |  1 | U
            78c00820 | ldtrsh w0, [x1]                    | ldtrsh   | 1  |    0 |  2 | R  |  1 | U
            b8804820 | ldtrsw x0, [x1, #4]                | ldtrsw   | 1  |    4 |  4 | R  |  1 | U
            38000820 | sttrb w0, [x1]                     | sttrb    | 1  |    0 |  1 | W  |  1 | U
            78000820 | sttrh w0, [x1]                     | sttrh    | 1  |    0 |  2 | W  |  1 | U
            f83f6820 | str x0, [x1, xzr]                  | str      | 1  |    0 |  8 | W  |  1 | -
            3d400420 | ldr b0, [x1, #1]                   | ldr      | 1  |    1 |  1 | R  |  1 | V
            7d400420 | ldr h0, [x1, #2]                   | ldr      | 1  |    2 |  2 | R  |  1 | V
            bd400420 | ldr s0, [x1, #4]                   | ldr      | 1  |    4 |  4 | R  |  1 | V
            fd400420 | ldr d0, [x1, #8]                   | ldr      | 1  |    8 |  8 | R  |  1 | V
            3dc00420 | ldr q0, [x1, #16]                  | ldr      | 1  |   16 | 16 | R  |  1 | V
            3c9f0c21 | str q1, [x1, #-16]!                | str      | 1  |  -16 | 16 | W  |  1 | V
            fc008421 | str d1, [x1], #8                   | str      | 1  |    0 |  8 | W  |  1 | V
            3cdff020 | ldur q0, [x1, #-1]                 | ldur     | 1  |   -1 | 16 | R  |  1 | V
            3c003020 | stur b0, [x1, #3]                  | stur     | 1  |    3 |  1 | W  |  1 | V
            3dfffc20 | ldr q0, [x1, #65520]               | ldr      | 1  |65520 | 16 | R  |  1 | V
            a9400440 | ldp x0, x1, [x2]                   | ldp      | 2  |    0 | 16 | R  |  1 | -
            a9600440 | ldp x0, x1, [x2, #-512]            | ldp      | 2  | -512 | 16 | R  |  1 | -
            a9bf7bfd | stp x29, x30, [sp, #-16]!          | stp      | 31 |  -16 | 16 | W  |  1 | -
            a8c17bfd | ldp x29, x30, [sp], #16            | ldp      | 31 |    0 | 16 | R  |  1 | -
            295f8440 | ldp w0, w1, [x2, #252]             | ldp      | 2  |  252 |  8 | R  |  1 | -
            69410440 | ldpsw x0, x1, [x2, #8]             | ldpsw    | 2  |    8 |  8 | R  |  1 | -
            a8410440 | ldnp x0, x1, [x2, #16]             | ldnp     | 2  |   16 | 16 | R  |  1 | -
            283f8440 | stnp w0, w1, [x2, #-4]             | stnp     | 2  |   -4 |  8 | W  |  1 | -
            adff0400 | ldp q0, q1, [x0, #-32]!            | ldp      | 0  |  -32 | 32 | R  |  1 | V
            2d008400 | stp s0, s1, [x0, #4]               | stp      | 0  |    4 |  8 | W  |  1 | V
            6cff0400 | ldp d0, d1, [x0], #-16             | ldp      | 0  |    0 | 16 | R  |  1 | V
            ac410400 | ldnp q0, q1, [x0, #32]             | ldnp     | 0  |   32 | 32 | R  |  1 | V
            c85f7c20 | ldxr x0, [x1]                      | ldxr     | 1  |    0 |  8 | R  |  8 | X
            085f7c20 | ldxrb w0, [x1]                     | ldxrb    | 1  |    0 |  1 | R  |  1 | X
            485f7c20 | ldxrh w0, [x1]                     | ldxrh    | 1  |    0 |  2 | R  |  2 | X
            885f7c20 | ldxr w0, [x1]                      | ldxr     | 1  |    0 |  4 | R  |  4 | X
            c8027c20 | stxr w2, x0, [x1]                  | stxr     | 1  |    0 |  8 | W  |  8 | X
            8802fc20 | stlxr w2, w0, [x1]                 | stlxr    | 1  |    0 |  4 | W  |  4 | XA
            c85fffe0 | ldaxr x0, [sp]                     | ldaxr    | 31 |    0 |  8 | R  |  8 | XA
            0802fc20 | stlxrb w2, w0, [x1]                | stlxrb   | 1  |    0 |  1 | W  |  1 | XA
            c87f0440 | ldxp x0, x1, [x2]                  | ldxp     | 2  |    0 | 16 | R  | 16 | X
            c87f8440 | ldaxp x0, x1, [x2]                 | ldaxp    | 2  |    0 | 16 | R  | 16 | XA
            887f0440 | ldxp w0, w1, [x2]                  | ldxp     | 2  |    0 |  8 | R  |  8 | X
            c8230440 | stxp w3, x0, x1, [x2]              | stxp     | 2  |    0 | 16 | W  | 16 | X
            88238440 | stlxp w3, w0, w1, [x2]             | stlxp    | 2  |    0 |  8 | W  |  8 | XA
            c8dffc20 | ldar x0, [x1]                      | ldar     | 1  |    0 |  8 | R  |  8 | A
            08dffc20 | ldarb w0, [x1]                     | ldarb    | 1  |    0 |  1 | R  |  1 | A
            48dffc20 | ldarh w0, [x1]                     | ldarh    | 1  |    0 |  2 | R  |  2 | A
            889ffc20 | stlr w0, [x1]                      | stlr     | 1  |    0 |  4 | W  |  4 | A
            089ffc20 | stlrb w0, [x1]                     | stlrb    | 1  |    0 |  1 | W  |  1 | A
            489ffc20 | stlrh w0, [x1]                     | stlrh    | 1  |    0 |  2 | W  |  2 | A
            c8df7c20 | ldlar x0, [x1]                     | ldlar    | 1  |    0 |  8 | R  |  8 | A
            889f7c20 | stllr w0, [x1]                     | stllr    | 1  |    0 |  4 | W  |  4 | A
            f8bfc020 | ldapr x0, [x1]                     | ldapr    | 1  |    0 |  8 | R  |  8 | A
            38bfc020 | ldaprb w0, [x1]                    | ldaprb   | 1  |    0 |  1 | R  |  1 | A
            78bfc020 | ldaprh w0, [x1]                    | ldaprh   | 1  |    0 |  2 | R  |  2 | A
            d95f8020 | ldapur x0, [x1, #-8]               | ldapur   | 1  |   -8 |  8 | R  |  8 | A
            99003020 | stlur w0, [x1, #3]                 | stlur    | 1  |    3 |  4 | W  |  4 | A
            99804020 | ldapursw x0, [x1, #4]              | ldapursw | 1  |    4 |  4 | R  |  4 | A
            19c00020 | ldapursb w0, [x1]                  | ldapursb | 1  |    0 |  1 | R  |  1 | A
            f8200041 | ldadd x0, x1, [x2]                 | ldadd    | 2  |    0 |  8 | RW |  8 | T
            b8a00041 | ldadda w0, w1, [x2]                | ldadda   | 2  |    0 |  4 | RW |  4 | TA
            b8600041 | ldaddl w0, w1, [x2]                | ldaddl   | 2  |    0 |  4 | RW |  4 | TA
            f8e00041 | ldaddal x0, x1, [x2]               | ldaddal  | 2  |    0 |  8 | RW |  8 | TA
            38200041 | ldaddb w0, w1, [x2]                | ldaddb   | 2  |    0 |  1 | RW |  1 | T
            78200041 | ldaddh w0, w1, [x2]                | ldaddh   | 2  |    0 |  2 | RW |  2 | T
            f8201041 | ldclr x0, x1, [x2]                 | ldclr    | 2  |    0 |  8 | RW |  8 | T
            f8202041 | ldeor x0, x1, [x2]                 | ldeor    | 2  |    0 |  8 | RW |  8 | T
            f8203041 | ldset x0, x1, [x2]                 | ldset    | 2  |    0 |  8 | RW |  8 | T
            f8204041 | ldsmax x0, x1, [x2]                | ldsmax   | 2  |    0 |  8 | RW |  8 | T
            f8205041 | ldsmin x0, x1, [x2]                | ldsmin   | 2  |    0 |  8 | RW |  8 | T
            f8206041 | ldumax x0, x1, [x2]                | ldumax   | 2  |    0 |  8 | RW |  8 | T
            78e07041 | lduminalh w0, w1, [x2]             | lduminalh| 2  |    0 |  2 | RW |  2 | TA
            f820005f | stadd x0, [x2]                     | stadd    | 2  |    0 |  8 | RW |  8 | T
            b860005f | staddl w0, [x2]                    | staddl   | 2  |    0 |  4 | RW |  4 | TA
            f8208041 | swp x0, x1, [x2]                   | swp      | 2  |    0 |  8 | RW |  8 | T
            38e08041 | swpalb w0, w1, [x2]                | swpalb   | 2  |    0 |  1 | RW |  1 | TA
            c8a07c41 | cas x0, x1, [x2]                   | cas      | 2  |    0 |  8 | RW |  8 | T
            88e07c41 | casa w0, w1, [x2]                  | casa     | 2  |    0 |  4 | RW |  4 | TA
            c8a0fc41 | casl x0, x1, [x2]                  | casl     | 2  |    0 |  8 | RW |  8 | TA
            c8e0fc41 | casal x0, x1, [x2]                 | casal    | 2  |    0 |  8 | RW |  8 | TA
            08a07c41 | casb w0, w1, [x2]                  | casb     | 2  |    0 |  1 | RW |  1 | T
            48a0fc41 | caslh w0, w1, [x2]                 | caslh    | 2  |    0 |  2 | RW |  2 | TA
            48207c82 | casp x0, x1, x2, x3, [x4]          | casp     | 4  |    0 | 16 | RW | 16 | T
            0860fc82 | caspal w0, w1, w2, w3, [x4]        | caspal   | 4  |    0 |  8 | RW |  8 | TA
            f83fd020 | ld64b x0, [x1]                     | ld64b    | 1  |    0 | 64 | R  | 64 | -
            f83f9020 | st64b x0, [x1]                     | st64b    | 1  |    0 | 64 | W  | 64 | -
            f822b020 | st64bv x2, x0, [x1]                | st64bv   | 1  |    0 | 64 | W  | 64 | -
            4c407000 | ld1 {v0.16b}, [x0]                 | ld1      | 0  |    0 | 16 | R  |  1 | V
            0c40a000 | ld1 {v0.8b, v1.8b}, [x0]           | ld1      | 0  |    0 | 16 | R  |  1 | V
            4c406800 | ld1 {v0.4s-v2.4s}, [x0]            | ld1      | 0  |    0 | 48 | R  |  1 | V
            4c402c00 | ld1 {v0.2d-v3.2d}, [x0]            | ld1      | 0  |    0 | 64 | R  |  1 | V
            0c9f7000 | st1 {v0.8b}, [x0], #8              | st1      | 0  |    0 |  8 | W  |  1 | V
            4c857000 | st1 {v0.16b}, [x0], x5             | st1      | 0  |    0 | 16 | W  |  1 | V
            4c408400 | ld2 {v0.8h, v1.8h}, [x0]           | ld2      | 0  |    0 | 32 | R  |  1 | V
            4cdf4800 | ld3 {v0.4s-v2.4s}, [x0], #48       | ld3      | 0  |    0 | 48 | R  |  1 | V
            4cdf0000 | ld4 {v0.16b-v3.16b}, [x0], #64     | ld4      | 0  |    0 | 64 | R  |  1 | V
            0c000000 | st4 {v0.8b-v3.8b}, [x0]            | st4      | 0  |    0 | 32 | W  |  1 | V
            0c008be0 | st2 {v0.2s, v1.2s}, [sp]           | st2      | 31 |    0 | 16 | W  |  1 | V
            4c004000 | st3 {v0.16b-v2.16b}, [x0]          | st3      | 0  |    0 | 48 | W  |  1 | V
            0d409000 | ld1 {v0.s}[1], [x0]                | ld1      | 0  |    0 |  4 | R  |  1 | V
            4d401c00 | ld1 {v0.b}[15], [x0]               | ld1      | 0  |    0 |  1 | R  |  1 | V
            0ddf5800 | ld1 {v0.h}[3], [x0], #2            | ld1      | 0  |    0 |  2 | R  |  1 | V
            4dc38400 | ld1 {v0.d}[1], [x0], x3            | ld1      | 0  |    0 |  8 | R  |  1 | V
            0d008400 | st1 {v0.d}[0], [x0]                | st1      | 0  |    0 |  8 | W  |  1 | V
            4d609000 | ld2 {v0.s, v1.s}[3], [x0]          | ld2      | 0  |    0 |  8 | R  |  1 | V
            4d9f7800 | st3 {v0.h-v2.h}[7], [x0], #6       | st3      | 0  |    0 |  6 | W  |  1 | V
            4d60a400 | ld4 {v0.d-v3.d}[1], [x0]           | ld4      | 0  |    0 | 32 | R  |  1 | V
            4d40c800 | ld1r {v0.4s}, [x0]                 | ld1r     | 0  |    0 |  4 | R  |  1 | V
            4dffc400 | ld2r {v0.8h, v1.8h}, [x0], #4      | ld2r     | 0  |    0 |  4 | R  |  1 | V
            0d40e000 | ld3r {v0.8b-v2.8b}, [x0]           | ld3r     | 0  |    0 |  3 | R  |  1 | V
            4ddfec00 | ld3r {v0.2d-v2.2d}, [x0], #24      | ld3r     | 0  |    0 | 24 | R  |  1 | V
            4de9e800 | ld4r {v0.4s-v3.4s}, [x0], x9       | ld4r     | 0  |    0 | 16 | R  |  1 | V
            """)
    void decodesAddressSizeDirectionAlignmentAndFlags(String word, String assembly, String mnemonic, int base,
            long offset, int size, String direction, int alignment, String flags) {
        DataAccess a = new LoadStoreDecoder().decode((int) Long.parseLong(word, 16), 0, REGS);
        assertNotNull(a, assembly);
        long baseValue = switch (base) {
            case 0 -> X0;
            case 1 -> X1;
            case 2 -> X2;
            case 4 -> X4;
            case 31 -> SP;
            default -> throw new IllegalArgumentException("no test value for base X" + base);
        };
        assertAll(assembly,
                () -> assertEquals(mnemonic, a.mnemonic(), "mnemonic"),
                () -> assertEquals(baseValue + offset, a.address(), "FAR address"),
                () -> assertEquals(a.address(), a.accessStart(), "first byte"),
                () -> assertEquals(size, a.size(), "size"),
                () -> assertEquals(direction.contains("R"), a.read(), "read"),
                () -> assertEquals(direction.contains("W"), a.write(), "write"),
                () -> assertEquals(direction.equals("P"), a.prefetch(), "prefetch"),
                () -> assertEquals(alignment, a.alignment(), "alignment"),
                () -> assertEquals(flags.contains("X"), a.exclusive(), "exclusive"),
                () -> assertEquals(flags.contains("A"), a.acquireRelease(), "acquire/release"),
                () -> assertEquals(flags.contains("T"), a.atomic(), "atomic"),
                () -> assertEquals(flags.contains("U"), a.unprivileged(), "unprivileged"),
                () -> assertEquals(flags.contains("V"), a.simd(), "simd"),
                () -> assertEquals(false, a.cacheMaintenance(), "cache maintenance"),
                () -> assertEquals(direction.equals("W") || direction.equals("RW"), a.wnr(), "WnR"));
    }
}
