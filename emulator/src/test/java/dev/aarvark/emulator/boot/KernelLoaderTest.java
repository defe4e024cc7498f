package dev.aarvark.emulator.boot;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The front door: format by content, and the file problems every loader shares. */
class KernelLoaderTest extends LoaderTestSupport {
    @Test
    void theFormatIsTakenFromTheContentNotTheFileName() throws IOException {
        TestElf elf = new TestElf().entry(0x4008_0000L);
        elf.segment(0x4008_0000L, pattern(0x100, 1));

        assertEquals(KernelFormat.ELF, boot(file("Image", elf.build()), null).format());
        assertEquals(KernelFormat.LINUX_IMAGE, boot(file("kernel.elf", linuxImage(0, MIB, 0, 0x100, true)), null).format());
        assertEquals(KernelFormat.RAW, boot(file("vmlinux", pattern(0x100, 1)), null).format());
    }

    @Test
    void detectRecognisesElfImageGzipAndRaw() {
        assertEquals(KernelFormat.ELF, KernelFormat.detect(new byte[] {0x7f, 'E', 'L', 'F', 2}));
        assertEquals(KernelFormat.LINUX_IMAGE, KernelFormat.detect(linuxImage(0, 0, 0, 64, false)));
        assertEquals(KernelFormat.LINUX_IMAGE, KernelFormat.detect(linuxImage(0, 0, 0, 64, true)), "an EFI stub's MZ does not matter");
        assertEquals(KernelFormat.GZIP, KernelFormat.detect(new byte[] {0x1f, (byte) 0x8b, 8}));
        assertEquals(KernelFormat.RAW, KernelFormat.detect(new byte[] {0x7f, 'E', 'L'}), "too short for the ELF magic");
        assertEquals(KernelFormat.RAW, KernelFormat.detect(java.util.Arrays.copyOf(linuxImage(0, 0, 0, 64, false), 59)),
                "too short for the Image magic");
        assertEquals(KernelFormat.RAW, KernelFormat.detect(new byte[] {(byte) 0xd5, 0x03, 0x20, 0x1f}));
    }

    @Test
    void aMissingKernelIsNamed() {
        Path missing = dir.resolve("no-such-kernel");

        assertOneLine(bootFails(missing, null), "kernel " + missing + ": no such file");
    }

    @Test
    void anEmptyKernelIsRefused() throws IOException {
        Path empty = file("empty.bin", new byte[0]);

        assertOneLine(bootFails(empty, null), "kernel " + empty + ": empty file");
    }

    @Test
    void aDirectoryIsNotAKernel() {
        assertOneLine(bootFails(dir, null), "kernel " + dir + ": is a directory, not a file");
    }

    @Test
    void aFileTheSystemCannotOpenIsRefusedWithTheSystemsReason() throws IOException {
        Path loop = dir.resolve("loop");
        Files.createSymbolicLink(loop, loop);

        BootImageException e = bootFails(loop, null);

        assertTrue(e.getMessage().startsWith("kernel " + loop + ": cannot read: Too many levels of symbolic links"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count());
    }

    @Test
    void aMissingOrEmptyInitrdIsNamedAsTheInitrd() throws IOException {
        Path kernel = file("raw.bin", pattern(0x100, 1));
        Path missing = dir.resolve("no-initrd");
        Path empty = file("empty.cpio", new byte[0]);

        assertOneLine(bootFails(kernel, missing), "initrd " + missing + ": no such file");
        assertOneLine(bootFails(kernel, empty), "initrd " + empty + ": empty file");
        assertRamUntouched();
    }

    @Test
    void aUserDtbCanStandInForTheGeneratedOne() throws IOException {
        Path dtb = file("board.dtb", Dtc.compile(Dtc.resource("user-tree.dts")));
        DtbFactory user = UserDeviceTree.read(dtb).factory(ram.base(), ram.size(), "root=/dev/vda");

        BootPlan plan = KernelLoader.load(ram, new BootRequest(file("raw.bin", pattern(0x100, 1)), Optional.empty(), user));

        Fdt inRam = dtbInRam(plan);
        assertEquals("root=/dev/vda", inRam.find("/chosen").orElseThrow().property("bootargs").orElseThrow().asString());
        assertEquals("Acme test board", inRam.root().property("model").orElseThrow().asString());
    }

    @Test
    void aDtbFactoryProducingMoreThan2MiBIsRefused() throws IOException {
        DtbFactory huge = new DtbFactory() {
            @Override
            public String source() {
                return "huge.dtb";
            }

            @Override
            public byte[] create(Optional<PhysicalRange> initrd) {
                Fdt fdt = new Fdt();
                fdt.root().bytes("filler", new byte[(int) (2 * MIB)]);
                return fdt.toDtb();
            }
        };
        Path kernel = file("raw.bin", pattern(0x100, 1));

        BootImageException e = assertThrows(BootImageException.class,
                () -> KernelLoader.load(ram, new BootRequest(kernel, Optional.empty(), huge)));

        int size = huge.create(Optional.empty()).length;
        assertEquals("dtb huge.dtb: blob has " + Hex.of(size) + " bytes; a DTB must not exceed 2 MiB (booting.rst)", e.getMessage());
        assertRamUntouched();
    }
}
