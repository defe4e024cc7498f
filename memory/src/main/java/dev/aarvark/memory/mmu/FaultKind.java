package dev.aarvark.memory.mmu;

/**
 * The kinds of fault a stage-1 translation table walk can produce, in the order the Arm ARM
 * prioritises them within one level (DDI 0487, D5 "Prioritization of Synchronous aborts from a single
 * stage of address translation"): VA out of range and disabled walks (translation faults at level 0),
 * address size, then for each lookup level external abort on the walk, translation, address size;
 * then Access flag; then permission. Their ESR_ELx fault status codes are in {@link FaultStatus}.
 */
public enum FaultKind {
    /** An address (TTBR, table or output address) beyond the effective output size; or, with the MMU off, a VA beyond PAMax. */
    ADDRESS_SIZE,
    /** No valid translation: VA out of range, walks disabled (EPDx), invalid or misplaced descriptor. */
    TRANSLATION,
    /** The leaf's AF bit is 0 (Armv8.0 has no hardware Access flag management). */
    ACCESS_FLAG,
    /** The leaf does not allow this access at this exception level. */
    PERMISSION,
    /** Reading a descriptor hit memory that does not answer (a synchronous external abort on the walk). */
    EXTERNAL_ABORT_ON_WALK
}
