package dev.aarvark.iommu.smmuv3;

/** Where the SMMU reports guest mistakes: the board hands it the machine's guest-error log. */
@FunctionalInterface
public interface SmmuGuestErrors {
    void report(SmmuGuestError kind, String detail);

    /** Reports go nowhere. */
    SmmuGuestErrors NONE = (kind, detail) -> { };
}
