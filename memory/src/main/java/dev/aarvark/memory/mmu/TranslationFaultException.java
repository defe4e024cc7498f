package dev.aarvark.memory.mmu;

/**
 * A virtual range could not be translated because one address in it faults; carries that
 * {@link TranslationFault} (whose {@code va} is the first faulting address of the range).
 */
public final class TranslationFaultException extends Exception {
    private final transient TranslationFault fault;

    public TranslationFaultException(TranslationFault fault) {
        super(fault.describe());
        this.fault = fault;
    }

    /** The fault at the first untranslatable address. */
    public TranslationFault fault() {
        return fault;
    }
}
