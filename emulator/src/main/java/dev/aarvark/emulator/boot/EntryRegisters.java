package dev.aarvark.emulator.boot;

/**
 * The general-purpose registers the boot CPU starts with. Linux's arm64 boot protocol
 * ({@code Documentation/arch/arm64/booting.rst}, "Call the kernel image") wants {@code x0} = the
 * DTB's physical address and {@code x1}-{@code x3} = 0; every other register is 0 at reset.
 */
public record EntryRegisters(long x0, long x1, long x2, long x3) {
    /** {@code x0} = {@code dtbAddress}, {@code x1}-{@code x3} = 0. */
    public static EntryRegisters withDtb(long dtbAddress) {
        return new EntryRegisters(dtbAddress, 0, 0, 0);
    }

    @Override
    public String toString() {
        return "x0=" + Hex.of(x0) + " x1=" + Hex.of(x1) + " x2=" + Hex.of(x2) + " x3=" + Hex.of(x3);
    }
}
