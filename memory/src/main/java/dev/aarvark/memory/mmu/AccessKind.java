package dev.aarvark.memory.mmu;

/**
 * The kind of memory access a translation is checked for (Arm ARM DDI 0487, D5 "Memory access control").
 *
 * <p>Read-modify-write accesses (atomics, exclusive pairs) are checked as {@link #WRITE}: in the
 * stage-1 AP[2:1] model every writable mapping is also readable at the same exception level, so a
 * write check implies the read check.
 */
public enum AccessKind {
    /** A data load. */
    READ,
    /** A data store (or the write half of a read-modify-write). */
    WRITE,
    /** An instruction fetch; checked against the execute-never controls only. */
    FETCH
}
