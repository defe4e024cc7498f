package dev.aarvark.emulator.cpu.unicorn;

/**
 * A libunicorn call that returned an error code ({@code uc_err}), or a library that cannot be used.
 *
 * <p>Carries the numeric {@code uc_err} (or {@link #NOT_A_UC_ERR} when the failure is ours, e.g. a
 * missing library) and the library's own {@code uc_strerror} text in the message.
 */
public class UnicornException extends RuntimeException {
    /** Code used when the failure did not come from a {@code uc_err}. */
    public static final int NOT_A_UC_ERR = -1;

    /** {@code UC_ERR_READ_UNMAPPED}. */
    public static final int UC_ERR_READ_UNMAPPED = 6;
    /** {@code UC_ERR_WRITE_UNMAPPED}. */
    public static final int UC_ERR_WRITE_UNMAPPED = 7;
    /** {@code UC_ERR_FETCH_UNMAPPED}. */
    public static final int UC_ERR_FETCH_UNMAPPED = 8;
    /** {@code UC_ERR_FETCH_PROT}: a fetch from memory that is not executable (in aarvark: not RAM). */
    public static final int UC_ERR_FETCH_PROT = 14;
    /** {@code UC_ERR_ARG}. */
    public static final int UC_ERR_ARG = 15;
    /** {@code UC_ERR_EXCEPTION}: an exception no hook took. */
    public static final int UC_ERR_EXCEPTION = 21;

    private final int code;

    public UnicornException(int code, String message) {
        super(message);
        this.code = code;
    }

    public UnicornException(String message, Throwable cause) {
        super(message, cause);
        this.code = NOT_A_UC_ERR;
    }

    /** The {@code uc_err} value, or {@link #NOT_A_UC_ERR}. */
    public int code() {
        return code;
    }
}
