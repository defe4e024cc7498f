package dev.aarvark.emulator.cpu.decode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DC ZVA (a store of one block) and cache maintenance by VA (CM = 1, WnR = 1, FAR = Xt). */
class CacheMaintenanceDecodingTest {
    private static final long UNALIGNED = 0x0000_0000_4000_1274L;

    @Test
    void dcZvaWritesTheWholeAlignedBlockButReportsXtAsFar() {
        // d50b7425  dc zva, x5
        DataAccess a = new LoadStoreDecoder().decode(0xd50b7425, 0, new TestRegisters().x(5, UNALIGNED));
        assertEquals("dc zva", a.mnemonic());
        assertEquals(UNALIGNED, a.address());
        assertEquals(0x4000_1240L, a.accessStart());
        assertEquals(64, a.size());
        assertTrue(a.write());
        assertFalse(a.read());
        assertFalse(a.cacheMaintenance(), "DC ZVA is not a cache maintenance instruction for ISS.CM");
        assertTrue(a.wnr());
        assertFalse(a.misaligned(), "DC ZVA has no alignment requirement on Xt");
    }

    @Test
    void dcZvaBlockSizeFollowsTheConfiguredDczid() {
        // d50b7425  dc zva, x5 ; DCZID_EL0.BS = 6: 64 words = 256 bytes
        DataAccess a = LoadStoreDecoder.fromDczid(6).decode(0xd50b7425, 0, new TestRegisters().x(5, UNALIGNED));
        assertEquals(256, a.size());
        assertEquals(0x4000_1200L, a.accessStart());
        assertEquals(64, LoadStoreDecoder.fromDczid(4).zvaBlockBytes());
    }

    @Test
    void dcZvaOfXzrZeroesTheBlockAtAddressZero() {
        // d50b743f  dc zva, xzr
        DataAccess a = new LoadStoreDecoder().decode(0xd50b743f, 0, new TestRegisters());
        assertEquals(0, a.address());
    }

    @Test
    void invalidZvaBlockSizesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new LoadStoreDecoder(48));
        assertThrows(IllegalArgumentException.class, () -> new LoadStoreDecoder(2));
        assertThrows(IllegalArgumentException.class, () -> new LoadStoreDecoder(4096));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', textBlock = """
            d50b7e26 | dc civac, x6 | dc civac
            d50b7a26 | dc cvac, x6  | dc cvac
            d50b7b26 | dc cvau, x6  | dc cvau
            d5087626 | dc ivac, x6  | dc ivac
            d50b7c26 | dc cvap, x6  | dc cvap
            d50b7d26 | dc cvadp, x6 | dc cvadp
            """)
    void dataCacheMaintenanceByVaReportsXtWithCmAndWnrSet(String word, String assembly, String mnemonic) {
        DataAccess a = new LoadStoreDecoder().decode((int) Long.parseLong(word, 16), 0,
                new TestRegisters().x(6, UNALIGNED));
        assertEquals(mnemonic, a.mnemonic());
        assertEquals(UNALIGNED, a.address());
        assertEquals(1, a.size());
        assertTrue(a.cacheMaintenance());
        assertFalse(a.read() || a.write());
        assertTrue(a.wnr());
    }

    @Test
    void icIvauIsCacheMaintenance() {
        // d50b7527  ic ivau, x7
        DataAccess a = new LoadStoreDecoder().decode(0xd50b7527, 0, new TestRegisters().x(7, UNALIGNED));
        assertEquals("ic ivau", a.mnemonic());
        assertEquals(UNALIGNED, a.address());
        assertTrue(a.cacheMaintenance());
        assertTrue(a.wnr());
    }

    @Test
    void operationsWithoutAFaultingVirtualAddressAreNotMemoryAccesses() {
        LoadStoreDecoder decoder = new LoadStoreDecoder();
        TestRegisters regs = new TestRegisters().x(1, UNALIGNED);
        assertNull(decoder.decode(0xd5087e41, 0, regs), "dc cisw, x1");
        assertNull(decoder.decode(0xd508751f, 0, regs), "ic iallu");
        assertNull(decoder.decode(0xd5087801, 0, regs), "at s1e1r, x1");
        assertNull(decoder.decode(0xd5088721, 0, regs), "tlbi vae1, x1");
        assertNull(decoder.decode(0xd52b7e25, 0, regs), "sysl x5, #3, c7, c14, #1");
    }
}
