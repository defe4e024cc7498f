package dev.aarvark.emulator.boot;

import dev.aarvark.memory.GuestRam;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Loads a Linux arm64 {@code Image} ({@code Documentation/arch/arm64/booting.rst}) as QEMU's
 * {@code load_aarch64_image} does: the file's bytes at {@link QemuBootPlacement#imageBase} +
 * {@link QemuBootPlacement#imageOffset}, the kernel taken to occupy {@code image_size} bytes (BSS
 * included; the file size when {@code image_size} is 0 or smaller), then initrd and DTB per
 * {@link BootLayout}. Entry = the load address; x0 = DTB, x1-x3 = 0.
 *
 * <p>Refused: a header flagged big-endian, and a kernel that (with its {@code image_size}) does not
 * fit in RAM. The page-size and placement flags do not change placement (QEMU ignores them; the
 * base of RAM satisfies both placement choices).
 */
final class LinuxImageLoader {
    private LinuxImageLoader() {
    }

    static BootPlan load(GuestRam ram, BootFile kernel, Optional<BootFile> initrd, DtbFactory dtb) {
        LinuxImageHeader header = LinuxImageHeader.parse(kernel);
        long offset = QemuBootPlacement.imageOffset(header.textOffset(), header.imageSize());
        if (Long.compareUnsigned(offset, ram.size()) >= 0) {
            throw kernel.error("Image text_offset " + Hex.of(header.textOffset()) + " lies beyond the end of RAM "
                    + BootLayout.ramRange(ram));
        }
        long entry = QemuBootPlacement.imageBase(ram.base()) + offset;
        long extent = Long.compareUnsigned(header.imageSize(), kernel.size()) > 0 ? header.imageSize() : kernel.size();
        List<String> warnings = new ArrayList<>();
        if (header.imageSize() == 0) {
            warnings.add("kernel " + kernel.source() + ": Image header has image_size 0 (pre-3.17 kernel); "
                    + "text_offset ignored, loaded at RAM + 0x80000 and taken to be as large as the file");
        }
        return BootLayout.placeLinux(ram, KernelFormat.LINUX_IMAGE, kernel, entry, extent, initrd, dtb, warnings);
    }
}
