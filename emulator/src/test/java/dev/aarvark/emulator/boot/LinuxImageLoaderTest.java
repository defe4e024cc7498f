package dev.aarvark.emulator.boot;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Image placement. Each successful layout here was checked against QEMU 7.2 {@code info roms} with
 * the same synthetic Image headers: text_offset 0 → 0x40200000; image_size 0 → 0x40080000;
 * text_offset 0x80000 → 0x40080000; image_size 0x9000123 → initrd 0x49201000, dtb 0x49400000.
 */
class LinuxImageLoaderTest extends LoaderTestSupport {
    private static final int INITRD_SIZE = 0x139e3d;   // initramfs-smoke.cpio.gz of qemu-layout.txt
    private static final long IMAGE_SIZE = 0x2150000;  // a 6.1 kernel's image_size: its 0x1f6dfc0-byte file plus BSS

    @Test
    void reproducesQemu72LayoutForImageWithInitrdIn512MiB() throws IOException {
        byte[] image = linuxImage(0, IMAGE_SIZE, 0b1010, 0x10000, true);
        Path kernel = file("Image", image);
        Path initrd = file("initramfs.cpio.gz", pattern(INITRD_SIZE, 3));

        BootPlan plan = boot(kernel, initrd);

        assertEquals(KernelFormat.LINUX_IMAGE, plan.format());
        assertEquals(0x4020_0000L, plan.entryPc(), "Image at RAM + 2 MiB");
        assertEquals(new PhysicalRange(0x4020_0000L, 0x4020_0000L + IMAGE_SIZE), plan.kernel());
        assertEquals(Optional.of(new PhysicalRange(0x4800_0000L, 0x4813_9e3dL)), plan.initrd());
        assertEquals(0x4820_0000L, plan.dtbAddress(), "DTB after the initrd, 2 MiB aligned");
        assertEquals(new EntryRegisters(0x4820_0000L, 0, 0, 0), plan.registers());
        assertArrayEquals(image, bytes(0x4020_0000L, image.length));
        assertArrayEquals(pattern(INITRD_SIZE, 3), bytes(0x4800_0000L, INITRD_SIZE));
        FdtNode chosen = dtbInRam(plan).find("/chosen").orElseThrow();
        assertEquals(0x4800_0000L, chosen.property("linux,initrd-start").orElseThrow().asNumber());
        assertEquals(0x4813_9e3dL, chosen.property("linux,initrd-end").orElseThrow().asNumber());
        assertEquals("console=ttyAMA0", chosen.property("bootargs").orElseThrow().asString());
        assertTrue(plan.warnings().isEmpty(), plan.warnings().toString());
        assertArrayEquals(new byte[4096], bytes(RAM, 4096), "no boot stub written at the base of RAM");
    }

    @Test
    void withoutInitrdTheDtbGoesWhereTheInitrdWouldHaveGone() throws IOException {
        BootPlan plan = boot(file("Image", linuxImage(0, IMAGE_SIZE, 0, 0x1000, false)), null);

        assertEquals(Optional.empty(), plan.initrd());
        assertEquals(0x4800_0000L, plan.dtbAddress());
        assertFalse(dtbInRam(plan).find("/chosen").orElseThrow().property("linux,initrd-start").isPresent());
    }

    @Test
    void textOffsetOf512KiBIsHonouredWithoutTheExtra2MiB() throws IOException {
        BootPlan plan = boot(file("Image", linuxImage(0x8_0000, IMAGE_SIZE, 0, 0x1000, false)), null);

        assertEquals(0x4008_0000L, plan.entryPc());
    }

    @Test
    void imageSizeZeroMeansALegacyKernelLoadedAt512KiBWhateverItsTextOffset() throws IOException {
        byte[] image = linuxImage(0x12_3000, 0, 0, 0x3000, false);

        BootPlan plan = boot(file("Image", image), null);

        assertEquals(0x4008_0000L, plan.entryPc());
        assertEquals(PhysicalRange.ofSize(0x4008_0000L, image.length), plan.kernel(), "the file size stands in for image_size");
        assertEquals(1, plan.warnings().size());
        assertTrue(plan.warnings().get(0).contains("image_size 0"), plan.warnings().get(0));
    }

    @Test
    void aKernelExtendingPast128MiBPushesTheInitrdAndDtbAfterIt() throws IOException {
        long imageSize = 0x900_0000L + 0x123;  // ends at 0x4920_0123
        BootPlan plan = boot(file("Image", linuxImage(0, imageSize, 0, 0x1000, false)), file("initrd", pattern(0x5000, 1)));

        assertEquals(0x4920_1000L, plan.initrd().orElseThrow().start(), "page-aligned, right after the kernel's image_size");
        assertEquals(0x4940_0000L, plan.dtbAddress());
    }

    @Test
    void aBigEndianKernelIsRefused() throws IOException {
        Path kernel = file("Image.be", linuxImage(0, IMAGE_SIZE, 1, 0x1000, false));

        assertOneLine(bootFails(kernel, null), "kernel " + kernel
                + ": big-endian kernel (Image header flags bit 0 is set); aarvark boots little-endian kernels only");
        assertRamUntouched();
    }

    @Test
    void aKernelWhoseImageSizeExceedsRamIsRefused() throws IOException {
        Path kernel = file("Image", linuxImage(0, 0x2000_0000L, 0, 0x1000, false));

        assertOneLine(bootFails(kernel, null), "kernel " + kernel
                + ": kernel [0x40200000, 0x60200000) does not fit in RAM [0x40000000, 0x60000000)");
        assertRamUntouched();
    }

    @Test
    void aGzipCompressedImageIsDecompressedAndPlacedAsAnImage() throws IOException {
        byte[] image = linuxImage(0, IMAGE_SIZE, 0, 0x4000, true);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(image);
        }

        BootPlan plan = boot(file("Image.gz", gz.toByteArray()), null);

        assertEquals(KernelFormat.LINUX_IMAGE, plan.format());
        assertEquals(0x4020_0000L, plan.entryPc());
        assertArrayEquals(image, bytes(0x4020_0000L, image.length));
    }

    @Test
    void corruptGzipDataIsRefused() throws IOException {
        Path kernel = file("Image.gz", new byte[] {0x1f, (byte) 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8});

        BootImageException e = bootFails(kernel, null);

        assertTrue(e.getMessage().startsWith("kernel " + kernel + ": corrupt gzip data: "), e.getMessage());
    }

    @Test
    void headerFlagsReportPageSizeAndPlacement() {
        LinuxImageHeader h = LinuxImageHeader.parse(new BootFile("kernel", "Image", linuxImage(0, 1, 0b1110, 64, true)));

        assertEquals(65536, h.pageSize());
        assertTrue(h.placeAnywhere());
        assertTrue(h.efiStub());
        assertFalse(h.bigEndian());
    }
}
