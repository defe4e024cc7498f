package dev.aarvark.devices.uart;

import dev.aarvark.devices.RegisterError;
import static dev.aarvark.devices.uart.Pl011Registers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class Pl011IdentificationTest {
    private final Pl011Harness h = new Pl011Harness();

    /** Linux's amba_read_periphid: low byte of each word, little-endian into one value. */
    private long assemble(int first) {
        long id = 0;
        for (int i = 0; i < 4; i++) {
            id |= (h.read(first + 4 * i) & 0xFFL) << (8 * i);
        }
        return id;
    }

    @Test
    void idRegistersHoldQemuArmPl011Values() {
        int[] expected = {0x11, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1};
        for (int i = 0; i < expected.length; i++) {
            int offset = 0xFE0 + 4 * i;
            assertEquals(expected[i], h.read(offset), "ID word " + offset);
        }
    }

    @Test
    void ambaBusSeesPl011PartFromArmRevision1AndPrimeCellId() {
        long periphId = assemble(0xFE0);
        assertEquals(0x00141011L, periphId);
        assertEquals(0x011, periphId & 0xFFF, "part number");
        assertEquals(0x41, (periphId >> 12) & 0xFF, "designer ARM");
        assertEquals(1, (periphId >> 20) & 0xF, "revision: amba-pl011 uses 16-entry FIFOs below 3");
        assertEquals(0xB105F00DL, assemble(0xFF0));
    }

    @Test
    void idRegistersReadTheSameWithByteAndHalfwordAccesses() {
        assertEquals(0x14, h.uart.read(0xFE8, 1));
        assertEquals(0xB1, h.uart.read(0xFFC, 2));
        assertEquals(0, h.uart.read(0xFFD, 1), "upper byte lanes of an ID word are zero");
    }

    @Test
    void writingAnIdRegisterIsAGuestErrorAndChangesNothing() {
        long before = h.errors(RegisterError.WRITE_READ_ONLY);
        h.write(PERIPH_ID0, 0xFF);
        assertEquals(before + 1, h.errors(RegisterError.WRITE_READ_ONLY));
        assertEquals(0x11, h.read(PERIPH_ID0));
    }
}
