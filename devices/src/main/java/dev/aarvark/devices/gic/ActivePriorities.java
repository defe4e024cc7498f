package dev.aarvark.devices.gic;

/**
 * The active priorities of one CPU interface: GICC_APRn / GICC_NSAPRn (IHI 0048B §4.4.12-13) and
 * ICC_AP0Rn_EL1 / ICC_AP1Rn_EL1 (IHI 0069 §12.2). One bit per preemption level and group; a bit is
 * set when an interrupt of that group priority is acknowledged and cleared by the priority drop
 * of its end-of-interrupt. The running priority (GICC_RPR, ICC_RPR_EL1) is the priority of the
 * lowest set bit of either group, or idle (IHI 0048B §3.3, IHI 0069 §4.8).
 *
 * <p>With {@code p} preemption bits the levels are group priorities shifted right by
 * {@code 8 - p}; there are {@code 2^(p-5)} 32-bit registers per group (one for QEMU's GICv3 CPU
 * interface, four for its GICv2).
 *
 * <p>Invariant: the running priority is always derived from the bits, never stored, so a guest
 * that writes the registers directly (as Linux does to clear them at boot) sees a consistent
 * running priority. Because acknowledges and priority drops must nest (IHI 0069 §4.1), the
 * interrupt whose priority drops is the one with the lowest set bit; a guest that breaks the
 * nesting gets UNPREDICTABLE running priorities, as on hardware.
 */
final class ActivePriorities {
    /** Running priority when nothing is active: above every real priority. */
    static final int IDLE = 0x100;

    private final int shift;
    private final int registers;
    private final int[][] bits;

    ActivePriorities(int preemptionBits) {
        this.shift = 8 - preemptionBits;
        this.registers = 1 << (preemptionBits - 5);
        this.bits = new int[2][registers];
    }

    /** Registers per group. */
    int registerCount() {
        return registers;
    }

    /** Marks {@code groupPriority} (already masked to its group priority) active for {@code group}. */
    void activate(InterruptGroup group, int groupPriority) {
        int level = (groupPriority & 0xFF) >>> shift;
        bits[group.ordinal()][level / 32] |= 1 << (level % 32);
    }

    /**
     * Priority drop: clears the highest active priority (lowest set bit) of {@code group}.
     *
     * @return false if no priority of the group was active
     */
    boolean dropHighest(InterruptGroup group) {
        int[] regs = bits[group.ordinal()];
        for (int i = 0; i < registers; i++) {
            if (regs[i] != 0) {
                regs[i] &= regs[i] - 1;
                return true;
            }
        }
        return false;
    }

    /** The running priority: the highest active priority of either group, or {@link #IDLE}. */
    int runningPriority() {
        for (int i = 0; i < registers; i++) {
            int both = bits[0][i] | bits[1][i];
            if (both != 0) {
                return (i * 32 + Integer.numberOfTrailingZeros(both)) << shift;
            }
        }
        return IDLE;
    }

    /**
     * The group whose active priority is the running priority (Group 0 if both share it, which
     * only a guest breaking the nesting rules can cause), or null if nothing is active.
     */
    InterruptGroup highestActiveGroup() {
        for (int i = 0; i < registers; i++) {
            int g0 = bits[0][i];
            int g1 = bits[1][i];
            if ((g0 | g1) == 0) {
                continue;
            }
            return Integer.numberOfTrailingZeros(g0) <= Integer.numberOfTrailingZeros(g1)
                    ? InterruptGroup.GROUP0 : InterruptGroup.GROUP1;
        }
        return null;
    }

    /** Register {@code n} of {@code group}; 0 for registers that do not exist. */
    int read(InterruptGroup group, int n) {
        return n >= 0 && n < registers ? bits[group.ordinal()][n] : 0;
    }

    /** Writes register {@code n} of {@code group}; writes to registers that do not exist are ignored. */
    void write(InterruptGroup group, int n, int value) {
        if (n >= 0 && n < registers) {
            bits[group.ordinal()][n] = value;
        }
    }
}
