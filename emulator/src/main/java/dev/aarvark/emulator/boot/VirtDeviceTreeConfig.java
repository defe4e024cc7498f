package dev.aarvark.emulator.boot;

import dev.aarvark.emulator.board.GicVersion;
import dev.aarvark.emulator.board.VirtBoard;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * What the {@code virt} board's generated device tree depends on: RAM, the CPUs, the GIC version,
 * the kernel command line, the initrd's place, the console and the seeds.
 *
 * <p>Invariants: RAM is non-empty; {@code cpuCount} is at least 1 and at most what the GIC can
 * address in QEMU's single redistributor region (8 for GICv2, 123 for GICv3); {@code rngSeed} is
 * non-empty (QEMU passes 32 random bytes; the caller chooses them, so trees are reproducible);
 * {@code bootargs} may be empty, and is then left out as QEMU leaves it out. {@code rngSeed} is
 * copied in and out; equality compares its contents.
 *
 * @param ramBase       guest physical base of RAM (0x4000_0000 on {@code virt})
 * @param ramSize       RAM size in bytes
 * @param cpuCompatible the CPU nodes' {@code compatible}, e.g. {@code "arm,cortex-a57"}
 * @param cpuCount      number of CPUs
 * @param gicVersion    GICv2 or GICv3
 * @param bootargs      the kernel command line ({@code /chosen/bootargs}); empty for none
 * @param initrd        where the initrd lies ({@code linux,initrd-start/end}), if any
 * @param stdoutPath    {@code /chosen/stdout-path}, e.g. {@code "/pl011@9000000"}
 * @param rngSeed       {@code /chosen/rng-seed} bytes
 * @param kaslrSeed     {@code /chosen/kaslr-seed}
 * @param pl031Present  whether the PL031 RTC node is listed
 * @param smmuPresent   whether the SMMUv3 node is listed, with {@code iommus} on every virtio-mmio node
 */
