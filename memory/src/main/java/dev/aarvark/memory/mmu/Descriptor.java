package dev.aarvark.memory.mmu;

/**
 * Field positions of VMSAv8-64 stage-1 translation table descriptors, 4 KB/16 KB/64 KB granules,
 * 48-bit output addresses (Arm ARM DDI 0487, D5 "VMSAv8-64 translation table format descriptors").
 * Constants only.
 *
 * <p>Bits[1:0]: 0bx0 invalid; 0b01 block (levels 0-2) or reserved (level 3); 0b11 table (levels 0-2)
 * or page (level 3). Leaf (block/page) attributes: AttrIndx[2:0] bits 4:2, NS 5, AP[2:1] bits 7:6,
 * SH 9:8, AF 10, nG 11, output address 47:n, Contiguous 52, PXN 53, UXN 54. Table attributes:
 * next-level table address 47:granule, PXNTable 59, UXNTable 60, APTable[1:0] bits 62:61, NSTable 63.
 * Bits 51:48 are RES0 in Armv8.0 (they only carry address bits with FEAT_LPA) and are ignored here; NS
 * and NSTable are ignored because the modelled regime is Non-secure EL1&amp;0.
 */
final class Descriptor {
    static final long VALID = 1L;
    /** Bit 1: table (levels 0-2) or page (level 3) when set, block when clear. */
    static final long TABLE_OR_PAGE = 1L << 1;
    static final int ATTR_INDX_SHIFT = 2;
    /** AP[1]: EL0 has data access. */
    static final long AP1_EL0_ACCESS = 1L << 6;
    /** AP[2]: read-only at every exception level. */
    static final long AP2_READ_ONLY = 1L << 7;
    /** AF: the access flag; zero gives an Access flag fault (no hardware update in Armv8.0). */
    static final long ACCESS_FLAG = 1L << 10;
    /** nG: the translation is specific to the current ASID. */
    static final long NOT_GLOBAL = 1L << 11;
    static final long PXN = 1L << 53;
    static final long UXN = 1L << 54;
    static final long PXN_TABLE = 1L << 59;
    static final long UXN_TABLE = 1L << 60;
    /** APTable[0]: no EL0 data access at any later level. */
    static final long AP_TABLE_NO_EL0 = 1L << 61;
    /** APTable[1]: no write access at any later level. */
    static final long AP_TABLE_READ_ONLY = 1L << 62;
    /** Highest output address bit without FEAT_LPA. */
    static final int ADDRESS_TOP = 47;

    private Descriptor() {
    }
}
