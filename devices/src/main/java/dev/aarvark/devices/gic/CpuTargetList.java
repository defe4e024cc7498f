package dev.aarvark.devices.gic;

/**
 * GICv2 SPI targeting by GICD_ITARGETSRn (IHI 0048B §4.3.12): one byte per SPI, bit n set if CPU
 * interface n receives it, in the 1-N model (every targeted CPU sees it pending; the first to
 * acknowledge it takes it).
 *
 * <p>Invariants: only bits of implemented CPU interfaces can be set. With a single CPU interface
 * every SPI targets it and the fields cannot be changed: the specification makes the registers
 * RAZ/WI in a uniprocessor implementation; this model reads each field as CPU 0's bit instead,
 * matching the read-only SGI/PPI fields (see {@link GicV2Distributor}), so a guest that infers its
 * own CPU mask from any field finds it.
 */
final class CpuTargetList implements SpiRouting {
    private final int cpuCount;
    private final byte[] targets;

    CpuTargetList(int cpuCount, int spiCount) {
        this.cpuCount = cpuCount;
        this.targets = new byte[spiCount];
    }

    /** The CPU interfaces that exist, as a target-list mask. */
    int implementedMask() {
        return (1 << cpuCount) - 1;
    }

    /** The target byte of SPI {@code intid}. */
    int read(int intid) {
        if (cpuCount == 1) {
            return 1;
        }
        return targets[intid - IntIds.FIRST_SPI] & 0xFF;
    }

    /** Sets the target byte of SPI {@code intid}; bits of CPU interfaces that do not exist are dropped. */
    void write(int intid, int mask) {
        if (cpuCount > 1) {
            targets[intid - IntIds.FIRST_SPI] = (byte) (mask & implementedMask());
        }
    }

    @Override
    public boolean reaches(int intid, int cpu) {
        return (read(intid) & (1 << cpu)) != 0;
    }
}
