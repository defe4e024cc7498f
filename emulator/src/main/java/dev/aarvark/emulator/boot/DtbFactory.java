package dev.aarvark.emulator.boot;

import java.util.Optional;

/**
 * Produces the device tree blob handed to the guest, once the loader knows where the initrd went:
 * the loader places the kernel and initrd first, asks for the blob (which must name the initrd in
 * {@code /chosen}), then places the blob. Implementations: {@link VirtDeviceTree#factory} (the
 * generated {@code virt} tree) and {@link UserDeviceTree#factory} ({@code --dtb FILE}, patched as
 * QEMU patches it).
 */
public interface DtbFactory {
    /** Names the tree in error messages: a file path, or a description of a generated tree. */
    String source();

    /** The blob for a boot whose initrd occupies {@code initrd} (empty when there is none). */
    byte[] create(Optional<PhysicalRange> initrd);
}
