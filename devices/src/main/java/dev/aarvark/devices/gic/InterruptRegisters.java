package dev.aarvark.devices.gic;

/**
 * The per-interrupt register fields that GICv2's distributor, GICv3's distributor and GICv3's
 * redistributor SGI frame all have, with the same meaning and different offsets: group
 * (GICD_IGROUPR), set/clear-enable, set/clear-pending, set/clear-active (one bit per interrupt),
 * priority (one byte) and configuration (two bits, GICD_ICFGR) — IHI 0048B §4.3.4-4.3.13,
 * IHI 0069 §12.9 and §12.11.
 *
 * <p>Rules common to both versions: bits of INTIDs that are not implemented are RAZ/WI; writing 0
 * to a set or clear register has no effect; SGIs are always edge-triggered (their configuration
 * fields read 0b10 and ignore writes); the low bit of each configuration field is RES0 on GICv2
 * and GICv3. GICv2-only rules, as QEMU implements them: SGIs are permanently enabled
 * (set/clear-enable bits read 1, writes ignored) and their pending state is changed only through
 * GICD_SPENDSGIR/GICD_CPENDSGIR (IHI 0048B §4.3.7-8: the set/clear-pending bits of SGIs ignore
 * writes).
 *
 * <p>Every write ends with {@link GicCore#update()}, so the CPU outputs follow at once.
 */
final class InterruptRegisters {
    /** A one-bit-per-interrupt field. */
    enum Bit { GROUP, ENABLE, PENDING, ACTIVE }

    private final GicCore core;
    private final InterruptBank bank;
    private final boolean v2;

    InterruptRegisters(GicCore core) {
        this.core = core;
        this.bank = core.bank();
        this.v2 = core.config().architecture() == GicArchitecture.V2;
    }

    /** The 32 bits of {@code field} for INTIDs {@code first}..{@code first + 31} as CPU {@code cpu} sees them. */
    int readBits(Bit field, int cpu, int first) {
        int value = 0;
        for (int i = 0; i < 32 && bank.implemented(first + i); i++) {
            InterruptState s = bank.get(cpu, first + i);
            boolean bit = switch (field) {
                case GROUP -> s.group() == InterruptGroup.GROUP1;
                case ENABLE -> s.enabled();
                case PENDING -> s.pending();
                case ACTIVE -> s.active();
            };
            if (bit) {
                value |= 1 << i;
            }
        }
        return value;
    }

    /** GICD_IGROUPR: each bit sets its interrupt's group (1 = Group 1). */
    void writeGroups(int cpu, int first, int bits) {
        for (int i = 0; i < 32 && bank.implemented(first + i); i++) {
            bank.get(cpu, first + i).setGroup(InterruptGroup.ofBit((bits & (1 << i)) != 0));
        }
        core.update();
    }

    /** A set-enable, set-pending or set-active write: every 1 bit sets the field. */
    void setBits(Bit field, int cpu, int first, int bits) {
        change(field, cpu, first, bits, true);
    }

    /** A clear-enable, clear-pending or clear-active write: every 1 bit clears the field. */
    void clearBits(Bit field, int cpu, int first, int bits) {
        change(field, cpu, first, bits, false);
    }

    private void change(Bit field, int cpu, int first, int bits, boolean set) {
        if (field == Bit.GROUP) {
            throw new IllegalArgumentException("the group field is written with writeGroups");
        }
        for (int i = 0; i < 32 && bank.implemented(first + i); i++) {
            if ((bits & (1 << i)) == 0) {
                continue;
            }
            int intid = first + i;
            InterruptState s = bank.get(cpu, intid);
            boolean sgi = IntIds.isSgi(intid);
            switch (field) {
                case ENABLE -> {
                    if (!(v2 && sgi)) {
                        s.setEnabled(set);
                    }
                }
                case PENDING -> {
                    if (v2 && sgi) {
                        break;
                    }
                    if (set) {
                        s.setPending();
                    } else {
                        s.clearPending();
                    }
                }
                case ACTIVE -> s.setActive(set);
                default -> throw new IllegalStateException();
            }
        }
        core.update();
    }

    /** The priority byte of {@code intid} (0 if not implemented). */
    int readPriority(int cpu, int intid) {
        return bank.implemented(intid) ? bank.get(cpu, intid).priority() : 0;
    }

    /** Sets the priority byte of {@code intid} (ignored if not implemented); does not update. */
    void writePriorityNoUpdate(int cpu, int intid, int value) {
        if (bank.implemented(intid)) {
            bank.get(cpu, intid).setPriority(value);
        }
    }

    /** {@code count} priority bytes from {@code first}, little-endian (byte or word access). */
    int readPriorities(int cpu, int first, int count) {
        int value = 0;
        for (int i = count - 1; i >= 0; i--) {
            value = (value << 8) | readPriority(cpu, first + i);
        }
        return value;
    }

    /** Writes {@code count} priority bytes from {@code first}, little-endian. */
    void writePriorities(int cpu, int first, int count, long value) {
        for (int i = 0; i < count; i++) {
            writePriorityNoUpdate(cpu, first + i, (int) (value >>> (8 * i)) & 0xFF);
        }
        core.update();
    }

    /** The configuration word of the 16 INTIDs from {@code first}: bit 2k+1 set if INTID first+k is edge-triggered. */
    int readConfig(int cpu, int first) {
        int value = 0;
        for (int k = 0; k < 16 && bank.implemented(first + k); k++) {
            if (bank.get(cpu, first + k).edgeTriggered()) {
                value |= 2 << (2 * k);
            }
        }
        return value;
    }

    /** Writes the configuration word of the 16 INTIDs from {@code first}; SGI fields are read-only. */
    void writeConfig(int cpu, int first, int value) {
        for (int k = 0; k < 16 && bank.implemented(first + k); k++) {
            if (!IntIds.isSgi(first + k)) {
                bank.get(cpu, first + k).setEdgeTriggered((value & (2 << (2 * k))) != 0);
            }
        }
        core.update();
    }
}
