package dev.aarvark.emulator.boot;

/**
 * A device tree property read as a type its value does not have, e.g. a 3-byte value read as a
 * {@code u32}, or a string list that is not NUL-terminated (Devicetree Specification v0.4 §2.2.4.1
 * "Property Values"). The message names the property and what was expected.
 */
public class FdtPropertyTypeException extends RuntimeException {
    public FdtPropertyTypeException(String property, String problem) {
        super("property '" + property + "': " + problem);
    }
}
