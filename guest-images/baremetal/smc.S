// smc: rewritten code must run as rewritten. Each check writes "movz x0, #n; ret" over code that
// already ran (so a translation of the old code exists), performs the maintenance the
// architecture requires before the new code may run (Arm ARM B2.4.4 "Concurrent modification and
// execution of instructions": DC CVAU of the written VA, DSB ISH, IC IVAU of the executed VA,
// DSB ISH, ISB), calls it, and checks that x0 is the new n. ITERATIONS rounds per check; the
// check fails with the number of rounds that ran old code ("stale-runs").
//
// Every rewrite first stores a data word elsewhere in the same page (page + DATA_OFFSET, never
// code, and within the same 1 KiB, libunicorn's TLB page): an emulator's self-modifying-code
// detection must survive a store that does not hit code. This is the pattern that made
// libunicorn 2.1.1 keep stale translations (docs/libunicorn.md): the first store disarms its
// detection for that 1 KiB, so the code stores after it go unseen. Linux produces it when it
// copies a module over pages that held an earlier module's code. Without the fix every round of
// every check runs the old code (checked with each check alone: 200, 200, 198 and 396 stale runs).
//
// Checks (code slot at page + CODE_OFFSET):
//   1 mmu-off-same-address        MMU off, one physical page
//   2 same-mapping                MMU on, identity mapping of one page
//   3 same-va-other-page          VA 0x80000000 remapped to two pages in turn (TLBI VAE1IS), written
//                                 and executed through that VA; each page keeps its old translation
//   4 new-mapping-same-page       one page executed through VA 0x80001000 and through a new
//                                 mapping (one of four VAs, remapped in turn), written through the new
//                                 mapping; both VAs must run the new code
//   5 same-mapping-iallu          check 2 with IC IALLU for the instruction side: with the data cache
//                                 on, the line the guest cleaned by VA (DC CVAU) is what changed
//   6 alias-iallu                 pg_code4 written through its identity VA, cleaned there, IC IALLU,
//                                 executed through VA 0x80001000
// Validated on QEMU 7.2 (cortex-a53/a57/a72), where every round runs the new code.
#include "aarvark.h"

    GUEST_NAME "smc"

#define ITERATIONS      200
#define CODE_OFFSET     0x28            // code slot in each page (Linux's failing PCs ended in 0x028)
#define DATA_OFFSET     0x200           // a data word in the same page and the same 1 KiB
#define MOVZ_X0         0xd2800000      // MOVZ X0, #imm16 (imm16 in bits [20:5])
#define RET             0xd65f03c0
#define VA_REMAP        0x80000000      // L1[2] -> l2_x -> l3_x[0]: remapped (check 3)
#define VA_OLD          0x80001000      // l3_x[1]: the first mapping (check 4)
#define VA_NEW          0x80002000      // l3_x[2..5]: the new mappings (check 4)
#define PTE_CODE        (PTE_NORMAL | PTE_PAGE | PTE_UXN)   // EL1 RWX, EL0 nothing

    PAGE l0
    PAGE l1
    PAGE l2_dev
    PAGE l2_ram
    PAGE l2_x
    PAGE l3_x
    PAGE pg_code1
    PAGE pg_code2
    PAGE pg_code3
    PAGE pg_code4

    .text
    .global main
