package dev.aarvark.emulator.cpu.psci;

import dev.aarvark.emulator.cpu.Cpu;
import dev.aarvark.emulator.run.MachineExit;
import dev.aarvark.emulator.run.RunControl;

/**
 * The Power State Coordination Interface firmware of a one-CPU {@code virt} board, answered in Java
 * on HVC and SMC (Arm DEN0022, PSCI 1.1; SMC Calling Convention register use: function ID in W0,
 * arguments in X1..X3, result in X0).
 *
 * <p>Like QEMU's built-in PSCI (target/arm/psci.c), only the function IDs PSCI defines are PSCI
 * calls: {@link #isPsciCall} is false for anything else, and the CPU core then treats the HVC/SMC
 * as an instruction with no firmware behind it (UNDEFINED at EL1). Reports version 1.1 as QEMU 7.2's
 * {@code virt} board does (a superset of 1.0: the same mandatory functions).
 *
 * <p>One CPU: CPU_ON of any CPU other than 0 returns INVALID_PARAMETERS (there is no such CPU), of
 * CPU 0 ALREADY_ON; AFFINITY_INFO reports CPU 0 ON; CPU_OFF of the only CPU powers the system off
 * (QEMU halts the CPU, which for one CPU is the same end); SYSTEM_OFF and SYSTEM_RESET end the run.
 */
public final class Psci {
    public static final int VERSION = 0x8400_0000;
    public static final int CPU_SUSPEND_32 = 0x8400_0001;
    public static final int CPU_SUSPEND_64 = 0xC400_0001;
    public static final int CPU_OFF = 0x8400_0002;
    public static final int CPU_ON_32 = 0x8400_0003;
    public static final int CPU_ON_64 = 0xC400_0003;
    public static final int AFFINITY_INFO_32 = 0x8400_0004;
    public static final int AFFINITY_INFO_64 = 0xC400_0004;
    public static final int MIGRATE_32 = 0x8400_0005;
    public static final int MIGRATE_64 = 0xC400_0005;
    public static final int MIGRATE_INFO_TYPE = 0x8400_0006;
    public static final int MIGRATE_INFO_UP_CPU_32 = 0x8400_0007;
    public static final int MIGRATE_INFO_UP_CPU_64 = 0xC400_0007;
    public static final int SYSTEM_OFF = 0x8400_0008;
    public static final int SYSTEM_RESET = 0x8400_0009;
    public static final int FEATURES = 0x8400_000A;

    public static final long SUCCESS = 0;
    public static final long NOT_SUPPORTED = -1;
    public static final long INVALID_PARAMETERS = -2;
    public static final long ALREADY_ON = -4;

    /** PSCI 1.1: major 1 in bits 31:16, minor 1 in bits 15:0. */
    public static final long VERSION_1_1 = 0x0001_0001;
    /** MIGRATE_INFO_TYPE: "Trusted OS is either not present or does not require migration". */
    public static final long TOS_NOT_PRESENT_MP = 2;

    private final RunControl control;

    public Psci(RunControl control) {
        this.control = control;
    }

    /** True if W0 holds a function ID this firmware implements (the SMCCC says only W0 counts). */
    public boolean isPsciCall(long x0) {
        return implemented((int) x0);
    }

    private static boolean implemented(int fid) {
        return switch (fid) {
            case VERSION, CPU_SUSPEND_32, CPU_SUSPEND_64, CPU_OFF, CPU_ON_32, CPU_ON_64, AFFINITY_INFO_32,
                 AFFINITY_INFO_64, MIGRATE_32, MIGRATE_64, MIGRATE_INFO_TYPE, MIGRATE_INFO_UP_CPU_32,
                 MIGRATE_INFO_UP_CPU_64, SYSTEM_OFF, SYSTEM_RESET, FEATURES -> true;
            default -> false;
        };
    }

    /** Serves the call in X0..X3 and writes the result to X0. */
    public void call(Cpu cpu) {
        int fid = (int) cpu.x(0);
        long result = switch (fid) {
            case VERSION -> VERSION_1_1;
            case CPU_SUSPEND_32, CPU_SUSPEND_64 ->
                // A power-down request may be treated as standby; returning SUCCESS at once is a valid
                // "woken immediately" (DEN0022 5.4.2: the caller must cope with an early return).
                SUCCESS;
            case CPU_OFF -> {
                control.requestExit(MachineExit.of(MachineExit.Reason.POWER_OFF, "PSCI CPU_OFF of the only CPU"));
                yield SUCCESS;
            }
            case CPU_ON_32, CPU_ON_64 -> affinityOf(cpu.x(1), fid == CPU_ON_32) == 0 ? ALREADY_ON : INVALID_PARAMETERS;
            case AFFINITY_INFO_32, AFFINITY_INFO_64 -> {
                long lowest = cpu.x(2);
                if (lowest != 0) {
                    // Only affinity level 0 is meaningful for a single-cluster system (DEN0022 5.7).
                    yield INVALID_PARAMETERS;
                }
                yield affinityOf(cpu.x(1), fid == AFFINITY_INFO_32) == 0 ? 0 /* ON */ : INVALID_PARAMETERS;
            }
            case MIGRATE_32, MIGRATE_64, MIGRATE_INFO_UP_CPU_32, MIGRATE_INFO_UP_CPU_64 -> NOT_SUPPORTED;
            case MIGRATE_INFO_TYPE -> TOS_NOT_PRESENT_MP;
            case SYSTEM_OFF -> {
                control.requestExit(MachineExit.of(MachineExit.Reason.POWER_OFF, "PSCI SYSTEM_OFF"));
                yield SUCCESS;
            }
            case SYSTEM_RESET -> {
                control.requestExit(MachineExit.of(MachineExit.Reason.RESET, "PSCI SYSTEM_RESET"));
                yield SUCCESS;
            }
            case FEATURES -> implemented((int) cpu.x(1)) ? SUCCESS : NOT_SUPPORTED;
            default -> NOT_SUPPORTED;
        };
        cpu.setX(0, result);
    }

    /** The Aff3..Aff0 fields of a target MPIDR (SMC32 calls carry only Aff2..Aff0). */
    private static long affinityOf(long mpidr, boolean smc32) {
        long aff = mpidr & 0xff_ffffL;
        if (!smc32) {
            aff |= mpidr & 0xff_0000_0000L;
        }
        return aff;
    }
}
