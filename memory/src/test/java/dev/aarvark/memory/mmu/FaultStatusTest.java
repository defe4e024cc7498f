package dev.aarvark.memory.mmu;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The DFSC/IFSC values against the Arm ARM's ESR_ELx ISS table. */
class FaultStatusTest {
    @ParameterizedTest(name = "{0} level {1} = 0x{2}")
    @CsvSource({
            "ADDRESS_SIZE, 0, 00", "ADDRESS_SIZE, 1, 01", "ADDRESS_SIZE, 2, 02", "ADDRESS_SIZE, 3, 03",
            "TRANSLATION, 0, 04", "TRANSLATION, 1, 05", "TRANSLATION, 2, 06", "TRANSLATION, 3, 07",
            "ACCESS_FLAG, 1, 09", "ACCESS_FLAG, 2, 0a", "ACCESS_FLAG, 3, 0b",
            "PERMISSION, 1, 0d", "PERMISSION, 2, 0e", "PERMISSION, 3, 0f",
            "EXTERNAL_ABORT_ON_WALK, 0, 14", "EXTERNAL_ABORT_ON_WALK, 1, 15",
            "EXTERNAL_ABORT_ON_WALK, 2, 16", "EXTERNAL_ABORT_ON_WALK, 3, 17"})
    void walkFaultCodesMatchTheArmArmTable(FaultKind kind, int level, String hex) {
        assertEquals(Integer.parseInt(hex, 16), FaultStatus.of(kind, level));
    }

    @Test
    void nonWalkCodesAreAlignment0x21AndExternalAbort0x10() {
        assertEquals(0x21, FaultStatus.ALIGNMENT);
        assertEquals(0x10, FaultStatus.SYNCHRONOUS_EXTERNAL_ABORT);
    }

    @Test
    void levelZeroAccessFlagAndPermissionCodesAreReservedInArmv80() {
        assertThrows(IllegalArgumentException.class, () -> FaultStatus.of(FaultKind.ACCESS_FLAG, 0));
        assertThrows(IllegalArgumentException.class, () -> FaultStatus.of(FaultKind.PERMISSION, 0));
    }

    @Test
    void levelsOutsideZeroToThreeAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> FaultStatus.of(FaultKind.TRANSLATION, 4));
        assertThrows(IllegalArgumentException.class, () -> FaultStatus.of(FaultKind.TRANSLATION, -1));
    }

    @Test
    void describeNamesKindAndLevel() {
        assertEquals("translation fault, level 3", FaultStatus.describe(0x07));
        assertEquals("synchronous external abort on translation table walk, level 1", FaultStatus.describe(0x15));
        assertEquals("alignment fault", FaultStatus.describe(0x21));
        assertTrue(FaultStatus.describe(0x3f).startsWith("unknown"));
    }

    @Test
    void faultRecordRejectsALevelItsKindCannotHave() {
        assertThrows(IllegalArgumentException.class, () -> new TranslationFault(FaultKind.PERMISSION, 0, 0,
                AccessKind.READ, false, TranslationFault.NO_DESCRIPTOR, 0));
    }

    @Test
    void faultDescriptionCarriesFscVaAndDescriptor() {
        TranslationFault fault = new TranslationFault(FaultKind.PERMISSION, 3, 0x1000, AccessKind.WRITE, true,
                0x4000_3008L, 0x4010_00c3L);
        assertEquals("permission fault, level 3 (FSC 0xf) on EL0 write of VA 0x1000, descriptor at PA 0x40003008"
                + " = 0x401000c3", fault.describe());
    }
}
