package dev.aarvark.devices;

/**
 * Guest errors on the physical bus: an access that reaches no device or memory. The board
 * answers as its hardware does (an external abort), and the error is reported.
 */
public enum BusError implements GuestError {
    /** An access to a physical address no RAM or device is assigned to. */
    UNASSIGNED_ADDRESS("access to an unassigned physical address");

    private final String text;

    BusError(String text) {
        this.text = text;
    }

    @Override
    public String text() {
        return text;
    }
}
