package dev.aarvark.iommu.smmuv3;

/**
 * A transaction the SMMU terminated with an abort: why (the event type, or the configuration that
 * aborts silently) and the particulars. Thrown inside the model and turned into a
 * {@link dev.aarvark.iommu.DmaFault} by {@link SmmuDmaSpace}; it carries no stack trace.
 */
final class SmmuAbort extends RuntimeException {
    final String cause;
    final String detail;

    SmmuAbort(String cause, String detail) {
        super(cause + ": " + detail, null, false, false);
        this.cause = cause;
        this.detail = detail;
    }
}
