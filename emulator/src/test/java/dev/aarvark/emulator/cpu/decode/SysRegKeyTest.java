package dev.aarvark.emulator.cpu.decode;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SysRegKeyTest {

    @Test
    void printsTheGenericAssemblerName() {
        assertEquals("S3_0_C12_C12_0", new SysRegKey(3, 0, 12, 12, 0).toString());
        assertEquals("S3_3_C14_C0_2", new SysRegKey(3, 3, 14, 0, 2).toString());
    }

    @Test
    void packedValueIsBits20To5OfTheInstruction() {
        // d538cc01  mrs x1, icc_iar1_el1
        SysRegKey key = SysRegKey.ofInstruction(0xd538cc01);
        assertEquals(new SysRegKey(3, 0, 12, 12, 0), key);
        assertEquals((0xd538cc01 >>> 5) & 0xffff, key.packed());
        assertEquals(0xC660, key.packed());
    }

    @Test
    void packAndUnpackRoundTripForEveryKey() {
        for (int packed = 0; packed <= 0xffff; packed++) {
            assertEquals(packed, SysRegKey.unpack(packed).packed());
        }
    }

    @Test
    void worksAsAMapKey() {
        Map<SysRegKey, String> table = new HashMap<>();
        table.put(new SysRegKey(3, 0, 12, 12, 0), "ICC_IAR1_EL1");
        assertEquals("ICC_IAR1_EL1", table.get(((MoveSysReg) SystemInsn.decode(0xd538cc01)).key()));
    }

    @Test
    void rejectsOutOfRangeFields() {
        assertThrows(IllegalArgumentException.class, () -> new SysRegKey(4, 0, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SysRegKey(3, 8, 0, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SysRegKey(3, 0, 16, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> new SysRegKey(3, 0, 0, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new SysRegKey(3, 0, 0, 0, 8));
        assertThrows(IllegalArgumentException.class, () -> SysRegKey.unpack(0x10000));
    }
}
