package dev.aarvark.memory.mmu;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TranslationRegimeTest {
    @Test
    void paBitsComeFromParangeOfIdAa64Mmfr0() {
        assertEquals(40, TranslationRegime.paBitsFromIdAa64Mmfr0(0x0000_1122L)); // Cortex-A53
        assertEquals(44, TranslationRegime.paBitsFromIdAa64Mmfr0(0x0000_1124L)); // Cortex-A57/A72
        assertEquals(32, TranslationRegime.paBitsFromIdAa64Mmfr0(0));
        assertEquals(48, TranslationRegime.paBitsFromIdAa64Mmfr0(5));
        assertThrows(IllegalArgumentException.class, () -> TranslationRegime.paBitsFromIdAa64Mmfr0(6));
    }

    @Test
    void onlyArmv80PhysicalAddressSizesAreAccepted() {
        assertThrows(IllegalArgumentException.class, () -> new TranslationRegime(0, 0, 0, 0, 0, 52));
        assertThrows(IllegalArgumentException.class, () -> new TranslationRegime(0, 0, 0, 0, 0, 41));
    }

    @Test
    void outputAddressBitsAreTheSmallerOfIpsAndPaMax() {
        assertEquals(32, new TranslationRegime(0, Regs.ips(0b000), 0, 0, 0, 44).outputAddressBits());
        assertEquals(42, new TranslationRegime(0, Regs.ips(0b011), 0, 0, 0, 44).outputAddressBits());
        assertEquals(44, new TranslationRegime(0, Regs.ips(0b101), 0, 0, 0, 44).outputAddressBits());
        assertEquals(40, new TranslationRegime(0, Regs.ips(0b100), 0, 0, 0, 40).outputAddressBits());
    }

    @Test
    void sctlrBitsDecode() {
        TranslationRegime r = new TranslationRegime(Regs.SCTLR_M | Regs.SCTLR_WXN | Regs.SCTLR_EE, 0, 0, 0, 0, 40);
        assertTrue(r.mmuEnabled());
        assertTrue(r.writeImpliesExecuteNever());
        assertTrue(r.bigEndianTableWalks());
        assertFalse(r.instructionCacheEnabled());
        assertFalse(new TranslationRegime(Regs.SCTLR_I, 0, 0, 0, 0, 40).mmuEnabled());
    }
}
