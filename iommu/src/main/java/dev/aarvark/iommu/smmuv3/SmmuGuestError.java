package dev.aarvark.iommu.smmuv3;

/**
 * The guest mistakes the SMMU reports besides what it tells the guest itself (CMDQ_CONS.ERR,
 * SMMU_GERROR, event records): each is also a line in the machine's guest-error log.
 */
public enum SmmuGuestError {
    /** A read of an offset with no register. Reads as 0. */
    READ_UNKNOWN,
    /** A write to an offset with no register, or to a RES0 one. Ignored. */
    WRITE_UNKNOWN,
    /** A write to a read-only register (an ID register, CR0ACK, GERROR, ...). Ignored. */
    WRITE_READ_ONLY,
    /** An access that is not 32 or 64 bits wide, or not aligned to its width. Reads as 0, ignored. */
    BAD_WIDTH,
    /** A write to a register that is read-only while its queue or the SMMU is enabled. Ignored. */
    WRITE_WHILE_ENABLED,
    /** A command the SMMU does not accept: CMDQ_CONS.ERR = CERROR_ILL. */
    ILLEGAL_COMMAND,
    /** A command could not be read from the command queue: CMDQ_CONS.ERR = CERROR_ABT. */
    COMMAND_FETCH_ABORT,
    /** The event queue could not be written: SMMU_GERROR.EVTQ_ABT_ERR. */
    EVENT_QUEUE_ABORT,
    /** An event was lost because the event queue was full: EVENTQ_PROD.OVFLG. */
    EVENT_QUEUE_OVERFLOW
}
