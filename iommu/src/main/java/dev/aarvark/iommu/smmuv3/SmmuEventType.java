package dev.aarvark.iommu.smmuv3;

/**
 * The event record types this SMMU produces (IHI 0070 §7.3 "Event records"), with their type codes.
 * Configuration errors (C_*) are about the tables the guest wrote; faults (F_*) about a transaction.
 */
public enum SmmuEventType {
    /** The StreamID is beyond the stream table (recorded only with SMMU_CR2.RECINVSID). */
    C_BAD_STREAMID(0x02),
    /** An STE (or level-1 stream table descriptor) could not be fetched. */
    F_STE_FETCH(0x03),
    /** The STE is invalid (V = 0) or ILLEGAL. */
    C_BAD_STE(0x04),
    /** A transaction without a SubstreamID reached an STE with S1DSS = terminate. */
    F_STREAM_DISABLED(0x06),
    /** A CD (or level-1 CD descriptor) could not be fetched. */
    F_CD_FETCH(0x09),
    /** The CD is invalid (V = 0) or ILLEGAL. */
    C_BAD_CD(0x0a),
    /** A translation table walk hit memory that does not answer. */
    F_WALK_EABT(0x0b),
    /** No valid translation for the input address. */
    F_TRANSLATION(0x10),
    /** An address beyond the output (or input) size. */
    F_ADDR_SIZE(0x11),
    /** The leaf's Access flag is 0. */
    F_ACCESS(0x12),
    /** The mapping does not allow the access. */
    F_PERMISSION(0x13);

    private final int code;

    SmmuEventType(int code) {
        this.code = code;
    }

    /** The record's type field, bits [7:0] of its first doubleword. */
    public int code() {
        return code;
    }

    /** The type with {@code code}, or null. */
    public static SmmuEventType of(int code) {
        for (SmmuEventType t : values()) {
            if (t.code == code) {
                return t;
            }
        }
        return null;
    }
}
