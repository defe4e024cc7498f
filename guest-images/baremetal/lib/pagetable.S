// Translation-table helpers (VMSAv8-64, stage 1, EL1&0 regime, 4 KiB granule) and MMU enable.
// Tables are plain 4 KiB pages the guest declares with the PAGE macro (zeroed at start-up, so
// every descriptor starts invalid).
#include "aarvark.h"

    .text
// void pt_fill(uint64_t *table, long first, long count, uint64_t desc, uint64_t step)
// table[first + i] = desc + i * step, for i in [0, count). Clobbers x0-x3.
    .global pt_fill
pt_fill:
    add     x0, x0, x1, lsl #3
1:  cbz     x2, 2f
    str     x3, [x0], #8
    add     x3, x3, x4
    sub     x2, x2, #1
    b       1b
2:  ret

// void pt_identity_2m(l0, l1, l2_dev, l2_ram): the identity map most guests need.
//   l0[0]      -> l1                          (VA 0 .. 512 GiB)
//   l1[0]      -> l2_dev                      (0 .. 1 GiB: devices)
//   l1[1]      -> l2_ram                      (1 .. 2 GiB: RAM)
//   l2_dev[72] =  2 MiB Device-nGnRnE block at UART_BASE (PL011 at 0x09000000), XN
//   l2_ram[i]  =  2 MiB Normal WB block at RAM_BASE + i * 2 MiB, i < 256 (512 MiB), EL1 RW,
//                 EL1-executable, EL0 no access (UXN set)
    .global pt_identity_2m
pt_identity_2m:
    stp     x29, x30, [sp, #-48]!
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    mov     x19, x0
    mov     x20, x1
    mov     x21, x2
    mov     x22, x3
    orr     x9, x20, #(PTE_VALID | PTE_TABLE)
    str     x9, [x19]                               // l0[0] -> l1
    orr     x9, x21, #(PTE_VALID | PTE_TABLE)
    str     x9, [x20]                               // l1[0] -> l2_dev
    orr     x9, x22, #(PTE_VALID | PTE_TABLE)
    str     x9, [x20, #(RAM_L1_INDEX * 8)]          // l1[1] -> l2_ram
    ldr     x9, =(UART_BASE | PTE_DEVICE)
    str     x9, [x21, #(UART_L2_INDEX * 8)]         // UART block
    mov     x0, x22
    mov     x1, #0
    mov     x2, #RAM_BLOCKS_2M
    ldr     x3, =(RAM_BASE | PTE_NORMAL | PTE_UXN)
    mov     x4, #BLOCK_2M
    bl      pt_fill
    ldp     x21, x22, [sp, #32]
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #48
    ret

// void mmu_enable(uint64_t ttbr0, uint64_t ttbr1, void *tables_start, void *tables_end)
// Cleans and invalidates the table range to the point of coherency (the tables were written
// with the MMU and caches off; walks will be cacheable), programs MAIR/TCR/TTBRs, invalidates
// the EL1&0 TLBs and turns on SCTLR_EL1.M, C and I. The caller's code and stack must be
// identity-mapped. Clobbers x0-x5.
    .global mmu_enable
mmu_enable:
    mrs     x4, ctr_el0
    ubfx    x4, x4, #16, #4                         // CTR_EL0.DminLine: log2(words) of a line
    mov     x5, #4
    lsl     x4, x5, x4                              // smallest D-cache line in bytes
    sub     x5, x4, #1
    bic     x2, x2, x5
1:  cmp     x2, x3
    b.hs    2f
    dc      civac, x2
    add     x2, x2, x4
    b       1b
2:  dsb     sy
    ldr     x2, =MAIR_VALUE
    msr     mair_el1, x2
    ldr     x2, =TCR_VALUE
    msr     tcr_el1, x2
    msr     ttbr0_el1, x0
    msr     ttbr1_el1, x1
    isb
    tlbi    vmalle1                                 // no stale translations
    dsb     nsh
    isb
    mrs     x2, sctlr_el1
    mov     x3, #(SCTLR_M | SCTLR_C | SCTLR_I)
    orr     x2, x2, x3
    msr     sctlr_el1, x2
    isb                                             // MMU on from the next instruction
    ret
