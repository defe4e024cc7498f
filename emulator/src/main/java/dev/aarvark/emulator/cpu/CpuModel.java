package dev.aarvark.emulator.cpu;

import dev.aarvark.emulator.MachineConfigException;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The CPU models aarvark offers: the Armv8.0-A cores libunicorn 2.1 implements and QEMU's {@code virt}
 * board is commonly run with. {@code max} is deliberately absent: it advertises SVE, and once
 * CPTR_EL3.EZ is set libunicorn hits an assertion ({@code sve_zcr_get_valid_len}) that kills the
 * whole process (docs/libunicorn.md, "CPU models and reset state").
 *
 * <p>Each model carries its Unicorn {@code UC_CPU_ARM64_*} id, the device-tree compatible string,
 * and its physical address size from ID_AA64MMFR0_EL1.PARange (TRM values: 40 bits for the A53,
 * 44 bits for the A57 and A72).
 */
public enum CpuModel {
    CORTEX_A53("cortex-a53", 1, "arm,cortex-a53", 40),
    CORTEX_A57("cortex-a57", 0, "arm,cortex-a57", 44),
    CORTEX_A72("cortex-a72", 2, "arm,cortex-a72", 44);

    private final String cliName;
    private final int unicornModel;
    private final String compatible;
    private final int paBits;

    CpuModel(String cliName, int unicornModel, String compatible, int paBits) {
        this.cliName = cliName;
        this.unicornModel = unicornModel;
        this.compatible = compatible;
        this.paBits = paBits;
    }

    /** The name used on the command line, e.g. "cortex-a57". */
    public String cliName() {
        return cliName;
    }

    /** The {@code UC_CPU_ARM64_*} value for {@code uc_ctl(UC_CTL_CPU_MODEL)}. */
    public int unicornModel() {
        return unicornModel;
    }

    /** The {@code compatible} string of the cpu node. */
    public String compatible() {
        return compatible;
    }

    /** Physical address size in bits (ID_AA64MMFR0_EL1.PARange). */
    public int paBits() {
        return paBits;
    }

    /**
     * The model with this name (case-insensitive).
     *
     * @throws MachineConfigException with a one-line reason (unknown name, or {@code max})
     */
    public static CpuModel parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (CpuModel m : values()) {
            if (m.cliName.equals(n)) {
                return m;
            }
        }
        if (n.equals("max") || n.equals("host")) {
            throw new MachineConfigException(MachineConfigException.Field.CPU, name, "not offered: libunicorn's '" + n
                    + "' model advertises SVE, and its SVE support aborts the whole process on an assertion; use one of "
                    + names());
        }
        throw new MachineConfigException(MachineConfigException.Field.CPU, name, "not a known CPU model; use one of " + names());
    }

    /** "cortex-a53, cortex-a57, cortex-a72". */
    public static String names() {
        return Arrays.stream(values()).map(CpuModel::cliName).collect(Collectors.joining(", "));
    }
}
