package dev.aarvark.emulator.boot;

/**
 * One symbol of a guest ELF's {@code .symtab} (ELF-64 gABI "Symbol Table"): a name, its link-time
 * (virtual) address, its size, its kind, and the address range it is taken to name.
 *
 * <p>{@code end} is {@code address + size} for a sized symbol; a size-0 symbol (an assembly label)
 * is taken to run to the end of its section. Invariant: {@code address <= end} (unsigned).
 *
 * @param global true for {@code STB_GLOBAL} / {@code STB_WEAK}, false for {@code STB_LOCAL}
 */
public record GuestSymbol(String name, long address, long size, Kind kind, boolean global, long end) {
    /** The symbol types kept from the table. */
    public enum Kind {
        /** {@code STT_FUNC}. */
        FUNCTION,
        /** {@code STT_OBJECT}. */
        OBJECT,
        /** {@code STT_NOTYPE}: an untyped label, typical of assembly. */
        LABEL
    }

    public GuestSymbol {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a symbol needs a name");
        }
        if (Long.compareUnsigned(end, address) < 0) {
            throw new IllegalArgumentException("symbol " + name + " ends at " + Hex.of(end) + " before its address " + Hex.of(address));
        }
    }

    /** True if {@code pc} lies in {@code [address, end)}, or equals the address of an empty-extent symbol. */
    public boolean covers(long pc) {
        return pc == address || (Long.compareUnsigned(pc, address) >= 0 && Long.compareUnsigned(pc, end) < 0);
    }
}
