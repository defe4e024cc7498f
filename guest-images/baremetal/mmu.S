// mmu: stage 1 translation at EL1&0 with a 4 KiB granule, built and enabled by the guest.
//
// Map (TCR_EL1: T0SZ = T1SZ = 16, TG0 = TG1 = 4 KiB, IPS = 40 bits, cacheable walks;
// MAIR_EL1 attr 0 = Normal WB, attr 1 = Device-nGnRnE; see include/aarvark.h):
//   TTBR0  L0[0] -> L1;  L0[1..] invalid                    (VA 512 GiB+: level 0 fault)
//          L1[0] -> L2_dev: [72] = PL011 2 MiB Device block
//          L1[1] -> L2_ram: [0] -> L3_image; [1..254] = 2 MiB Normal blocks; [255] invalid
//          L1[2..] invalid                                  (VA 2 GiB+: level 1 fault)
//          L3_image: 4 KiB identity pages for the image (0x40100000..__image_end), Normal,
//                    EL1 RW, UXN; pages 0x40000000..0x400FFFFF (DTB) invalid; test pages below
//   TTBR1  VA 0xFFFF_0000_0000_0000 -> pg_ttbr1 (L0[0] -> L1[0] -> L2[0] -> L3[0]); L3[1] and
//          L1[1..] invalid
// Test pages (4 KiB each, .bss.pages, identity-mapped unless stated):
//   pg_cross  EL1 RW, EL0 none (AP = 00), XN   - followed directly by the hole
//   pg_hole   INVALID level 3 descriptor       - translation faults at level 3
//   pg_after  EL1 RW, XN                        - negative-index base, AT target, DC ZVA target
//   pg_ro     EL1 read-only (AP = 10), XN       - permission faults
//   pg_noaf   AF = 0                            - access flag fault
//   pg_pxn    PXN = UXN = 1                     - instruction abort (permission)
//   pg_ttbr1  EL1 RW, XN; also mapped at TTBR1_BASE
//   pg_el0stk EL0 RW (AP = 01), XN              - EL0 stack
//   .el0_text EL0/EL1 read-only (AP = 11), PXN  - code run at EL0
//
// Data aborts: EC 0x25 from EL1 / 0x24 from EL0, IL = 1, WnR[6], DFSC[5:0]; instruction aborts:
// EC 0x21 / 0x20 with IFSC; FSC = 0b0001LL translation, 0b0010LL access flag, 0b0011LL
// permission, LL = level (Arm ARM D17.2.37 ESR_EL1, "ISS encoding for an exception from a Data
// Abort / Instruction Abort"). ISV = 0 for all of them on QEMU (see exceptions.S), so those ESRs
// are exactly EC | IL | WnR | FSC. FAR_EL1 = the faulting VA (Arm ARM D17.2.40 FAR_EL1); for
// an instruction abort FAR = ELR = the branch target. The recorder resumes each fault at a
// label after the faulting instruction.
//
// QEMU 7.2 behaviours the checks encode (verified on cortex-a53/a57/a72, see README.md):
//  * An access that starts in a mapped page and runs into an unmapped one reports FAR = the
//    first byte of the unmapped page (LDR X, STR X, LDP, LDR Q tested).
//  * DC ZVA reports WnR = 1 and CM = 0, with FAR = the address in the register (not aligned down
//    to the 64-byte block).
//  * PAR_EL1 after AT S1E1R: F = 0, PA, NS = 1 (bit 9; QEMU always reports it for Non-secure),
//    bit 11 = 1 (RES1), SH = 0b11, ATTR = 0xFF (MAIR attribute of the page); on a fault: F = 1,
//    FST = the fault status code, bit 11 = 1.
//  * A VA in neither TTBR range (bits [63:48] neither all 0 nor all 1) is a level 0 translation
//    fault.
#include "aarvark.h"

    GUEST_NAME "mmu"

