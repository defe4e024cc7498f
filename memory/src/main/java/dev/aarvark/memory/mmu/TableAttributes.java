package dev.aarvark.memory.mmu;

/**
 * The hierarchical access controls gathered from the table descriptors on the way to a leaf (Arm ARM
 * DDI 0487, D5 "Hierarchical control of data access permissions" and "Hierarchical control of
 * instruction fetching"). Each control can only take rights away: once set by some table it stays set
 * for every later level, so gathering is a bitwise OR.
 *
 * <p>APTable[1] forces AP[2] to 1 (read-only), APTable[0] forces AP[1] to 0 (no EL0 access), UXNTable
 * and PXNTable force UXN and PXN. Armv8.0 has no FEAT_HPDS, so TCR_EL1.HPD0/HPD1 (RES0 there) never
 * disable these controls.
 */
record TableAttributes(boolean readOnly, boolean noEl0Access, boolean unprivilegedExecuteNever,
                       boolean privilegedExecuteNever) {
    /** Before the first table: no restriction. */
    static final TableAttributes NONE = new TableAttributes(false, false, false, false);

    /** These controls with those of one more table descriptor added. */
    TableAttributes with(long tableDescriptor) {
        return new TableAttributes(
                readOnly || (tableDescriptor & Descriptor.AP_TABLE_READ_ONLY) != 0,
                noEl0Access || (tableDescriptor & Descriptor.AP_TABLE_NO_EL0) != 0,
                unprivilegedExecuteNever || (tableDescriptor & Descriptor.UXN_TABLE) != 0,
                privilegedExecuteNever || (tableDescriptor & Descriptor.PXN_TABLE) != 0);
    }
}
