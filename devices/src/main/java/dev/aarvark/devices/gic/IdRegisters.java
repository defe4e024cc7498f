package dev.aarvark.devices.gic;

/**
 * The CoreSight peripheral and component ID registers at the top of the GIC register frames
 * (PIDR4-7, PIDR0-3, CIDR0-3 — IHI 0048B §4.3, "Identification registers"; IHI 0069 §12.9
 * and §12.11, GICD_PIDR2 / GICR_PIDR2), with QEMU 7.2's values: an Arm
 * GICv2 distributor (PIDR2.ArchRev = 2, PIDR2 = 0x2B at 0xFE8) and Arm GICv3 distributor and
 * redistributor frames (PIDR2 = 0x3B at 0xFFE8; PIDR0 0x92 for the distributor, 0x93 for a
 * redistributor). Guests check the architecture revision in PIDR2[7:4] (Linux's GICv3 driver
 * refuses a redistributor whose PIDR2 is not 0x3x or 0x4x).
 */
final class IdRegisters {
    /** GICv2 distributor, 12 words from offset 0xFD0. */
    static final IdRegisters GICV2_DISTRIBUTOR = new IdRegisters(0xFD0,
            0x04, 0x00, 0x00, 0x00, 0x90, 0xB4, 0x2B, 0x00, 0x0D, 0xF0, 0x05, 0xB1);
    /** GICv3 distributor, 12 words from offset 0xFFD0. */
    static final IdRegisters GICV3_DISTRIBUTOR = new IdRegisters(0xFFD0,
            0x44, 0x00, 0x00, 0x00, 0x92, 0xB4, 0x3B, 0x00, 0x0D, 0xF0, 0x05, 0xB1);
    /** GICv3 redistributor RD_base frame, 12 words from offset 0xFFD0. */
    static final IdRegisters GICV3_REDISTRIBUTOR = new IdRegisters(0xFFD0,
            0x44, 0x00, 0x00, 0x00, 0x93, 0xB4, 0x3B, 0x00, 0x0D, 0xF0, 0x05, 0xB1);

    private final long base;
    private final int[] words;

    private IdRegisters(long base, int... words) {
        this.base = base;
        this.words = words;
    }

    /** True if {@code offset} is one of these registers (word-aligned). */
    boolean contains(long offset) {
        return offset >= base && offset < base + 4L * words.length;
    }

    /** The register at {@code offset}; {@link #contains} must hold. */
    int read(long offset) {
        return words[(int) ((offset - base) >>> 2)];
    }
}
