package dev.aarvark.devices.virtio.mmio;

import dev.aarvark.devices.virtio.VirtioFeature;

/**
 * Feature negotiation through DeviceFeatures/DeviceFeaturesSel and DriverFeatures/DriverFeaturesSel
 * (virtio 1.2 §2.2, §4.2.2): 32-bit pages of a 64-bit feature set. Pages above 1 read as 0; a driver
 * that sets a bit in them accepts a feature that was not offered.
 *
 * <p>{@link #refusal} implements the device side of FEATURES_OK (§2.2.2, §3.1.1): a modern device
 * refuses a feature set with a bit it did not offer or without VIRTIO_F_VERSION_1 (the legacy
 * interface has no FEATURES_OK; §3.1.2).
 */
final class FeatureNegotiation {
    private final long offered;
    private int deviceSelect;
    private int driverSelect;
    private long accepted;
    private boolean acceptedAboveBit63;

    FeatureNegotiation(long offered) {
        this.offered = offered;
    }

    long offered() {
        return offered;
    }

    /** What the driver wrote so far (bits above 63 are not kept). */
    long accepted() {
        return accepted;
    }

    void selectDevicePage(int page) {
        deviceSelect = page;
    }

    void selectDriverPage(int page) {
        driverSelect = page;
    }

    int selectedDriverPage() {
        return driverSelect;
    }

    /** DeviceFeatures: the selected 32 bits of the offered set. */
    int deviceFeaturesPage() {
        return switch (deviceSelect) {
            case 0 -> (int) offered;
            case 1 -> (int) (offered >>> 32);
            default -> 0;
        };
    }

    /** DriverFeatures: sets the selected 32 bits of the accepted set. */
    void writeDriverFeaturesPage(int value) {
        switch (driverSelect) {
            case 0 -> accepted = (accepted & 0xFFFF_FFFF_0000_0000L) | (value & 0xFFFF_FFFFL);
            case 1 -> accepted = (accepted & 0xFFFF_FFFFL) | ((long) value << 32);
            default -> acceptedAboveBit63 |= value != 0;
        }
    }

    /** Why the accepted set cannot be used, or {@code null} if it can. */
    String refusal(VirtioMmioVersion version) {
        long unoffered = accepted & ~offered;
        if (unoffered != 0 || acceptedAboveBit63) {
            return "the driver accepted features the device did not offer: " + VirtioFeature.hex(unoffered)
                    + (acceptedAboveBit63 ? " and bits above 63" : "") + " (offered " + VirtioFeature.hex(offered) + ")";
        }
        if (version == VirtioMmioVersion.MODERN && !VirtioFeature.has(accepted, VirtioFeature.VERSION_1)) {
            return "the driver did not accept VIRTIO_F_VERSION_1 on a modern transport (accepted "
                    + VirtioFeature.hex(accepted) + ")";
        }
        return null;
    }

    void reset() {
        deviceSelect = 0;
        driverSelect = 0;
        accepted = 0;
        acceptedAboveBit63 = false;
    }
}
