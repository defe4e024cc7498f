package dev.aarvark.devices;

/**
 * Guest errors of a register access: the guest read or wrote a register (memory-mapped, a
 * configuration space, or a System register) in a way its device does not define. The access
 * reads as 0 or is ignored unless the device's specification says otherwise (an MRS/MSR of a
 * GICv3 System register without that encoding is delivered as UNDEFINED).
 */
public enum RegisterError implements GuestError {
    /** A write to a read-only register or configuration field (or an MSR of an MRS-only System register). */
    WRITE_READ_ONLY("write to read-only register"),
    /** A read of a write-only register (or an MRS of an MSR-only System register). */
    READ_WRITE_ONLY("read of write-only register"),
    /** A read of an offset where no register is: outside the block, reserved or undefined. */
    READ_UNKNOWN("read of unknown offset"),
    /** A write to an offset where no register is: outside the block, reserved or undefined. */
    WRITE_UNKNOWN("write to unknown offset"),
    /** An access of a width the register does not support, or misaligned. */
    BAD_WIDTH("unsupported access width or alignment"),
    /** A sub-word write to an upper byte lane of a 32-bit APB register. */
    PARTIAL_WRITE("sub-word write to an upper byte lane"),
    /** A value the register reserves (a reserved FIFO level, SGI filter, or undefined bits). */
    RESERVED_VALUE("reserved value written to a register"),
    /** A legacy-only virtio-mmio register accessed on a modern (Version 2) transport. */
    LEGACY_ON_MODERN("legacy register on a modern transport"),
    /** A modern-only virtio-mmio register accessed on a legacy (Version 1) transport. */
    MODERN_ON_LEGACY("modern register on a legacy transport"),
    /** A write to a virtio-mmio slot with no device behind it (other than a status reset). */
    EMPTY_SLOT_WRITE("write to an empty virtio-mmio slot"),
    /** A configuration space access of an unsupported width or outside the space. */
    CONFIG_ACCESS("invalid configuration space access");

    private final String text;

    RegisterError(String text) {
        this.text = text;
    }

    @Override
    public String text() {
        return text;
    }
}
