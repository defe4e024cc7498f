package dev.aarvark.emulator.boot;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Placement limits, on 16 MiB of RAM so the files that overflow it stay small. The successful
 * layout was checked against QEMU 7.2 ({@code -m 16M}, {@code info roms}: Image 0x40200000, initrd
 * 0x40800000, dtb 0x40a00000).
 */
class SmallRamLoaderTest extends LoaderTestSupport {
    @Override
    long ramSize() {
        return 16 * MIB;
    }

    private Path smallImage() throws IOException {
        return file("Image", linuxImage(0, MIB, 0, 0x1000, false));
    }

    @Test
    void belowTwoHundredFiftySixMiBTheInitrdGoesHalfwayIntoRam() throws IOException {
        BootPlan plan = boot(smallImage(), file("initrd", pattern(0x1000, 2)));

        assertEquals(RAM + 8 * MIB, plan.initrd().orElseThrow().start());
        assertEquals(RAM + 10 * MIB, plan.dtbAddress());
    }

    @Test
    void anInitrdThatDoesNotFitAfterTheKernelIsRefusedAndNothingIsWritten() throws IOException {
        Path initrd = file("huge.cpio", new byte[(int) (8 * MIB) + 1]);

        assertOneLine(bootFails(smallImage(), initrd), "initrd " + initrd
                + ": 0x800001 bytes at 0x40800000 do not fit in RAM [0x40000000, 0x41000000)");
        assertRamUntouched();
    }

    @Test
    void aDtbThatDoesNotFitAfterTheInitrdIsRefusedAndNothingIsWritten() throws IOException {
        Path initrd = file("big.cpio", new byte[(int) (8 * MIB) - 4096]);

        BootImageException e = bootFails(smallImage(), initrd);

        assertTrue(e.getMessage().startsWith("dtb (generated virt tree): no room: 0x"), e.getMessage());
        assertTrue(e.getMessage().endsWith(" bytes at 0x41000000 do not fit in RAM [0x40000000, 0x41000000)"), e.getMessage());
        assertRamUntouched();
    }

    @Test
    void aKernelThatLeavesNoRoomForTheInitrdIsRefused() throws IOException {
        Path kernel = file("Image", linuxImage(0, 14 * MIB, 0, 0x1000, false));
        Path initrd = file("initrd", pattern(16, 1));

        assertOneLine(bootFails(kernel, initrd), "initrd " + initrd
                + ": no room after the kernel: the initrd would start at 0x41000000, at or past the end of RAM [0x40000000, 0x41000000)");
    }

    @Test
    void anImageWhoseImageSizeExceedsRamIsRefused() throws IOException {
        Path kernel = file("Image", linuxImage(0, 17 * MIB, 0, 0x1000, false));

        assertOneLine(bootFails(kernel, null), "kernel " + kernel + ": kernel occupies 0x1100000 bytes, more than RAM (0x1000000 bytes)");
        assertRamUntouched();
    }

    @Test
    void anImageWithAWildTextOffsetIsRefused() throws IOException {
        Path kernel = file("Image", linuxImage(0xffff_ffff_0000_0000L, MIB, 0, 0x1000, false));

        assertOneLine(bootFails(kernel, null), "kernel " + kernel
                + ": Image text_offset 0xffffffff00000000 lies beyond the end of RAM [0x40000000, 0x41000000)");
    }

    @Test
    void aGzipKernelInflatingBeyondRamIsStoppedAtTheSizeOfRam() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(new byte[(int) (17 * MIB)]);
        }
        Path kernel = file("bomb.gz", gz.toByteArray());

        assertOneLine(bootFails(kernel, null), "kernel " + kernel
                + ": gzip data decompresses to more than 0x1000000 bytes (the size of RAM)");
        assertRamUntouched();
    }

    @Test
    void aRawBinaryLargerThanRamAbove512KiBIsRefused() throws IOException {
        Path kernel = file("raw.bin", new byte[(int) (16 * MIB - 0x8_0000L) + 1]);

        assertOneLine(bootFails(kernel, null),
                "kernel " + kernel + ": kernel [0x40080000, 0x41000001) does not fit in RAM [0x40000000, 0x41000000)");
        assertRamUntouched();
    }

    @Test
    void aKernelFileLargerThanRamIsRefusedBeforeItIsRead() throws IOException {
        Path kernel = file("vmlinux.bin", new byte[(int) (16 * MIB) + 1]);

        assertOneLine(bootFails(kernel, null), "kernel " + kernel + ": file has 0x1000001 bytes, more than RAM (0x1000000 bytes)");
    }
}