public record VirtDeviceTreeConfig(long ramBase, long ramSize, String cpuCompatible, int cpuCount,
                                   GicVersion gicVersion, String bootargs, Optional<PhysicalRange> initrd,
                                   String stdoutPath, byte[] rngSeed, long kaslrSeed, boolean pl031Present,
                                   boolean smmuPresent) {
    /** Where QEMU's {@code virt} board puts RAM. */
    public static final long VIRT_RAM_BASE = VirtBoard.RAM_BASE;
    /** The console node's path in the generated tree. */
    public static final String PL011_PATH = "/" + VirtBoard.UART.unitName();

    public VirtDeviceTreeConfig {
        if (ramBase < 0 || ramSize <= 0 || ramBase + ramSize < ramBase) {
            throw new IllegalArgumentException("invalid RAM " + Hex.of(ramBase) + " + " + Hex.of(ramSize));
        }
        if (cpuCompatible == null || cpuCompatible.isBlank()) {
            throw new IllegalArgumentException("cpuCompatible must name a CPU, e.g. arm,cortex-a57");
        }
        Objects.requireNonNull(gicVersion, "gicVersion");
        int maxCpus = gicVersion == GicVersion.V2 ? 8 : 123;
        if (cpuCount < 1 || cpuCount > maxCpus) {
            throw new IllegalArgumentException("cpuCount " + cpuCount + " is outside 1.." + maxCpus + " for GIC" + gicVersion);
        }
        Objects.requireNonNull(bootargs, "bootargs");
        Objects.requireNonNull(initrd, "initrd");
        if (stdoutPath == null || stdoutPath.isEmpty()) {
            throw new IllegalArgumentException("stdoutPath must name the console node");
        }
        if (rngSeed == null || rngSeed.length == 0) {
            throw new IllegalArgumentException("rngSeed must hold at least one byte");
        }
        rngSeed = rngSeed.clone();
    }

    /** A board without an SMMU. */
    public VirtDeviceTreeConfig(long ramBase, long ramSize, String cpuCompatible, int cpuCount, GicVersion gicVersion,
                                String bootargs, Optional<PhysicalRange> initrd, String stdoutPath, byte[] rngSeed,
                                long kaslrSeed, boolean pl031Present) {
        this(ramBase, ramSize, cpuCompatible, cpuCount, gicVersion, bootargs, initrd, stdoutPath, rngSeed, kaslrSeed,
                pl031Present, false);
    }

    /**
     * QEMU's {@code -M virt -cpu cortex-a57 -smp 1} defaults with {@code ramSize} of RAM: RAM at
     * 0x4000_0000, GICv2 (QEMU's default {@code gic-version}), PL011 console, PL031 present, no
     * command line, no initrd.
     */
    public static VirtDeviceTreeConfig qemuDefaults(long ramSize, byte[] rngSeed, long kaslrSeed) {
        return new VirtDeviceTreeConfig(VIRT_RAM_BASE, ramSize, "arm,cortex-a57", 1, GicVersion.V2, "",
                Optional.empty(), PL011_PATH, rngSeed, kaslrSeed, true);
    }

    @Override
    public byte[] rngSeed() {
        return rngSeed.clone();
    }

    public VirtDeviceTreeConfig withInitrd(Optional<PhysicalRange> range) {
        return new VirtDeviceTreeConfig(ramBase, ramSize, cpuCompatible, cpuCount, gicVersion, bootargs, range,
                stdoutPath, rngSeed, kaslrSeed, pl031Present, smmuPresent);
    }

    public VirtDeviceTreeConfig withBootargs(String args) {
        return new VirtDeviceTreeConfig(ramBase, ramSize, cpuCompatible, cpuCount, gicVersion, args, initrd,
                stdoutPath, rngSeed, kaslrSeed, pl031Present, smmuPresent);
    }

    public VirtDeviceTreeConfig withGicVersion(GicVersion version) {
        return new VirtDeviceTreeConfig(ramBase, ramSize, cpuCompatible, cpuCount, version, bootargs, initrd,
                stdoutPath, rngSeed, kaslrSeed, pl031Present, smmuPresent);
    }

    public VirtDeviceTreeConfig withCpuCount(int count) {
        return new VirtDeviceTreeConfig(ramBase, ramSize, cpuCompatible, count, gicVersion, bootargs, initrd,
                stdoutPath, rngSeed, kaslrSeed, pl031Present, smmuPresent);
    }

    public VirtDeviceTreeConfig withPl031(boolean present) {
        return new VirtDeviceTreeConfig(ramBase, ramSize, cpuCompatible, cpuCount, gicVersion, bootargs, initrd,
                stdoutPath, rngSeed, kaslrSeed, present, smmuPresent);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VirtDeviceTreeConfig c && c.ramBase == ramBase && c.ramSize == ramSize
                && c.cpuCompatible.equals(cpuCompatible) && c.cpuCount == cpuCount && c.gicVersion == gicVersion
                && c.bootargs.equals(bootargs) && c.initrd.equals(initrd) && c.stdoutPath.equals(stdoutPath)
                && Arrays.equals(c.rngSeed, rngSeed) && c.kaslrSeed == kaslrSeed && c.pl031Present == pl031Present;
    }

    @Override
    public int hashCode() {
        return Objects.hash(ramBase, ramSize, cpuCompatible, cpuCount, gicVersion, bootargs, initrd, stdoutPath,
                Arrays.hashCode(rngSeed), kaslrSeed, pl031Present);
    }

    @Override
    public String toString() {
        return "VirtDeviceTreeConfig[ram=" + PhysicalRange.ofSize(ramBase, ramSize) + ", cpu=" + cpuCompatible + " x"
                + cpuCount + ", gic=" + gicVersion + ", bootargs='" + bootargs + "', initrd=" + initrd + ", stdout="
                + stdoutPath + ", rngSeed=" + HexFormat.of().formatHex(rngSeed) + ", kaslrSeed=" + Hex.of(kaslrSeed)
                + ", pl031=" + pl031Present + ", smmu=" + smmuPresent + "]";
    }
}