main:
    stp     x29, x30, [sp, #-96]!
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    stp     x23, x24, [sp, #48]
    stp     x25, x26, [sp, #64]
    stp     x27, x28, [sp, #80]

    // 1: MMU off.
    CHECK_BEGIN "mmu-off-same-address"
    ldr     x19, =pg_code1 + CODE_OFFSET
    mov     x0, x19
    mov     x1, x19
    adr     x2, icache_sync
    bl      rewrite_rounds
    CHECK_EQ "stale-runs", x0, 0
    CHECK_OK

    // Identity map (RAM EL1 RWX), plus VA 0x80000000.. through l2_x/l3_x.
    ldr     x0, =l0
    ldr     x1, =l1
    ldr     x2, =l2_dev
    ldr     x3, =l2_ram
    bl      pt_identity_2m
    ldr     x1, =l1
    ldr     x2, =l2_x
    orr     x2, x2, #(PTE_VALID | PTE_TABLE)
    str     x2, [x1, #16]                       // l1[2] -> l2_x
    ldr     x1, =l2_x
    ldr     x2, =l3_x
    orr     x2, x2, #(PTE_VALID | PTE_TABLE)
    str     x2, [x1]                            // l2_x[0] -> l3_x
    ldr     x1, =l3_x
    ldr     x2, =pg_code2 + PTE_CODE
    str     x2, [x1]                            // VA_REMAP -> pg_code2
    ldr     x2, =pg_code4 + PTE_CODE
    str     x2, [x1, #8]                        // VA_OLD -> pg_code4
    ldr     x0, =l0
    mov     x1, #0
    ldr     x2, =l0
    ldr     x3, =pg_code1
    bl      mmu_enable

    // 2: MMU on, the same mapping.
    CHECK_BEGIN "same-mapping"
    ldr     x19, =pg_code1 + CODE_OFFSET
    mov     x0, x19
    mov     x1, x19
    adr     x2, icache_sync
    bl      rewrite_rounds
    CHECK_EQ "stale-runs", x0, 0
    CHECK_OK

    // 3: VA_REMAP alternates between pg_code2 and pg_code3.
    CHECK_BEGIN "same-va-other-page"
    mov     x21, #0                             // stale runs
    mov     x22, #1                             // round (also the value written)
    ldr     x23, =VA_REMAP + CODE_OFFSET
3:  tst     x22, #1
    ldr     x0, =pg_code2 + PTE_CODE
    ldr     x1, =pg_code3 + PTE_CODE
    csel    x1, x1, x0, eq                      // even rounds: pg_code3
    ldr     x0, =l3_x
    str     x1, [x0]
    ldr     x0, =VA_REMAP
    bl      tlb_invalidate_va
    mov     x0, x23
    mov     x1, x22
    bl      write_code
    mov     x0, x23
    bl      icache_sync
    blr     x23
    cmp     x0, x22
    cinc    x21, x21, ne
    add     x22, x22, #1
    cmp     x22, #ITERATIONS
    b.ls    3b
    CHECK_EQ "stale-runs", x21, 0
    CHECK_OK

    // 4: pg_code4 through VA_OLD and through a new mapping VA_NEW + (round % 4) pages.
    CHECK_BEGIN "new-mapping-same-page"
    mov     x21, #0
    mov     x22, #1
    ldr     x24, =VA_OLD + CODE_OFFSET
    mov     x0, x24
    mov     x1, #0
    bl      write_code
    mov     x0, x24
    bl      icache_sync
    blr     x24                                 // the old mapping has run the page's code
4:  and     x25, x22, #3
    ldr     x0, =l3_x + 16
    ldr     x1, =pg_code4 + PTE_CODE
    str     x1, [x0, x25, lsl #3]               // l3_x[2 + round % 4] -> pg_code4
    ldr     x0, =VA_NEW
    add     x26, x0, x25, lsl #12               // the new mapping's page
    mov     x0, x26
    bl      tlb_invalidate_va
    add     x26, x26, #CODE_OFFSET
    mov     x0, x26
    mov     x1, x22
    bl      write_code                          // written through the new mapping
    mov     x0, x26
    bl      icache_sync
    mov     x0, x24
    bl      icache_sync
    blr     x24                                 // old mapping
    cmp     x0, x22
    cinc    x21, x21, ne
    blr     x26                                 // new mapping
    cmp     x0, x22
    cinc    x21, x21, ne
    add     x22, x22, #1
    cmp     x22, #ITERATIONS
    b.ls    4b
    CHECK_EQ "stale-runs", x21, 0
    CHECK_OK

    // 5: check 2 with IC IALLU.
    CHECK_BEGIN "same-mapping-iallu"
    ldr     x19, =pg_code1 + CODE_OFFSET
    mov     x0, x19
    mov     x1, x19
    adr     x2, icache_sync_all
    bl      rewrite_rounds
    CHECK_EQ "stale-runs", x0, 0
    CHECK_OK

    // 6: pg_code4 written and cleaned through its identity VA, executed through VA_OLD.
    CHECK_BEGIN "alias-iallu"
    ldr     x0, =pg_code4 + CODE_OFFSET
    ldr     x1, =VA_OLD + CODE_OFFSET
    adr     x2, icache_sync_all
    bl      rewrite_rounds
    CHECK_EQ "stale-runs", x0, 0
    CHECK_OK

    bl      report_pass
    mov     w0, #EXIT_PASS
    ldp     x27, x28, [sp, #80]
    ldp     x25, x26, [sp, #64]
    ldp     x23, x24, [sp, #48]
    ldp     x21, x22, [sp, #32]
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #96
    ret

// long rewrite_rounds(void *write_va, void *exec_va, void (*sync)(void *exec_va)): ITERATIONS
// rounds of write n, sync, call, compare; returns the number of rounds that ran old code. Round 0
// (n = 0) only creates the first translation.
rewrite_rounds:
    stp     x29, x30, [sp, #-48]!
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    str     x23, [sp, #-16]!
    mov     x19, x0
    mov     x20, x1
    mov     x23, x2
    mov     x21, #0                             // stale runs
    mov     x22, #0                             // round
1:  mov     x0, x19
    mov     x1, x22
    bl      write_code
    mov     x0, x20
    blr     x23
    blr     x20
    cmp     x0, x22
    cinc    x21, x21, ne
    add     x22, x22, #1
    cmp     x22, #ITERATIONS
    b.ls    1b
    mov     x0, x21
    ldr     x23, [sp], #16
    ldp     x21, x22, [sp, #32]
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #48
    ret

// void write_code(void *va, long n): a data store elsewhere in the page, then "movz x0, #n; ret"
// at va, then DC CVAU of va and DSB ISH (the data side of the maintenance). Clobbers x0-x3.
write_code:
    bic     x2, x0, #0xfff
    str     x1, [x2, #DATA_OFFSET]              // not code: must not disarm the detection
    and     x1, x1, #0xffff
    mov     w2, #(MOVZ_X0 & 0xffff)
    movk    w2, #(MOVZ_X0 >> 16), lsl #16
    orr     w2, w2, w1, lsl #5
    ldr     w3, =RET
    str     w2, [x0]
    str     w3, [x0, #4]
    dc      cvau, x0
    dsb     ish
    ret

// void icache_sync(void *va): IC IVAU of va, DSB ISH, ISB (the instruction side).
icache_sync:
    ic      ivau, x0
    dsb     ish
    isb
    ret

// void icache_sync_all(void *va): IC IALLU, DSB ISH, ISB (the instruction side, for all of it).
icache_sync_all:
    ic      iallu
    dsb     ish
    isb
    ret

// void tlb_invalidate_va(void *va): after a descriptor store, DSB ISHST, TLBI VAE1IS, DSB ISH, ISB.
tlb_invalidate_va:
    dsb     ishst
    lsr     x0, x0, #12
    tlbi    vae1is, x0
    dsb     ish
    isb
    ret
