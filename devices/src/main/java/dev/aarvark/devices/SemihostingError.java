package dev.aarvark.devices;

/**
 * Guest errors in an Arm semihosting call: the operation fails with the result semihosting
 * defines (-1), the guest keeps running and the host is not touched.
 */
public enum SemihostingError implements GuestError {
    /** A parameter block or buffer address the guest cannot read or write. */
    BAD_PARAMETER_ADDRESS("bad parameter address"),
    /** SYS_OPEN of a host file (only ":tt" is served). */
    HOST_FILE_REFUSED("SYS_OPEN of a host file refused"),
    /** An operation number semihosting does not define or that is not implemented. */
    UNSUPPORTED_OPERATION("unsupported operation");

    private final String text;

    SemihostingError(String text) {
        this.text = text;
    }

    @Override
    public String text() {
        return text;
    }
}