#define EL1_MASKED      (PSR_DAIF | PSR_MODE_EL1h)
#define EL0_SPSR        (PSR_MODE_EL0t)
// Level 3 page descriptors for the image and the test pages (bit 1 = 1: page, not reserved).
#define PTE_L3          (PTE_NORMAL | PTE_PAGE)
#define PTE_DATA        (PTE_L3 | PTE_PXN | PTE_UXN)                    // EL1 RW, never executable
#define PTE_DATA_RO     (PTE_L3 | PTE_AP_EL1_RO | PTE_PXN | PTE_UXN)    // EL1 read-only
#define PTE_DATA_NOAF   (PTE_DATA & ~PTE_AF)                            // access flag clear
#define PTE_EL0_RW      (PTE_L3 | PTE_AP_ALL_RW | PTE_PXN | PTE_UXN)
#define PTE_EL0_CODE    (PTE_L3 | PTE_AP_ALL_RO | PTE_PXN)              // EL0-executable
#define PTE_IMAGE       (PTE_L3 | PTE_UXN)                              // EL1 RWX, EL0 nothing
// Addresses chosen to fault at a given level.
#define L2_HOLE_INDEX   255                                 // L2_ram[255] left invalid
#define VA_L2_HOLE      (RAM_BASE + L2_HOLE_INDEX * BLOCK_2M + 0x100)       // 0x5FE00100
#define VA_L1_HOLE      (2 * BLOCK_1G + 0x200)                              // 0x80000200
#define VA_L0_HOLE      ((1 << L0_SHIFT) + 0x300)                           // 0x80_0000_0300
#define VA_NONCANON     0x0001000000000040          // bit 48 set: outside TTBR0 and TTBR1 ranges
#define VA_T1_PAGE      TTBR1_BASE                  // -> pg_ttbr1
#define VA_T1_HOLE      (TTBR1_BASE + PAGE_SIZE)    // TTBR1 L3[1]: invalid
#define VA_T1_L1_HOLE   (TTBR1_BASE + BLOCK_1G)     // TTBR1 L1[1]: invalid
// PAR_EL1 fields (Arm ARM D17.2.108 PAR_EL1): F[0], FST[6:1] (F = 1), SH[8:7], NS[9], bit 11
// RES1, PA[47:12], ATTR[63:56] (F = 0).
#define PAR_F           1
#define PAR_FST(fsc)    ((fsc) << 1)
#define PAR_SH_INNER    (3 << 7)
#define PAR_NS          (1 << 9)
#define PAR_RES1        (1 << 11)
#define PAR_ATTR(a)     ((a) << 56)
#define PAR_OK_NORMAL   (PAR_ATTR(MAIR_ATTR_NORMAL_WB) | PAR_RES1 | PAR_NS | PAR_SH_INNER)
#define DCZID_64B       4           // DCZID_EL0: BS = 4 (log2 words -> 64 bytes), DZP = 0
#define ZVA_BLOCK       64
#define PATTERN_A       0x1122334455667788
#define PATTERN_B       0xa5a5a5a55a5a5a5a
#define PATTERN_EL0     0x0e0e0e0e
#define FF_BYTES        0xffffffffffffffff

    // Translation tables and test pages.
    PAGE tt0_l0
    PAGE tt0_l1
    PAGE tt0_l2_dev
    PAGE tt0_l2_ram
    PAGE tt0_l3_image
    PAGE tt1_l0
    PAGE tt1_l1
    PAGE tt1_l2
    PAGE tt1_l3
    PAGE pg_cross               // pg_cross and pg_hole must stay adjacent, in this order
    PAGE pg_hole
    PAGE pg_after               // directly after the hole
    PAGE pg_ro
    PAGE pg_noaf
    PAGE pg_pxn
    PAGE pg_ttbr1
    PAGE pg_el0stk

