package dev.aarvark.emulator.cpu.decode;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Guest code can contain any word: decoding must never throw. Sweeps every combination of bits
 * [31:10] (all opcode, size, mode and offset fields) with Rt = 0 and Rt = 31, and Rn = 1.
 */
class DecoderRobustnessTest {
    private static final RegisterReader ANY = new RegisterReader() {
        @Override
        public long x(int n) {
            if (n < 0 || n > 30) {
                throw new AssertionError("decoder asked for X" + n);
            }
            return 0x0123_4567_89ab_cdefL * (n + 1);
        }

        @Override
        public long sp() {
            return 0xffff_8000_0000_7ff0L;
        }
    };

    @Test
    void everyEncodingDecodesToAnAccessOrNullWithoutThrowing() {
        LoadStoreDecoder decoder = new LoadStoreDecoder();
        int accesses = 0;
        for (int high = 0; high < (1 << 22); high++) {
            for (int rt : new int[] {0, 31}) {
                int insn = (high << 10) | (1 << 5) | rt;
                try {
                    if (decoder.decode(insn, 0x4000_0000L, ANY) != null) {
                        accesses++;
                    }
                    SystemInsn.decode(insn);
                } catch (RuntimeException | AssertionError e) {
                    fail(String.format("word %08x: %s", insn, e), e);
                }
            }
        }
        // Sanity: the sweep really went through the load/store space (about 1/4 of all words are in it).
        assertTrue(accesses > 1_000_000, "only " + accesses + " accesses decoded");
    }
}
