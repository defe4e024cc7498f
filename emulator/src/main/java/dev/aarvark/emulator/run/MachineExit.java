package dev.aarvark.emulator.run;

/**
 * Why a machine stopped running, and the status it reports.
 *
 * <p>The command line maps these to its exit statuses (README "Exit status"): success (expects met,
 * power-off, semihosting exit 0), guest failure (a fail pattern, a nonzero guest exit status),
 * timeout, and emulator or input error.
 */
public record MachineExit(Reason reason, int guestStatus, String detail) {
    /** The ways a run ends. */
    public enum Reason {
        /** PSCI SYSTEM_OFF. */
        POWER_OFF,
        /** PSCI SYSTEM_RESET (without --reboot). */
        RESET,
        /** Semihosting SYS_EXIT / SYS_EXIT_EXTENDED with {@code guestStatus}. */
        SEMIHOSTING_EXIT,
        /** The last --expect pattern appeared. */
        EXPECT_MET,
        /** A --fail pattern appeared. */
        FAIL_PATTERN,
        /** The --timeout elapsed. */
        TIMEOUT,
        /** The emulator itself failed (a bug or an unusable host), not the guest. */
        EMULATOR_ERROR,
        /** Stopped from outside (Ctrl-A x, a signal). */
        USER_QUIT,
        /** A device's DMA was refused or flagged and the run was asked to end at the first one (--fail-on-dma-fault). */
        DMA_FAULT
    }

    public static MachineExit of(Reason reason, String detail) {
        return new MachineExit(reason, 0, detail);
    }
}
