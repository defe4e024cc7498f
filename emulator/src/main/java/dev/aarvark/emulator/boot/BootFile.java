package dev.aarvark.emulator.boot;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The bytes of one boot input file (kernel, initrd or DTB) together with what it is for and where it
 * came from, so every complaint about it can name both ({@link #error}).
 *
 * <p>Invariant: the content is non-empty and no larger than the limit it was read with; reading a
 * missing, unreadable, empty or oversized file throws {@link BootImageException} instead.
 */
final class BootFile {
    /** The largest array the JVM reliably allocates. */
    static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final String role;
    private final String source;
    private final byte[] content;

    BootFile(String role, String source, byte[] content) {
        this.role = role;
        this.source = source;
        this.content = content;
    }

    /**
     * Reads {@code path} whole. {@code limit} bounds its size and {@code limitName} says what the
     * bound is in the message (e.g. "RAM (0x20000000 bytes)").
     */
    static BootFile read(String role, Path path, long limit, String limitName) {
        String source = path.toString();
        try {
            if (Files.isDirectory(path)) {
                throw new BootImageException(role, source, "is a directory, not a file");
            }
            long size = Files.size(path);
            if (size == 0) {
                throw new BootImageException(role, source, "empty file");
            }
            if (size > Math.min(limit, MAX_ARRAY)) {
                throw new BootImageException(role, source, "file has " + Hex.of(size) + " bytes, more than " + limitName);
            }
            byte[] bytes = Files.readAllBytes(path);
            if (bytes.length == 0) {
                throw new BootImageException(role, source, "empty file");
            }
            return new BootFile(role, source, bytes);
        } catch (NoSuchFileException e) {
            throw new BootImageException(role, source, "no such file", e);
        } catch (AccessDeniedException e) {
            throw new BootImageException(role, source, "permission denied", e);
        } catch (FileSystemException e) {
            String why = e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
            throw new BootImageException(role, source, "cannot read: " + why, e);
        } catch (IOException e) {
            throw new BootImageException(role, source, "cannot read: " + e.getMessage(), e);
        }
    }

    /** {@code kernel}, {@code initrd} or {@code dtb}. */
    String role() {
        return role;
    }

    /** The path it was read from. */
    String source() {
        return source;
    }

    /** The bytes (shared, not copied: loaders only read them). */
    byte[] content() {
        return content;
    }

    int size() {
        return content.length;
    }

    /** The same file with other content (e.g. after decompression). */
    BootFile withContent(byte[] newContent) {
        return new BootFile(role, source, newContent);
    }

    /** An exception naming this file and {@code reason}. */
    BootImageException error(String reason) {
        return new BootImageException(role, source, reason);
    }
}
