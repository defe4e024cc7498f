package dev.aarvark.emulator.boot;

import dev.aarvark.memory.GuestRam;

import java.util.List;
import java.util.Optional;

/**
 * Loads a raw binary (no ELF or Image header) as QEMU does for AArch64: it is treated as a
 * headerless Linux kernel, its bytes at RAM + 0x80000 ({@link QemuBootPlacement#LEGACY_KERNEL_OFFSET}),
 * entry there, the initrd and DTB placed after it per {@link BootLayout} (with 512 MiB of RAM and no
 * initrd the DTB lands at RAM + 128 MiB, 0x4800_0000), x0 = DTB, x1-x3 = 0.
 */
final class RawImageLoader {
    private RawImageLoader() {
    }

    static BootPlan load(GuestRam ram, BootFile kernel, Optional<BootFile> initrd, DtbFactory dtb) {
        long entry = ram.base() + QemuBootPlacement.LEGACY_KERNEL_OFFSET;
        return BootLayout.placeLinux(ram, KernelFormat.RAW, kernel, entry, kernel.size(), initrd, dtb, List.of());
    }
}
