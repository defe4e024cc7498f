package dev.aarvark.emulator;

/**
 * A machine description that cannot be built: which {@link Field} is wrong, the value it had, and
 * why. The emulator knows nothing of command lines; the layer that built the description from
 * user input (the CLI) names the flag behind the field. The message alone reads
 * "{@code field value: reason}".
 */
public final class MachineConfigException extends IllegalArgumentException {
    /** The parts of a machine description that can be wrong on their own. */
    public enum Field {
        /** The CPU model. */
        CPU,
        /** The RAM size. */
        MEMORY,
        /** The preemption strategy. */
        PREEMPT,
        /** The virtio-mmio transport version. */
        VIRTIO_VERSION,
        /** The virtio-console's ports. */
        CONSOLE_PORTS,
        /** A device's host DMA window. */
        DMA_WINDOW
    }

    private final Field field;
    private final String value;
    private final String reason;

    public MachineConfigException(Field field, String value, String reason) {
        super(field.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + " " + value + ": " + reason);
        this.field = field;
        this.value = value;
        this.reason = reason;
    }

    public Field field() {
        return field;
    }

    /** The value as given, e.g. "max" or "8388608 bytes". */
    public String value() {
        return value;
    }

    /** Why it cannot be used, with what can be used instead. */
    public String reason() {
        return reason;
    }
}
