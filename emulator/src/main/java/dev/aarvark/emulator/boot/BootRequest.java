package dev.aarvark.emulator.boot;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * What to boot: the kernel file (ELF, Linux arm64 {@code Image}, gzip-compressed {@code Image}, or
 * raw binary, told apart by content), an optional initrd file, and where the DTB comes from.
 */
public record BootRequest(Path kernel, Optional<Path> initrd, DtbFactory dtb) {
    public BootRequest {
        Objects.requireNonNull(kernel, "kernel");
        Objects.requireNonNull(initrd, "initrd");
        Objects.requireNonNull(dtb, "dtb");
    }
}
