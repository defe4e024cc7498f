package dev.aarvark.emulator.boot;

/**
 * The 64-byte header at the start of a Linux arm64 {@code Image}
 * ({@code Documentation/arch/arm64/booting.rst}, "Call the kernel image"): {@code code0}/{@code code1}
 * at 0 and 4 (for an EFI-stub kernel {@code code0} begins with {@code "MZ"}), {@code text_offset} at 8,
 * {@code image_size} at 16, {@code flags} at 24, reserved words, the magic {@code "ARM\x64"} at 56
 * and the PE header offset at 60, all little-endian.
 *
 * <p>Flags: bit 0 is the kernel's endianness (1 = big-endian, which aarvark refuses), bits 1-2 the
 * kernel page size (0 unspecified, 1 = 4K, 2 = 16K, 3 = 64K), bit 3 the physical placement (0 = the
 * 2 MiB-aligned base should be as close as possible to the base of DRAM, 1 = anywhere). An
 * {@code image_size} of 0 means a kernel older than 3.17 whose {@code text_offset} is unreliable.
 */
record LinuxImageHeader(long textOffset, long imageSize, long flags, boolean efiStub) {
    /** Header length in bytes. */
    public static final int SIZE = 64;

    /** Parses the header of {@code file}, which must carry the Image magic. */
    static LinuxImageHeader parse(BootFile file) {
        byte[] b = file.content();
        if (b.length < SIZE || !KernelFormat.isLinuxImage(b)) {
            throw file.error("not an arm64 Image: no \"ARM\\x64\" magic at byte 56 of a 64-byte header");
        }
        LinuxImageHeader h = new LinuxImageHeader(le64(b, 8), le64(b, 16), le64(b, 24), b[0] == 'M' && b[1] == 'Z');
        if (h.bigEndian()) {
            throw file.error("big-endian kernel (Image header flags bit 0 is set); aarvark boots little-endian kernels only");
        }
        return h;
    }

    /** True if flags bit 0 says the kernel is big-endian. */
    public boolean bigEndian() {
        return (flags & 1) != 0;
    }

    /** The kernel's page size in bytes, or 0 if the header leaves it unspecified. */
    public long pageSize() {
        return switch ((int) (flags >>> 1) & 3) {
            case 1 -> 4096;
            case 2 -> 16384;
            case 3 -> 65536;
            default -> 0;
        };
    }

    /** True if flags bit 3 lets the kernel sit anywhere in physical memory. */
    public boolean placeAnywhere() {
        return (flags & 8) != 0;
    }

    private static long le64(byte[] b, int off) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (b[off + i] & 0xff);
        }
        return v;
    }
}
