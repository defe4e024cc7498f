package dev.aarvark.memory.mmu;

/**
 * What a stage-1 mapping of the EL1&amp;0 regime allows at EL1 and at EL0: data read, data write and
 * instruction execution (Arm ARM DDI 0487, D5 "Memory access control": "Data access permissions for
 * stage 1 of the EL1&amp;0 translation regime", "Access permissions for instruction execution",
 * "Preventing execution from writable locations").
 *
 * <p>Invariants when built by {@link #stage1}: EL1 can always read; a level that can write can also
 * read; if EL0 can write, EL1 cannot execute.
 */
public record Permissions(boolean el1Read, boolean el1Write, boolean el1Execute,
                          boolean el0Read, boolean el0Write, boolean el0Execute) {
    /** Everything allowed: the permissions of an untranslated (stage 1 disabled) access. */
    public static final Permissions ALL = new Permissions(true, true, true, true, true, true);

    /**
     * The AArch64 EL1&amp;0 stage-1 permissions for the effective AP[2:1], UXN and PXN of a leaf (after
     * the table-level controls have been applied) and SCTLR_EL1.WXN:
     * <ul>
     * <li>AP[2:1] 0b00 EL1 read/write, EL0 none; 0b01 EL1 and EL0 read/write; 0b10 EL1 read-only, EL0
     * none; 0b11 EL1 and EL0 read-only.</li>
     * <li>EL0 may execute unless UXN, or unless WXN and EL0 can write. EL0 execution does not need EL0
     * read permission (AP[2:1] = 0b00 with UXN = 0 is execute-only memory for EL0, which Linux uses).</li>
     * <li>EL1 may execute unless PXN, or WXN and EL1 can write, or EL0 can write: EL1&amp;0 memory that
     * EL0 can write is always privileged execute-never.</li>
     * </ul>
     */
    public static Permissions stage1(boolean ap2ReadOnly, boolean ap1El0Access, boolean uxn, boolean pxn,
                                     boolean writeImpliesExecuteNever) {
        boolean el1Write = !ap2ReadOnly;
        boolean el0Read = ap1El0Access;
        boolean el0Write = ap1El0Access && !ap2ReadOnly;
        boolean el0Execute = !(uxn || (el0Write && writeImpliesExecuteNever));
        boolean el1Execute = !(pxn || (el1Write && writeImpliesExecuteNever) || el0Write);
        return new Permissions(true, el1Write, el1Execute, el0Read, el0Write, el0Execute);
    }

    /**
     * True if an access of {@code kind} is allowed; {@code unprivileged} checks the EL0 rights (code at
     * EL0, or LDTR/STTR-family instructions at EL1), otherwise the EL1 rights.
     */
    public boolean allows(AccessKind kind, boolean unprivileged) {
        return switch (kind) {
            case READ -> unprivileged ? el0Read : el1Read;
            case WRITE -> unprivileged ? el0Write : el1Write;
            case FETCH -> unprivileged ? el0Execute : el1Execute;
        };
    }

    @Override
    public String toString() {
        return "EL1 " + rwx(el1Read, el1Write, el1Execute) + " EL0 " + rwx(el0Read, el0Write, el0Execute);
    }

    private static String rwx(boolean r, boolean w, boolean x) {
        return (r ? "r" : "-") + (w ? "w" : "-") + (x ? "x" : "-");
    }
}
