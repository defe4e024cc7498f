package dev.aarvark.memory.mmu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static dev.aarvark.memory.mmu.TranslationGranule.FOUR_KB;
import static dev.aarvark.memory.mmu.TranslationGranule.SIXTEEN_KB;
import static dev.aarvark.memory.mmu.TranslationGranule.SIXTY_FOUR_KB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Granule decoding, start levels and leaf sizes against the Arm ARM lookup tables. */
class TranslationGranuleTest {
    @Test
    void tg0AndTg1UseDifferentEncodings() {
        assertEquals(FOUR_KB, TranslationGranule.fromTg0(0b00));
        assertEquals(SIXTY_FOUR_KB, TranslationGranule.fromTg0(0b01));
        assertEquals(SIXTEEN_KB, TranslationGranule.fromTg0(0b10));
        assertEquals(SIXTEEN_KB, TranslationGranule.fromTg1(0b01));
        assertEquals(FOUR_KB, TranslationGranule.fromTg1(0b10));
        assertEquals(SIXTY_FOUR_KB, TranslationGranule.fromTg1(0b11));
    }

    @Test
    void reservedEncodingsChooseWhatTheCpuCoreChooses() {
        assertEquals(SIXTY_FOUR_KB, TranslationGranule.fromTg0(0b11));
        assertEquals(FOUR_KB, TranslationGranule.fromTg1(0b00));
    }

    @ParameterizedTest(name = "{0} with a {1}-bit range starts at level {2} resolving {3} bits")
    @CsvSource({
            "FOUR_KB, 48, 0, 9", "FOUR_KB, 40, 0, 1", "FOUR_KB, 39, 1, 9", "FOUR_KB, 31, 1, 1",
            "FOUR_KB, 30, 2, 9", "FOUR_KB, 25, 2, 4",
            "SIXTEEN_KB, 48, 0, 1", "SIXTEEN_KB, 47, 1, 11", "SIXTEEN_KB, 37, 1, 1", "SIXTEEN_KB, 36, 2, 11",
            "SIXTEEN_KB, 26, 2, 1", "SIXTEEN_KB, 25, 3, 11",
            "SIXTY_FOUR_KB, 48, 1, 6", "SIXTY_FOUR_KB, 43, 1, 1", "SIXTY_FOUR_KB, 42, 2, 13",
            "SIXTY_FOUR_KB, 30, 2, 1", "SIXTY_FOUR_KB, 29, 3, 13", "SIXTY_FOUR_KB, 25, 3, 9"})
    void startLevelAndItsIndexWidthFollowFromRangeAndGranule(TranslationGranule g, int inputBits, int level,
                                                            int indexBits) {
        assertEquals(level, g.startLevel(inputBits));
        assertEquals(indexBits, g.indexBits(level, inputBits));
    }

    @Test
    void leafSizesAreTheArmArmPageAndBlockSizes() {
        assertEquals(1L << 30, FOUR_KB.mappingSize(1));
        assertEquals(2L << 20, FOUR_KB.mappingSize(2));
        assertEquals(4096, FOUR_KB.mappingSize(3));
        assertEquals(32L << 20, SIXTEEN_KB.mappingSize(2));
        assertEquals(16384, SIXTEEN_KB.mappingSize(3));
        assertEquals(512L << 20, SIXTY_FOUR_KB.mappingSize(2));
        assertEquals(65536, SIXTY_FOUR_KB.mappingSize(3));
    }

    @Test
    void blocksExistAtLevelsOneAndTwoForFourKbAndOnlyLevelTwoOtherwise() {
        assertFalse(FOUR_KB.blockAllowedAt(0));
        assertTrue(FOUR_KB.blockAllowedAt(1));
        assertTrue(FOUR_KB.blockAllowedAt(2));
        assertFalse(FOUR_KB.blockAllowedAt(3));
        for (TranslationGranule g : new TranslationGranule[] {SIXTEEN_KB, SIXTY_FOUR_KB}) {
            assertFalse(g.blockAllowedAt(0));
            assertFalse(g.blockAllowedAt(1));
            assertTrue(g.blockAllowedAt(2));
            assertFalse(g.blockAllowedAt(3));
        }
    }
}
