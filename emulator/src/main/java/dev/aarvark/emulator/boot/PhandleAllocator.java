package dev.aarvark.emulator.boot;

/**
 * Hands out {@code phandle} values (Devicetree Specification v0.4 §2.3.3): unique, non-zero, never
 * {@code 0xffffffff}, counting up from a first value. QEMU's generated trees start at
 * {@link #QEMU_FIRST} (0x8000), so allocating in QEMU's order reproduces QEMU's values exactly.
 * A reference to a node is just a cell holding its phandle.
 */
public final class PhandleAllocator {
    /** Where QEMU's {@code qemu_fdt_alloc_phandle} starts. */
    public static final int QEMU_FIRST = 0x8000;

    private long next;

    public PhandleAllocator(int first) {
        if (first == 0 || first == -1) {
            throw new IllegalArgumentException("phandle " + Hex.of(first & 0xffff_ffffL) + " is reserved");
        }
        this.next = first & 0xffff_ffffL;
    }

    /** The next unused phandle. */
    public int allocate() {
        if (next >= 0xffff_ffffL) {
            throw new IllegalStateException("phandle space exhausted");
        }
        return (int) next++;
    }

    /**
     * Gives {@code node} a phandle: returns its existing {@code phandle} property if it has one,
     * otherwise allocates one and inserts the property first (where QEMU's trees show it).
     */
    public int assign(FdtNode node) {
        var existing = node.property("phandle");
        if (existing.isPresent()) {
            return existing.get().asU32();
        }
        int ph = allocate();
        node.putFirst(FdtProperty.u32("phandle", ph));
        return ph;
    }
}
