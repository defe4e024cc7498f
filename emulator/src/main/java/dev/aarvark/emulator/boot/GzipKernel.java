package dev.aarvark.emulator.boot;

import java.io.ByteArrayOutputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/**
 * Decompresses a gzip-compressed kernel (RFC 1952), as QEMU's {@code load_aarch64_image} does
 * before looking for the Image header ("it's the bootloader's job to uncompress the kernel").
 * Invariant: never inflates more than the limit it is given (the size of RAM), so a hostile file
 * cannot exhaust host memory; corrupt data or an oversized result is a {@link BootImageException}.
 */
final class GzipKernel {
    private GzipKernel() {
    }

    static BootFile decompress(BootFile file, long limit) {
        long max = Math.min(limit, BootFile.MAX_ARRAY);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(file.content()), buf.length)) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + (long) n > max) {
                    throw file.error("gzip data decompresses to more than " + Hex.of(max) + " bytes (the size of RAM)");
                }
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            throw new BootImageException(file.role(), file.source(), "corrupt gzip data: " + e.getMessage(), e);
        }
        if (out.size() == 0) {
            throw file.error("gzip data decompresses to nothing");
        }
        return file.withContent(out.toByteArray());
    }
}
