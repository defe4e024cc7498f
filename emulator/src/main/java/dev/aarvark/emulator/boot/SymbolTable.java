package dev.aarvark.emulator.boot;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The function, object and label symbols of a guest ELF, for naming an address such as the PC of a
 * CPU write ({@code "uart_putc+0x1c"}).
 *
 * <p>Addresses are the ELF's link-time addresses ({@code st_value}), i.e. what the PC holds when the
 * code runs where it was linked, which for a kernel linked high may differ from where its bytes were
 * loaded. Lookup picks, among the symbols whose range ({@link GuestSymbol#end}) covers the address,
 * the one with the highest address; at equal addresses a function or object beats a label and a
 * global beats a local. Addresses compare unsigned. Immutable.
 */
public final class SymbolTable {
    /** A table with no symbols (stripped ELF, Image, raw binary). */
    public static final SymbolTable EMPTY = new SymbolTable(List.of());

    private static final Comparator<GuestSymbol> ORDER = Comparator
            .comparing(GuestSymbol::address, Long::compareUnsigned)
            .thenComparingInt(SymbolTable::rank);

    private final List<GuestSymbol> sorted;

    public SymbolTable(List<GuestSymbol> symbols) {
        List<GuestSymbol> s = new ArrayList<>(symbols);
        s.sort(ORDER);
        this.sorted = List.copyOf(s);
    }

    /** Number of symbols. */
    public int size() {
        return sorted.size();
    }

    /** All symbols, by address. */
    public List<GuestSymbol> symbols() {
        return sorted;
    }

    /** The first symbol with this name, if any. */
    public Optional<GuestSymbol> find(String name) {
        return sorted.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** The symbol that names {@code address}, if any covers it. */
    public Optional<GuestSymbol> symbolAt(long address) {
        for (int i = floorIndex(address); i >= 0; i--) {
            GuestSymbol s = sorted.get(i);
            if (s.covers(address)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** {@code "name"} or {@code "name+0xoff"} for {@code address}, if a symbol covers it. */
    public Optional<String> describe(long address) {
        return symbolAt(address).map(s -> s.address() == address ? s.name() : s.name() + "+" + Hex.of(address - s.address()));
    }

    @Override
    public String toString() {
        return "SymbolTable[" + sorted.size() + " symbols]";
    }

    /** Index of the last symbol whose address is {@code <= address}, or -1. */
    private int floorIndex(long address) {
        int lo = 0;
        int hi = sorted.size() - 1;
        int found = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(sorted.get(mid).address(), address) <= 0) {
                found = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        return found;
    }

    /** Higher is preferred; sorted last among equal addresses so the backwards scan meets it first. */
    private static int rank(GuestSymbol s) {
        return (s.kind() == GuestSymbol.Kind.LABEL ? 0 : 2) + (s.global() ? 1 : 0);
    }
}
