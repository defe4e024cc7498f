package dev.aarvark.emulator.boot;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Raw binaries, placed as QEMU 7.2 places them (checked with {@code info roms}). */
class RawImageLoaderTest extends LoaderTestSupport {
    @Test
    void rawBinaryLoadsAt512KiBWithTheDtbWhereQemuPutsIt() throws IOException {
        byte[] code = pattern(0x1000, 5);

        BootPlan plan = boot(file("raw.bin", code), null);

        assertEquals(KernelFormat.RAW, plan.format());
        assertEquals(0x4008_0000L, plan.entryPc());
        assertArrayEquals(code, bytes(0x4008_0000L, code.length));
        assertEquals(0x4800_0000L, plan.dtbAddress(), "QEMU 7.2: addr=0x48000000 name=\"dtb\"");
        assertEquals(EntryRegisters.withDtb(0x4800_0000L), plan.registers());
        assertEquals("console=ttyAMA0", dtbInRam(plan).find("/chosen").orElseThrow().property("bootargs").orElseThrow().asString());
    }

    @Test
    void rawBinaryWithInitrdMatchesQemu() throws IOException {
        BootPlan plan = boot(file("raw.bin", pattern(0x1000, 5)), file("initrd.img", pattern(0x139e3d, 9)));

        assertEquals(Optional.of(new PhysicalRange(0x4800_0000L, 0x4813_9e3dL)), plan.initrd());
        assertEquals(0x4820_0000L, plan.dtbAddress());
    }
}
