package dev.aarvark.emulator.boot;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SymbolTableTest {
    private static GuestSymbol fn(String name, long address, long size) {
        return new GuestSymbol(name, address, size, GuestSymbol.Kind.FUNCTION, true, address + size);
    }

    private static GuestSymbol label(String name, long address, long sectionEnd, boolean global) {
        return new GuestSymbol(name, address, 0, GuestSymbol.Kind.LABEL, global, sectionEnd);
    }

    @Test
    void anAddressInsideASizedSymbolIsNamedWithItsOffset() {
        SymbolTable t = new SymbolTable(List.of(fn("b", 0x2000, 0x10), fn("a", 0x1000, 0x100)));

        assertEquals(Optional.of("a"), t.describe(0x1000));
        assertEquals(Optional.of("a+0xff"), t.describe(0x10ff));
        assertEquals(Optional.empty(), t.describe(0x1100), "past a's end and before b");
        assertEquals(Optional.of("b+0x8"), t.describe(0x2008));
        assertEquals(Optional.empty(), t.describe(0xfff));
    }

    @Test
    void aFunctionBeatsALabelAndAGlobalBeatsALocalAtTheSameAddress() {
        SymbolTable t = new SymbolTable(List.of(label("local_label", 0x1000, 0x9000, false), fn("func", 0x1000, 0x40),
                label("global_label", 0x1000, 0x9000, true)));

        assertEquals(Optional.of("func+0x4"), t.describe(0x1004));
        assertEquals(Optional.of("global_label+0x100"), t.describe(0x1100), "beyond func, the labels still cover it");
    }

    @Test
    void theNearestCoveringSymbolWins() {
        SymbolTable t = new SymbolTable(List.of(label("_start", 0x1000, 0x8000, true), label("loop", 0x1040, 0x8000, false)));

        assertEquals(Optional.of("_start+0x3c"), t.describe(0x103c));
        assertEquals(Optional.of("loop+0x4"), t.describe(0x1044));
        assertEquals(Optional.empty(), t.describe(0x8000), "labels stop at the end of their section");
    }

    @Test
    void kernelAddressesInTheUpperHalfCompareUnsigned() {
        long kbase = 0xffff_ff80_0000_0000L;
        SymbolTable t = new SymbolTable(List.of(fn("low", 0x4000_0000L, 0x10), fn("start_kernel", kbase + 0x100, 0x200)));

        assertEquals(Optional.of("start_kernel+0x10"), t.describe(kbase + 0x110));
        assertEquals(Optional.of("low+0x4"), t.describe(0x4000_0004L));
        assertEquals(Optional.of(0x4000_0000L), t.find("low").map(GuestSymbol::address));
    }

    @Test
    void aSymbolMustNotEndBeforeItStarts() {
        assertThrows(IllegalArgumentException.class, () -> new GuestSymbol("x", 0x2000, 0, GuestSymbol.Kind.LABEL, false, 0x1000));
        assertEquals(0, SymbolTable.EMPTY.size());
        assertEquals(Optional.empty(), SymbolTable.EMPTY.describe(0));
    }
}
