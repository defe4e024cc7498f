package dev.aarvark.devices.gic;

/**
 * The highest priority pending interrupt of one CPU interface (IHI 0069 §4.8, "HPPI"): its INTID,
 * its full 8-bit priority and its group.
 */
record PendingInterrupt(int intid, int priority, InterruptGroup group) {
}
