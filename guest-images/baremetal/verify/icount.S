// Instruction-count verifier for the bench guests (not a guest itself: built by run-icount.sh).
// It is linked with one bench guest (whose own main is renamed away) and counts the
// instructions bench_kernel executes with the PMU event INST_RETIRED (0x08), which QEMU
// implements only under -icount. The overhead of reading the counter around a call is measured
// with an empty kernel (a single RET) and subtracted, so "measured" is bench_kernel's count from
// its first instruction to its RET inclusive. Arguments for kernels that take them (bench-memcpy)
// come from -DKARG0..-DKARG3.
#include "aarvark.h"

    GUEST_NAME "icount"
    .weak   bench_setup

#ifndef KARG0
#define KARG0 0
#define KARG1 0
#define KARG2 0
#define KARG3 0
#endif
#define PMU_EVT_INST_RETIRED 0x08       // Arm ARM D11 common event: instruction architecturally executed
#define PMCR_E               (1 << 0)   // enable counters
#define PMCR_P               (1 << 1)   // reset event counters
#define PMCEID0_INST_RETIRED (1 << 8)   // event 0x08 implemented

.macro COUNT_CALL fn
    ldr     x0, =KARG0
    ldr     x1, =KARG1
    ldr     x2, =KARG2
    ldr     x3, =KARG3
    isb
    mrs     x20, pmevcntr0_el0
    bl      \fn
    mrs     x21, pmevcntr0_el0
    sub     x0, x21, x20
.endm

    .text
    .global main
main:
    stp     x29, x30, [sp, #-32]!
    stp     x19, x20, [sp, #16]
    mrs     x0, pmceid0_el0
    tst     x0, #PMCEID0_INST_RETIRED
    b.eq    no_pmu
    mov     x0, #PMU_EVT_INST_RETIRED   // counts at EL0 and EL1 (filter bits clear)
    msr     pmevtyper0_el0, x0
    mov     x0, #1
    msr     pmcntenset_el0, x0          // counter 0 on
    mov     x0, #(PMCR_E | PMCR_P)
    msr     pmcr_el0, x0
    isb
    ldr     x0, =bench_setup            // optional set-up hook of the bench (weak)
    cbz     x0, 1f
    blr     x0
1:  COUNT_CALL empty_kernel
    mov     x19, x0                     // overhead + 1 (the empty kernel's RET)
    COUNT_CALL bench_kernel
    sub     x0, x0, x19
    add     x19, x0, #1
    bl      say_prefix
    adr     x0, str_measured
    bl      uart_puts
    mov     x0, x19
    bl      uart_putdec
    mov     w0, #'\n'
    bl      uart_putc
    mov     w0, #EXIT_PASS
    b       out
no_pmu:
    adr     x0, str_nopmu
    bl      say
    mov     w0, #1
out:
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #32
    ret

empty_kernel:
    ret

str_measured: .asciz "bench_kernel measured insns="
str_nopmu:    .asciz "PMU cannot count instructions (run QEMU with -icount shift=0)"