// Set the level 3 descriptor of the identity-mapped page \page to \page | \attrs.
.macro MAP_L3 page, attrs
    ldr     x9, =\page
    ubfx    x10, x9, #L3_SHIFT, #9
    ldr     x11, =\attrs
    orr     x11, x11, x9
    ldr     x12, =tt0_l3_image
    str     x11, [x12, x10, lsl #3]
.endm
.macro UNMAP_L3 page
    ldr     x9, =\page
    ubfx    x10, x9, #L3_SHIFT, #9
    ldr     x12, =tt0_l3_image
    str     xzr, [x12, x10, lsl #3]
.endm
// Data abort at EL1: vector, ESR, ELR = \insn, SPSR = EL1h masked with NZCV clear, FAR.
.macro CHECK_DABT esr, insn, far
    CHECK_EXC VEC_CUR_SPX_SYNC, \esr, \insn, EL1_MASKED
    CHECK_FAR \far
.endm
.macro EL0_RUN routine, resume
    EXPECT  \resume
    ldr     x0, =\routine
    ldr     x1, =pg_el0stk + PAGE_SIZE
    mov     x2, #EL0_SPSR
    bl      run_el0
.endm

    .text
    .global main
main:
    stp     x29, x30, [sp, #-16]!

    // ---- build TTBR0 -------------------------------------------------------------------------
    ldr     x0, =tt0_l0
    ldr     x1, =tt0_l1
    ldr     x2, =tt0_l2_dev
    ldr     x3, =tt0_l2_ram
    bl      pt_identity_2m              // L0/L1/L2 identity map with 2 MiB blocks
    ldr     x0, =tt0_l2_ram
    ldr     x9, =tt0_l3_image
    orr     x9, x9, #(PTE_VALID | PTE_TABLE)
    str     x9, [x0]                    // first 2 MiB of RAM -> level 3 table
    str     xzr, [x0, #(L2_HOLE_INDEX * 8)]
    // L3: the whole image as EL1 RWX pages
    ldr     x9, =__image_start
    ldr     x10, =__image_end
    ldr     x0, =tt0_l3_image
    ubfx    x1, x9, #L3_SHIFT, #9
    sub     x2, x10, x9
    lsr     x2, x2, #L3_SHIFT
    ldr     x3, =PTE_IMAGE
    orr     x3, x3, x9
    mov     x4, #PAGE_SIZE
    bl      pt_fill
    // EL0 code pages
    ldr     x9, =__el0_text_start
    ldr     x10, =__el0_text_end
    ldr     x0, =tt0_l3_image
    ubfx    x1, x9, #L3_SHIFT, #9
    sub     x2, x10, x9
    lsr     x2, x2, #L3_SHIFT
    ldr     x3, =PTE_EL0_CODE
    orr     x3, x3, x9
    mov     x4, #PAGE_SIZE
    bl      pt_fill
    // test pages
    MAP_L3  pg_cross, PTE_DATA
    UNMAP_L3 pg_hole
    MAP_L3  pg_after, PTE_DATA
    MAP_L3  pg_ro, PTE_DATA_RO
    MAP_L3  pg_noaf, PTE_DATA_NOAF
    MAP_L3  pg_pxn, PTE_DATA            // PXN and UXN both set
    MAP_L3  pg_ttbr1, PTE_DATA
    MAP_L3  pg_el0stk, PTE_EL0_RW

    // ---- build TTBR1: TTBR1_BASE -> pg_ttbr1 ----------------------------------------------
    ldr     x0, =tt1_l0
    ldr     x1, =tt1_l1
    orr     x9, x1, #(PTE_VALID | PTE_TABLE)
    str     x9, [x0]
    ldr     x2, =tt1_l2
    orr     x9, x2, #(PTE_VALID | PTE_TABLE)
    str     x9, [x1]
    ldr     x3, =tt1_l3
    orr     x9, x3, #(PTE_VALID | PTE_TABLE)
    str     x9, [x2]
    ldr     x9, =pg_ttbr1
    ldr     x10, =PTE_DATA
    orr     x9, x9, x10
    str     x9, [x3]

    // Before the MMU is on: seed the pages that are read through the map.
    ldr     x9, =pg_ro
    ldr     x10, =PATTERN_B
    str     x10, [x9]

    // ---- MMU on --------------------------------------------------------------------------------
    ldr     x0, =tt0_l0
    ldr     x1, =tt1_l0
    ldr     x2, =__bss_start
    ldr     x3, =__bss_end
    bl      mmu_enable

    // SCTLR_EL1.M, C and I are set, and code, data, stack and UART work through the map.
    CHECK_BEGIN "mmu-enabled"
    mrs     x0, sctlr_el1
    mov     x9, #(SCTLR_M | SCTLR_C | SCTLR_I)
    and     x0, x0, x9
    CHECK_EQ "sctlr.m|c|i", x0, (SCTLR_M | SCTLR_C | SCTLR_I)
    CHECK_OK

    // A store through TTBR1 lands in pg_ttbr1 (read back through the identity map), and a store
    // through the identity map is seen through TTBR1.
    CHECK_BEGIN "ttbr1-high-va"
    ldr     x1, =VA_T1_PAGE + 0x10
    ldr     x2, =PATTERN_A
    str     x2, [x1]
    ldr     x3, =pg_ttbr1 + 0x10
    ldr     x4, [x3]
    CHECK_EQ "identity-read", x4, PATTERN_A
    ldr     x3, =pg_ttbr1 + 0x18
    ldr     x2, =PATTERN_B
    str     x2, [x3]
    ldr     x1, =VA_T1_PAGE + 0x18
    ldr     x4, [x1]
    CHECK_EQ "ttbr1-read", x4, PATTERN_B
    CHECK_OK

    // With the MMU on and SCTLR_EL1.A = 0, an unaligned access to Normal memory is permitted.
    CHECK_BEGIN "unaligned-normal-ok"
    ldr     x1, =pg_ttbr1 + 0x11
    ldr     x4, [x1]                    // bytes 0x11..0x18 of the page
    CHECK_EQ "value", x4, ((PATTERN_A >> 8) | ((PATTERN_B & 0xff) << 56))
    CHECK_OK

    // AT S1E1R of a mapped VA: PAR_EL1.F = 0 with the page's PA and attributes.
    CHECK_BEGIN "at-s1e1r-mapped"
    ldr     x1, =pg_after + 0x123
    at      s1e1r, x1
    isb
    mrs     x0, par_el1
    CHECK_EQ "par_el1", x0, pg_after + PAR_OK_NORMAL   // "+": the PA is page-aligned
    ldr     x1, =VA_T1_PAGE + 0x40      // and through TTBR1
    at      s1e1r, x1
    isb
    mrs     x0, par_el1
    CHECK_EQ "par_el1(ttbr1)", x0, pg_ttbr1 + PAR_OK_NORMAL
    CHECK_OK

    // AT S1E1R of an unmapped VA: F = 1, FST = translation fault level 3. No exception.
    CHECK_BEGIN "at-s1e1r-unmapped"
    ldr     x1, =pg_hole + 0x40
    at      s1e1r, x1
    isb
    mrs     x0, par_el1
    CHECK_EQ "par_el1", x0, (PAR_RES1 | PAR_FST(FSC_TRANS(3)) | PAR_F)
    CHECK_OK

    // AT S1E1W of a read-only page: F = 1, FST = permission fault level 3.
    CHECK_BEGIN "at-s1e1w-readonly"
    ldr     x1, =pg_ro
    at      s1e1w, x1
    isb
    mrs     x0, par_el1
    CHECK_EQ "par_el1", x0, (PAR_RES1 | PAR_FST(FSC_PERM(3)) | PAR_F)
    CHECK_OK

    // ---- translation faults ------------------------------------------------------------------
    CHECK_BEGIN "trans-l3-load-ttbr0"
    ldr     x1, =pg_hole + 0x40
    EXPECT  1f
    msr     nzcv, xzr
t_l3_load:
    ldr     x0, [x1]
1:  CHECK_DABT ESR(EC_DABT_CUR, FSC_TRANS(3)), t_l3_load, pg_hole + 0x40
    CHECK_OK

    CHECK_BEGIN "trans-l3-store-ttbr0"
    ldr     x1, =pg_hole + 0x48
    EXPECT  1f
    msr     nzcv, xzr
t_l3_store:
    str     x0, [x1]
1:  CHECK_DABT ESR(EC_DABT_CUR, ISS_WNR | FSC_TRANS(3)), t_l3_store, pg_hole + 0x48
    CHECK_OK

    CHECK_BEGIN "trans-l3-load-ttbr1"
    ldr     x1, =VA_T1_HOLE + 0x8
    EXPECT  1f
    msr     nzcv, xzr
t_t1_load:
    ldr     w0, [x1]
1:  CHECK_DABT ESR(EC_DABT_CUR, FSC_TRANS(3)), t_t1_load, VA_T1_HOLE + 0x8
    CHECK_OK

    CHECK_BEGIN "trans-l3-store-ttbr1"
    ldr     x1, =VA_T1_HOLE + 0x10
    EXPECT  1f
    msr     nzcv, xzr
t_t1_store:
    strb    w0, [x1]
1:  CHECK_DABT ESR(EC_DABT_CUR, ISS_WNR | FSC_TRANS(3)), t_t1_store, VA_T1_HOLE + 0x10
    CHECK_OK

    CHECK_BEGIN "trans-l2-load"
    ldr     x1, =VA_L2_HOLE
    EXPECT  1f
    msr     nzcv, xzr
t_l2_load:
    ldr     x0, [x1]
1:  CHECK_DABT ESR(EC_DABT_CUR, FSC_TRANS(2)), t_l2_load, VA_L2_HOLE
    CHECK_OK

    // An unmapped 1 GiB region: L1[2] is invalid.
    CHECK_BEGIN "trans-l1-store"
    ldr     x1, =VA_L1_HOLE
    EXPECT  1f
    msr     nzcv, xzr
t_l1_store:
    str     x0, [x1]
1:  CHECK_DABT ESR(EC_DABT_CUR, ISS_WNR | FSC_TRANS(1)), t_l1_store, VA_L1_HOLE
    CHECK_OK

    CHECK_BEGIN "trans-l1-load-ttbr1"
    ldr     x1, =VA_T1_L1_HOLE
    EXPECT  1f
    msr     nzcv, xzr
t_t1_l1_load:
    ldr     x0, [x1]
1:  CHECK_DABT ESR(EC_DABT_CUR, FSC_TRANS(1)), t_t1_l1_load, VA_T1_L1_HOLE
    CHECK_OK

    CHECK_BEGIN "trans-l0-load"
    ldr     x1, =VA_L0_HOLE
    EXPECT  1f
    msr     nzcv, xzr
t_l0_load:
    ldr     x0, [x1]
1:  CHECK_DABT ESR(EC_DABT_CUR, FSC_TRANS(0)), t_l0_load, VA_L0_HOLE
    CHECK_OK

    // A VA outside both 48-bit halves: translation fault at level 0 (Arm ARM D8.2: an address
    // outside the input range of the selected TTBR faults at the initial lookup level 0).
    CHECK_BEGIN "trans-noncanonical"
    ldr     x1, =VA_NONCANON
    EXPECT  1f
    msr     nzcv, xzr
t_nc_load:
    ldr     x0, [x1]
1:  CHECK_DABT ESR(EC_DABT_CUR, FSC_TRANS(0)), t_nc_load, VA_NONCANON
    CHECK_OK

    // ---- permission and access flag faults -------------------------------------------------
    // Loads from the read-only page work; a store faults with DFSC 0x0F (permission, level 3)
    // and WnR = 1.
    CHECK_BEGIN "perm-store-readonly"
    ldr     x1, =pg_ro
    ldr     x4, [x1]
    CHECK_EQ "load", x4, PATTERN_B
    ldr     x1, =pg_ro + 0x8
    EXPECT  1f
    msr     nzcv, xzr
t_ro_store:
    str     x0, [x1]
1:  CHECK_DABT ESR(EC_DABT_CUR, ISS_WNR | FSC_PERM(3)), t_ro_store, pg_ro + 0x8
    CHECK_OK

    // AF = 0: access flag fault, DFSC 0x0B (level 3). No hardware AF update on these CPUs.
    CHECK_BEGIN "access-flag-load"
    ldr     x1, =pg_noaf + 0x20
    EXPECT  1f
    msr     nzcv, xzr
t_af_load:
    ldr     x0, [x1]
1:  CHECK_DABT ESR(EC_DABT_CUR, FSC_ACCESS(3)), t_af_load, pg_noaf + 0x20
    CHECK_OK

    // ---- instruction aborts: FAR = ELR = the branch target ----------------------------------
    CHECK_BEGIN "iabt-pxn"
    ldr     x1, =pg_pxn
    EXPECT  1f
    msr     nzcv, xzr
    blr     x1
1:  CHECK_EXC VEC_CUR_SPX_SYNC, ESR(EC_IABT_CUR, FSC_PERM(3)), pg_pxn, EL1_MASKED
    CHECK_FAR pg_pxn
    CHECK_OK

    CHECK_BEGIN "iabt-unmapped-l3"
    ldr     x1, =pg_hole
    EXPECT  1f
    msr     nzcv, xzr
    blr     x1
1:  CHECK_EXC VEC_CUR_SPX_SYNC, ESR(EC_IABT_CUR, FSC_TRANS(3)), pg_hole, EL1_MASKED
    CHECK_FAR pg_hole
    CHECK_OK

    CHECK_BEGIN "iabt-unmapped-l1"
    ldr     x1, =VA_L1_HOLE
    EXPECT  1f
    msr     nzcv, xzr
    br      x1
1:  CHECK_EXC VEC_CUR_SPX_SYNC, ESR(EC_IABT_CUR, FSC_TRANS(1)), VA_L1_HOLE, EL1_MASKED
    CHECK_FAR VA_L1_HOLE
    CHECK_OK

    // ---- addressing modes: FAR is the address the access used -------------------------------
    CHECK_BEGIN "ldp-unmapped"
    ldr     x1, =pg_hole + 0x10
    EXPECT  1f
    msr     nzcv, xzr
t_ldp:
    ldp     x2, x3, [x1]
1:  CHECK_DABT ESR(EC_DABT_CUR, FSC_TRANS(3)), t_ldp, pg_hole + 0x10
    CHECK_OK

    CHECK_BEGIN "stp-readonly"
    ldr     x1, =pg_ro + 0x20
    EXPECT  1f
    msr     nzcv, xzr
t_stp:
    stp     x2, x3, [x1]
1:  CHECK_DABT ESR(EC_DABT_CUR, ISS_WNR | FSC_PERM(3)), t_stp, pg_ro + 0x20
    CHECK_OK

    // Post-indexed store: the access uses the un-updated base, so FAR = X1; the aborted
    // instruction does not write back its base (X1 unchanged when execution resumes).
    CHECK_BEGIN "str-post-index"
    ldr     x1, =pg_hole + 0x30
    EXPECT  1f
    msr     nzcv, xzr
t_post:
    str     x0, [x1], #16
1:  mov     x19, x1
    CHECK_DABT ESR(EC_DABT_CUR, ISS_WNR | FSC_TRANS(3)), t_post, pg_hole + 0x30
    CHECK_EQ "x1(base)", x19, pg_hole + 0x30
    CHECK_OK

    // Pre-indexed load with a negative offset from the start of pg_after into the hole:
    // FAR = X1 - 16, and X1 is not written back.
    CHECK_BEGIN "ldr-pre-index-negative"
    ldr     x1, =pg_after
    EXPECT  1f
    msr     nzcv, xzr
t_pre:
    ldr     x0, [x1, #-16]!
1:  mov     x19, x1
    CHECK_DABT ESR(EC_DABT_CUR, FSC_TRANS(3)), t_pre, pg_after - 16
    CHECK_EQ "x1(base)", x19, pg_after
    CHECK_OK

    // Register offset, sign-extended negative 32-bit index scaled by 8: X1 + (-2 << 3).
    CHECK_BEGIN "ldr-sxtw-negative-index"
    ldr     x1, =pg_after
    mov     w2, #-2
    EXPECT  1f
    msr     nzcv, xzr
t_sxtw:
    ldr     x0, [x1, w2, sxtw #3]
1:  CHECK_DABT ESR(EC_DABT_CUR, FSC_TRANS(3)), t_sxtw, pg_after - 16
    CHECK_OK

    // SIMD structure load.
    CHECK_BEGIN "ld1-simd-unmapped"
    ldr     x1, =pg_hole + 0x50
    EXPECT  1f
    msr     nzcv, xzr
t_ld1:
    ld1     {v0.16b}, [x1]
1:  CHECK_DABT ESR(EC_DABT_CUR, FSC_TRANS(3)), t_ld1, pg_hole + 0x50
    CHECK_OK

    // ---- accesses that start in pg_cross and run into pg_hole: FAR = first byte of pg_hole ---
    CHECK_BEGIN "cross-ldr-x"
    ldr     x1, =pg_hole - 4            // 8 bytes: 4 mapped, 4 unmapped
    EXPECT  1f
    msr     nzcv, xzr
t_cross_ldr:
    ldr     x0, [x1]
1:  CHECK_DABT ESR(EC_DABT_CUR, FSC_TRANS(3)), t_cross_ldr, pg_hole
    CHECK_OK

    CHECK_BEGIN "cross-str-x"
    ldr     x1, =pg_hole - 2
    EXPECT  1f
    msr     nzcv, xzr
t_cross_str:
    str     x0, [x1]
1:  CHECK_DABT ESR(EC_DABT_CUR, ISS_WNR | FSC_TRANS(3)), t_cross_str, pg_hole
    CHECK_OK

    CHECK_BEGIN "cross-ldp"
    ldr     x1, =pg_hole - 8            // first register mapped, second not
    EXPECT  1f
    msr     nzcv, xzr
t_cross_ldp:
    ldp     x2, x3, [x1]
1:  CHECK_DABT ESR(EC_DABT_CUR, FSC_TRANS(3)), t_cross_ldp, pg_hole
    CHECK_OK

    CHECK_BEGIN "cross-ldr-q"
    ldr     x1, =pg_hole - 8            // 16-byte SIMD load: 8 mapped, 8 unmapped
    EXPECT  1f
    msr     nzcv, xzr
t_cross_q:
    ldr     q0, [x1]
1:  CHECK_DABT ESR(EC_DABT_CUR, FSC_TRANS(3)), t_cross_q, pg_hole
    CHECK_OK

    // ---- DC ZVA ----------------------------------------------------------------------------
    // DCZID_EL0 says 64-byte blocks; DC ZVA on a mapped page zeroes exactly one block.
    CHECK_BEGIN "dc-zva-mapped"
    mrs     x0, dczid_el0
    CHECK_EQ "dczid_el0", x0, DCZID_64B
    ldr     x1, =pg_after
    mov     x2, #-1
    mov     x3, #(2 * ZVA_BLOCK / 16)   // fill two blocks with 0xff
2:  stp     x2, x2, [x1], #16
    subs    x3, x3, #1
    b.ne    2b
    ldr     x1, =pg_after + 0x28        // any address in the first block
    dc      zva, x1
    ldr     x1, =pg_after
    ldr     x4, [x1]
    CHECK_EQ "first-block-start", x4, 0
    ldr     x4, [x1, #(ZVA_BLOCK - 8)]
    CHECK_EQ "first-block-end", x4, 0
    ldr     x4, [x1, #ZVA_BLOCK]
    CHECK_EQ "second-block", x4, FF_BYTES
    CHECK_OK

    // DC ZVA on an unmapped page: a write (WnR = 1), translation fault, FAR = the address given
    // (block-aligned here, so there is no question which address is meant).
    CHECK_BEGIN "dc-zva-unmapped"
    ldr     x1, =pg_hole + ZVA_BLOCK
    EXPECT  1f
    msr     nzcv, xzr
t_zva:
    dc      zva, x1
1:  CHECK_DABT ESR(EC_DABT_CUR, ISS_WNR | FSC_TRANS(3)), t_zva, pg_hole + ZVA_BLOCK
    CHECK_OK

    // The same with an address inside a block: FAR is still the address in the register, not
    // the block-aligned address that is zeroed (Arm ARM, DC ZVA: a fault "that sets FAR_ELx"
    // reports "the address specified in the register argument of the instruction").
    CHECK_BEGIN "dc-zva-unmapped-unaligned"
    ldr     x1, =pg_hole + ZVA_BLOCK + 0x28
    EXPECT  1f
    msr     nzcv, xzr
t_zva_u:
    dc      zva, x1
1:  CHECK_DABT ESR(EC_DABT_CUR, ISS_WNR | FSC_TRANS(3)), t_zva_u, pg_hole + ZVA_BLOCK + 0x28
    CHECK_OK

    // ---- EL0 ---------------------------------------------------------------------------------
    // EL0 uses its own stack page (AP = 01) and returns a value: no fault.
    CHECK_BEGIN "el0-stack-page"
    ldr     x0, =el0_use_stack
    ldr     x1, =pg_el0stk + PAGE_SIZE
    mov     x2, #EL0_SPSR
    bl      run_el0
    CHECK_EQ "x0", x0, PATTERN_EL0
    CHECK_OK

    // EL0 load from an EL1-only page (AP = 00): permission fault from a lower EL, EC 0x24,
    // DFSC 0x0F, WnR = 0, FAR = the address, ELR = the load.
    CHECK_BEGIN "el0-load-el1-page"
    EL0_RUN el0_perm, el0_perm_after
    CHECK_EXC VEC_LOWER64_SYNC, ESR(EC_DABT_LOWER, FSC_PERM(3)), el0_perm_insn, EL0_SPSR
    CHECK_FAR pg_cross + 0x80
    CHECK_OK

    // EL0 store to the EL1 read-only page: same, with WnR = 1.
    CHECK_BEGIN "el0-store-el1-ro-page"
    EL0_RUN el0_perm_w, el0_perm_w_after
    CHECK_EXC VEC_LOWER64_SYNC, ESR(EC_DABT_LOWER, ISS_WNR | FSC_PERM(3)), el0_perm_w_insn, EL0_SPSR
    CHECK_FAR pg_ro + 0x88
    CHECK_OK

    // EL0 branch into EL1 code (UXN = 1): instruction abort from a lower EL, EC 0x20, IFSC 0x0F,
    // FAR = ELR = the target.
    CHECK_BEGIN "el0-exec-uxn-page"
    EL0_RUN el0_exec_el1, el0_exec_el1_after
    CHECK_EXC VEC_LOWER64_SYNC, ESR(EC_IABT_LOWER, FSC_PERM(3)), main, EL0_SPSR
    CHECK_FAR main
    CHECK_OK

    // EL0 load from an unmapped page: translation fault from a lower EL.
    CHECK_BEGIN "el0-load-unmapped"
    EL0_RUN el0_unmapped, el0_unmapped_after
    CHECK_EXC VEC_LOWER64_SYNC, ESR(EC_DABT_LOWER, FSC_TRANS(3)), el0_unmapped_insn, EL0_SPSR
    CHECK_FAR pg_hole + 0x90
    CHECK_OK

    b       report_pass

// ================================ EL0 routines (EL0-executable pages) ===========================
    .section .el0_text, "ax"
el0_use_stack:
    ldr     x1, =PATTERN_EL0
    stp     x1, xzr, [sp, #-16]!
    ldp     x0, x2, [sp], #16
    svc     #SVC_EL0_EXIT

el0_perm:
    ldr     x1, =pg_cross + 0x80
el0_perm_insn:
    ldr     x0, [x1]
el0_perm_after:
    svc     #SVC_EL0_EXIT

el0_perm_w:
    ldr     x1, =pg_ro + 0x88
el0_perm_w_insn:
    str     x0, [x1]
el0_perm_w_after:
    svc     #SVC_EL0_EXIT

el0_exec_el1:
    ldr     x1, =main
    blr     x1
el0_exec_el1_after:
    svc     #SVC_EL0_EXIT

el0_unmapped:
    ldr     x1, =pg_hole + 0x90
el0_unmapped_insn:
    ldr     x0, [x1]
el0_unmapped_after:
    svc     #SVC_EL0_EXIT
    .ltorg
