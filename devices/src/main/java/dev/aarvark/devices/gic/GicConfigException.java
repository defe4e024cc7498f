package dev.aarvark.devices.gic;

/** A {@link GicConfig} outside what the GIC architecture (or this model) supports. */
public final class GicConfigException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** @param message what is wrong, naming the parameter and its value */
    public GicConfigException(String message) {
        super(message);
    }
}
