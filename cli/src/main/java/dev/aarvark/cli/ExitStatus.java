package dev.aarvark.cli;

import dev.aarvark.emulator.run.MachineExit;

/**
 * The command line's exit statuses (README "Exit status"):
 * <ul>
 *   <li>0 — success: every {@code --expect} pattern appeared; or, without expects, the guest powered
 *   off, reset, or exited through semihosting with status 0;</li>
 *   <li>1 — guest failure: a {@code --fail} pattern appeared, a device's DMA faulted under
 *   {@code --fail-on-dma-fault}, the guest exited with a nonzero
 *   status, or it ended (power-off, exit) before every {@code --expect} pattern appeared;</li>
 *   <li>2 — timeout;</li>
 *   <li>3 — emulator or input error (a bad flag or file, an unusable host, an emulator bug).</li>
 * </ul>
 */
public final class ExitStatus {
    public static final int SUCCESS = 0;
    public static final int GUEST_FAILURE = 1;
    public static final int TIMEOUT = 2;
    public static final int ERROR = 3;

    private ExitStatus() {}

    /** The status for a run that ended with {@code exit}; {@code expectsPending} = expects not yet seen. */
    public static int of(MachineExit exit, boolean expectsPending) {
        return switch (exit.reason()) {
            case EXPECT_MET -> SUCCESS;
            case FAIL_PATTERN, DMA_FAULT -> GUEST_FAILURE;
            case TIMEOUT -> TIMEOUT;
            case EMULATOR_ERROR -> ERROR;
            case SEMIHOSTING_EXIT -> exit.guestStatus() != 0 || expectsPending ? GUEST_FAILURE : SUCCESS;
            case POWER_OFF, RESET, USER_QUIT -> expectsPending ? GUEST_FAILURE : SUCCESS;
        };
    }
}
