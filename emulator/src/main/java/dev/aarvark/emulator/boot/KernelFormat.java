package dev.aarvark.emulator.boot;

/**
 * What a kernel file is, decided by its content alone (never its name):
 * {@link #ELF} if it starts with {@code 0x7f 'E' 'L' 'F'}; {@link #LINUX_IMAGE} if it holds the arm64
 * {@code Image} magic {@code "ARM\x64"} (0x644d5241 little-endian) at byte 56
 * ({@code Documentation/arch/arm64/booting.rst}; an EFI stub's {@code "MZ"} at byte 0 does not
 * matter); {@link #GZIP} if it starts with the gzip magic {@code 1f 8b} (QEMU gunzips such a file
 * and treats the result as an {@code Image} or raw binary); {@link #RAW} otherwise.
 */
public enum KernelFormat {
    ELF,
    LINUX_IMAGE,
    GZIP,
    RAW;

    /** Byte offset of the arm64 Image magic. */
    static final int IMAGE_MAGIC_OFFSET = 56;
    /** The arm64 Image magic as a little-endian word. */
    static final int IMAGE_MAGIC = 0x644d5241;

    /** Classifies {@code content}. */
    public static KernelFormat detect(byte[] content) {
        if (content.length >= 4 && content[0] == 0x7f && content[1] == 'E' && content[2] == 'L' && content[3] == 'F') {
            return ELF;
        }
        if (isLinuxImage(content)) {
            return LINUX_IMAGE;
        }
        if (content.length >= 2 && (content[0] & 0xff) == 0x1f && (content[1] & 0xff) == 0x8b) {
            return GZIP;
        }
        return RAW;
    }

    /** True if {@code content} carries the arm64 Image magic at byte 56. */
    static boolean isLinuxImage(byte[] content) {
        return content.length >= IMAGE_MAGIC_OFFSET + 4
                && content[IMAGE_MAGIC_OFFSET] == 'A' && content[IMAGE_MAGIC_OFFSET + 1] == 'R'
                && content[IMAGE_MAGIC_OFFSET + 2] == 'M' && content[IMAGE_MAGIC_OFFSET + 3] == 0x64;
    }
}
