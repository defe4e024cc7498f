package dev.aarvark.emulator.boot;

import java.nio.file.Path;
import java.util.Optional;

/**
 * A device tree blob the user supplied ({@code --dtb FILE}, QEMU's {@code -dtb}), validated when
 * read and patched per boot the way QEMU's {@code arm_load_dtb} patches it (see
 * {@link QemuDtbFixups}: {@code /memory} replaced by guest RAM, {@code /chosen} bootargs and initrd
 * range, {@code /psci} replaced).
 *
 * <p>Reading checks the blob's format (Devicetree Specification v0.4 §5, see {@link Fdt#fromDtb}),
 * that the file is at most 2 MiB (Linux {@code booting.rst}: the DTB must not exceed 2 megabytes)
 * and that the root has {@code #address-cells} and {@code #size-cells} of 1 or 2; any failure is a
 * {@link BootImageException} (a {@link FdtFormatException} for format errors) naming the file.
 * The loaded tree is never modified: every patch works on a copy.
 */
public final class UserDeviceTree {
    /** Linux's limit on a DTB's size ({@code booting.rst}). */
    public static final long MAX_DTB_SIZE = 2L << 20;

    private final String source;
    private final Fdt tree;

    private UserDeviceTree(String source, Fdt tree) {
        this.source = source;
        this.tree = tree;
    }

    /** Reads and validates {@code file}. */
    public static UserDeviceTree read(Path file) {
        BootFile f = BootFile.read("dtb", file, MAX_DTB_SIZE, "the 2 MiB a device tree may have");
        Fdt tree = Fdt.fromDtb(f.content(), f.source());
        QemuDtbFixups.requireRootCells(tree, f.source());
        return new UserDeviceTree(f.source(), tree);
    }

    /** The file it was read from. */
    public String source() {
        return source;
    }

    /** A copy of the tree as read. */
    public Fdt tree() {
        return tree.copy();
    }

    /** A copy of the tree with QEMU's boot-time edits for this RAM, command line and initrd. */
    public Fdt patched(long ramBase, long ramSize, String bootargs, Optional<PhysicalRange> initrd) {
        Fdt copy = tree.copy();
        QemuDtbFixups.apply(copy, source, ramBase, ramSize, bootargs, initrd);
        return copy;
    }

    /** A {@link DtbFactory} producing {@link #patched} blobs. */
    public DtbFactory factory(long ramBase, long ramSize, String bootargs) {
        return new DtbFactory() {
            @Override
            public String source() {
                return source;
            }

            @Override
            public byte[] create(Optional<PhysicalRange> initrd) {
                return patched(ramBase, ramSize, bootargs, initrd).toDtb();
            }
        };
    }
}
