package dev.aarvark.memory.mmu;

/**
 * A stage-1 walk that ended in a fault: its {@link FaultKind}, the lookup level the architecture
 * reports it at, and what was being done, so a client can build ESR_ELx (with {@link #fsc()}) and FAR_ELx
 * (from {@code va}) or an SMMU event record.
 *
 * <p>{@code descriptorAddress} is the physical address of the descriptor the fault was found at: the
 * descriptor that could not be read for {@link FaultKind#EXTERNAL_ABORT_ON_WALK}, the offending
 * descriptor for faults found in one (then {@code descriptor} holds its value), or {@link #NO_DESCRIPTOR}
 * for faults found before any read (VA out of range, EPDx, TTBR address size, MMU-off address size).
 *
 * <p>Invariants: {@code level} is 0..3 and {@code (kind, level)} has an FSC encoding (Access flag and
 * permission faults only at 1..3); {@code descriptor} is 0 when no descriptor value was read.
 */
public record TranslationFault(FaultKind kind, int level, long va, AccessKind access, boolean unprivileged,
                               long descriptorAddress, long descriptor) implements WalkResult {
    /** The {@link #descriptorAddress} of a fault found before any descriptor was read. */
    public static final long NO_DESCRIPTOR = -1;

    public TranslationFault {
        if (kind == null || access == null) {
            throw new IllegalArgumentException("fault kind and access kind are required");
        }
        FaultStatus.of(kind, level); // validates the level for the kind
        if (descriptorAddress == NO_DESCRIPTOR && descriptor != 0) {
            throw new IllegalArgumentException("descriptor value " + Bits.hex(descriptor) + " without an address");
        }
    }

    /** The 6-bit DFSC/IFSC for ESR_ELx.ISS[5:0]. */
    public int fsc() {
        return FaultStatus.of(kind, level);
    }

    /** True if the fault names a descriptor (see {@link #descriptorAddress}). */
    public boolean hasDescriptorAddress() {
        return descriptorAddress != NO_DESCRIPTOR;
    }

    /** One line for a guest-error log: the FSC text, access, VA and descriptor. */
    public String describe() {
        StringBuilder s = new StringBuilder(FaultStatus.describe(fsc()))
                .append(" (FSC 0x").append(Integer.toHexString(fsc())).append(") on ")
                .append(unprivileged ? "EL0 " : "EL1 ").append(access.name().toLowerCase())
                .append(" of VA ").append(Bits.hex(va));
        if (hasDescriptorAddress()) {
            s.append(", descriptor at PA ").append(Bits.hex(descriptorAddress));
            if (kind != FaultKind.EXTERNAL_ABORT_ON_WALK) {
                s.append(" = ").append(Bits.hex(descriptor));
            }
        }
        return s.toString();
    }
}
