package dev.aarvark.emulator.boot;

/**
 * Where QEMU puts a directly booted AArch64 kernel, its initrd and its DTB in RAM
 * ({@code hw/arm/boot.c}: {@code load_aarch64_image}, {@code arm_setup_direct_kernel_boot}), as pure
 * functions of RAM and the kernel's extent.
 *
 * <ul>
 *   <li>Linux {@code Image}: at a 2 MiB-aligned base (the base of RAM) + {@code text_offset}, but
 *       only if {@code image_size} is non-zero; an {@code image_size} of 0 marks a pre-3.17 kernel
 *       whose {@code text_offset} is not trusted, and it goes at base + 0x80000. An offset below
 *       4 KiB would collide with QEMU's boot stub, so 2 MiB is added: a modern kernel
 *       ({@code text_offset} 0) lands at RAM + 2 MiB.</li>
 *   <li>Raw binary: at RAM + 0x80000.</li>
 *   <li>Initrd: at RAM + min(RAM size / 2, 128 MiB) (far enough that a decompressing kernel will
 *       not overwrite it, low enough to stay in low memory), or right after the kernel's extent if
 *       that is higher, rounded up to 4 KiB.</li>
 *   <li>DTB: after the initrd (or where the initrd would have gone), rounded up to 2 MiB, because
 *       early arm64 kernels map the 2 MiB block around the DTB.</li>
 * </ul>
 *
 * For 512 MiB of RAM at 0x4000_0000 this yields QEMU 7.2's layout: Image 0x4020_0000,
 * initrd 0x4800_0000, DTB 0x4820_0000.
 */
public final class QemuBootPlacement {
    /** 1 MiB. */
    public static final long MIB = 1L << 20;
    /** The alignment of an Image's base and of the DTB. */
    public static final long BLOCK_2M = 2 * MIB;
    /** The page size the initrd start is rounded to. */
    public static final long PAGE = 4096;
    /** {@code KERNEL64_LOAD_ADDR}: offset of a raw or legacy (image_size 0) kernel. */
    public static final long LEGACY_KERNEL_OFFSET = 0x8_0000L;
    /** {@code BOOTLOADER_MAX_SIZE}: room QEMU keeps at the base of RAM for its boot stub. */
    public static final long BOOT_STUB_SIZE = 4096;
    /** The initrd never starts further than this into RAM unless the kernel extends past it. */
    public static final long INITRD_MAX_OFFSET = 128 * MIB;

    private QemuBootPlacement() {
    }

    /** The 2 MiB-aligned base an Image's {@code text_offset} counts from. */
    public static long imageBase(long ramBase) {
        return alignUp(ramBase, BLOCK_2M);
    }

    /** Offset of the Image from {@link #imageBase} given its header's {@code text_offset} and {@code image_size}. */
    public static long imageOffset(long textOffset, long imageSize) {
        if (imageSize == 0) {
            return LEGACY_KERNEL_OFFSET;
        }
        return Long.compareUnsigned(textOffset, BOOT_STUB_SIZE) < 0 ? textOffset + BLOCK_2M : textOffset;
    }

    /** Where the initrd goes for a kernel that ends (exclusive) at {@code kernelEnd}. */
    public static long initrdStart(long ramBase, long ramSize, long kernelEnd) {
        long preferred = ramBase + Math.min(ramSize / 2, INITRD_MAX_OFFSET);
        return alignUp(Math.max(preferred, kernelEnd), PAGE);
    }

    /** Where the DTB goes when whatever precedes it ends (exclusive) at {@code end}. */
    public static long dtbStartAfter(long end) {
        return alignUp(end, BLOCK_2M);
    }

    /** {@code value} rounded up to a multiple of the power of two {@code alignment}. */
    public static long alignUp(long value, long alignment) {
        return Math.addExact(value, alignment - 1) & -alignment;
    }
}
