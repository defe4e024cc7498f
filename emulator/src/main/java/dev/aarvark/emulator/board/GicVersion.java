package dev.aarvark.emulator.board;

/**
 * Which GIC architecture the {@code virt} board presents, as QEMU's {@code -M virt,gic-version=}
 * chooses it: a GICv2 (distributor at 0x0800_0000, CPU interface at 0x0801_0000, described as
 * {@code arm,cortex-a15-gic}) or a GICv3 (distributor at 0x0800_0000, redistributors from
 * 0x080A_0000, described as {@code arm,gic-v3}).
 */
public enum GicVersion {
    V2,
    V3
}
