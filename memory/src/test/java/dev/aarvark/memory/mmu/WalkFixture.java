package dev.aarvark.memory.mmu;

import dev.aarvark.memory.GuestRam;
import dev.aarvark.memory.PhysicalMemory;

import java.lang.foreign.Arena;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** 8 MiB of guest RAM at 0x4000_0000, a walker, and assertions that unwrap its results. */
final class WalkFixture implements AutoCloseable {
    static final long RAM_BASE = 0x4000_0000L;
    static final long RAM_SIZE = 8L << 20;

    final Arena arena = Arena.ofConfined();
    final GuestRam ram = GuestRam.allocate(arena, RAM_BASE, RAM_SIZE);
    final Vmsav8Walker walker = new Vmsav8Walker();

    Tables tables(int pageShift) {
        return new Tables(ram, pageShift, RAM_BASE);
    }

    Translation translation(long va, AccessKind kind, boolean unprivileged, TranslationRegime regime) {
        return translation(va, kind, unprivileged, regime, ram);
    }

    Translation translation(long va, AccessKind kind, boolean unprivileged, TranslationRegime regime,
                            PhysicalMemory mem) {
        WalkResult r = walker.walk(va, kind, unprivileged, regime, mem);
        return assertInstanceOf(Translation.class, r, () -> "expected a translation of 0x" + Long.toHexString(va)
                + ", got " + (r instanceof TranslationFault f ? f.describe() : r));
    }

    TranslationFault fault(long va, AccessKind kind, boolean unprivileged, TranslationRegime regime) {
        return fault(va, kind, unprivileged, regime, ram);
    }

    TranslationFault fault(long va, AccessKind kind, boolean unprivileged, TranslationRegime regime,
                           PhysicalMemory mem) {
        WalkResult r = walker.walk(va, kind, unprivileged, regime, mem);
        return assertInstanceOf(TranslationFault.class, r, () -> "expected a fault on 0x" + Long.toHexString(va)
                + ", got " + r);
    }

    @Override
    public void close() {
        arena.close();
    }
}
