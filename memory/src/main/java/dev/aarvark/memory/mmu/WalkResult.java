package dev.aarvark.memory.mmu;

/**
 * The outcome of one stage-1 walk: a {@link Translation} or a {@link TranslationFault}. Both carry the
 * virtual address that was walked.
 */
public sealed interface WalkResult permits Translation, TranslationFault {
    /** The virtual address that was walked, as given (tag bits included). */
    long va();
}
