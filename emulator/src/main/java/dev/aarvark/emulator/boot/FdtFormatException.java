package dev.aarvark.emulator.boot;

/**
 * A device tree blob that does not follow the Devicetree Specification v0.4 §5 "Flattened
 * Devicetree (DTB) Format" (bad magic, unsupported version, blocks out of bounds, malformed
 * structure block), or a tree that lacks what booting needs (e.g. a root {@code #address-cells}).
 * The message names the blob's source and the reason.
 */
public class FdtFormatException extends BootImageException {
    public FdtFormatException(String source, String reason) {
        super("dtb", source, reason);
    }
}
