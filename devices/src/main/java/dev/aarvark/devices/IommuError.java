package dev.aarvark.devices;

/**
 * Guest errors of an IOMMU's command and event queues (SMMUv3, IHI 0070 §4 and §7): what the
 * guest is also told through CMDQ_CONS.ERR, SMMU_GERROR or EVENTQ_PROD.OVFLG.
 */
public enum IommuError implements GuestError {
    /** A command the SMMU does not accept (CERROR_ILL); the command queue stops until acknowledged. */
    ILLEGAL_COMMAND("illegal SMMU command"),
    /** A command could not be read (CERROR_ABT). */
    COMMAND_FETCH_ABORT("SMMU command fetch abort"),
    /** The event queue could not be written (GERROR.EVTQ_ABT_ERR); events are lost until acknowledged. */
    EVENT_QUEUE_ABORT("SMMU event queue abort"),
    /** The event queue was full and an event was lost (EVENTQ_PROD.OVFLG). */
    EVENT_QUEUE_OVERFLOW("SMMU event queue overflow");

    private final String text;

    IommuError(String text) {
        this.text = text;
    }

    @Override
    public String text() {
        return text;
    }
}
