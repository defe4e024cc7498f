package dev.aarvark.emulator;

import dev.aarvark.iommu.policy.DmaPolicy;
import dev.aarvark.iommu.policy.DmaWindow;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How the board's devices reach guest RAM: through an SMMUv3 the guest programs, or not; then bypass
 * (device address = physical address, QEMU's behaviour, the default) or a host {@link DmaPolicy}
 * with per-device windows; and whether the first DMA fault ends the run.
 *
 * <p>Devices are named as the board names them to the user: {@code virtio-console0},
 * {@code virtio-net0}, {@code virtio-net1} ... (kind and index among its kind, in slot order), or by
 * their transport name ({@code virtio-net@a003e00}). Under a policy, a device with no window may
 * reach nothing.
 *
 * @param policy      empty for bypass
 * @param windows     device name to its windows; only with a policy
 * @param failOnFault end the run (guest failure) at the first refused or flagged access
 * @param smmu        put an SMMUv3 on the board with every virtio-mmio slot behind it (stream ID =
 *                    slot number); a host policy then checks what the SMMU lets through
 */
public record DmaConfig(Optional<DmaPolicy> policy, Map<String, List<DmaWindow>> windows, boolean failOnFault,
                        boolean smmu) {
    /** No policy, no fail-on-fault, no SMMU: devices reach all of RAM. */
    public static final DmaConfig BYPASS = new DmaConfig(Optional.empty(), Map.of(), false, false);

    /** No SMMU. */
    public DmaConfig(Optional<DmaPolicy> policy, Map<String, List<DmaWindow>> windows, boolean failOnFault) {
        this(policy, windows, failOnFault, false);
    }

    public DmaConfig {
        Objects.requireNonNull(policy, "policy");
        Map<String, List<DmaWindow>> copy = new LinkedHashMap<>();
        windows.forEach((device, list) -> copy.put(device, List.copyOf(list)));
        windows = java.util.Collections.unmodifiableMap(copy);
        if (policy.isEmpty() && !windows.isEmpty()) {
            throw new MachineConfigException(MachineConfigException.Field.DMA_WINDOW, windows.keySet().iterator().next(),
                    "a window needs a host DMA policy (strict or permissive)");
        }
    }
}
