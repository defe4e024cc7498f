package dev.aarvark.devices.virtio;

import java.util.StringJoiner;

/**
 * The bits of the device status field (virtio 1.2 §2.1) and the order in which a driver sets them
 * (§3.1.1 "Driver Requirements: Device Initialization"): ACKNOWLEDGE, DRIVER, FEATURES_OK (not on a
 * legacy interface, §3.1.2), DRIVER_OK. FAILED is set by a driver that gave up; DEVICE_NEEDS_RESET
 * is set only by the device (§2.1.2).
 */
public final class DeviceStatus {
    public static final int ACKNOWLEDGE = 1;
    public static final int DRIVER = 2;
    public static final int DRIVER_OK = 4;
    public static final int FEATURES_OK = 8;
    public static final int DEVICE_NEEDS_RESET = 0x40;
    public static final int FAILED = 0x80;
    /** Every bit the field defines. */
    public static final int ALL = ACKNOWLEDGE | DRIVER | DRIVER_OK | FEATURES_OK | DEVICE_NEEDS_RESET | FAILED;

    private DeviceStatus() {}

    /** {@code status} as its bit names, e.g. "0x0f (ACKNOWLEDGE|DRIVER|DRIVER_OK|FEATURES_OK)". */
    public static String describe(int status) {
        StringJoiner names = new StringJoiner("|", " (", ")").setEmptyValue("");
        if ((status & ACKNOWLEDGE) != 0) {
            names.add("ACKNOWLEDGE");
        }
        if ((status & DRIVER) != 0) {
            names.add("DRIVER");
        }
        if ((status & DRIVER_OK) != 0) {
            names.add("DRIVER_OK");
        }
        if ((status & FEATURES_OK) != 0) {
            names.add("FEATURES_OK");
        }
        if ((status & DEVICE_NEEDS_RESET) != 0) {
            names.add("DEVICE_NEEDS_RESET");
        }
        if ((status & FAILED) != 0) {
            names.add("FAILED");
        }
        return String.format("0x%02x", status) + names;
    }
}
