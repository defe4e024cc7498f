// timer: the generic timer's interrupt is taken as soon as the guest can see that the timer fired.
//
// For the EL1 virtual timer (CNTV_*, PPI 11 = INTID 27) and the EL1 physical timer (CNTP_*, PPI 14
// = INTID 30), 1,000 rounds each: with IRQs unmasked at EL1 and the interrupt enabled and
// unmasked (CTL = ENABLE), TVAL is set a few microseconds ahead and the guest busy-waits until
// CTL.ISTATUS reads 1. Its "IRQ received" flag is read right after the loop ends. The architecture
// takes a pending, unmasked IRQ at the next instruction boundary: the timer's output is
// ENABLE & !IMASK & ISTATUS (Arm ARM D11.2.4 "Operation of the CompareValue views of the
// timers"), and a GIC that forwards it makes the IRQ pending at once. So the flag must be set
// every time. The handler acknowledges the interrupt (GICC_IAR), masks the timer (CTL = ENABLE |
// IMASK: the output falls and ISTATUS stays readable, so the busy-wait still ends) and ends it
// (GICC_EOIR). Each round turns the timer off (CTL = 0) after the check.
//
// The GIC is QEMU virt's default GICv2 (distributor 0x0800_0000, CPU interface 0x0801_0000;
// Arm IHI 0048B 4.3 and 4.4); the PPIs are enabled in GICD_ISENABLER0 at the reset priority 0, and
// the CPU interface passes every priority (GICC_PMR = 0xF0).
//
// Checks: 1 virtual-istatus-then-irq (misses 0 of 1000, 1000 IRQs taken), 2 physical-istatus-then-irq.
#include "aarvark.h"

    GUEST_NAME "timer"

#define GICD_BASE       0x08000000
#define GICD_CTLR       0x000
#define GICD_ISENABLER0 0x100
#define GICC_BASE       0x08010000
#define GICC_CTLR       0x000
#define GICC_PMR        0x004
#define GICC_IAR        0x00C
#define GICC_EOIR       0x010
#define INTID_VTIMER    27
#define INTID_PTIMER    30
#define ROUNDS          1000
#define TVAL_TICKS      300             // 4.8 us at QEMU's (and aarvark's) 62.5 MHz counter

// One check: ROUNDS rounds on timer \t (cntv or cntp); x21 counts misses, x22 IRQs taken.
.macro ROUNDS_ON t, name, intid
    CHECK_BEGIN \name
    mov     x21, #0                     // rounds whose flag was not set when ISTATUS read 1
    ldr     x9, =irq_count
    str     xzr, [x9]
    mov     x23, #ROUNDS
1:  ldr     x20, =irq_flag
    str     wzr, [x20]
    mov     x9, #TVAL_TICKS
    msr     \t\()_tval_el0, x9
    mov     x9, #CTL_ENABLE
    msr     \t\()_ctl_el0, x9
    isb
    msr     daifclr, #2                 // IRQs unmasked at EL1
2:  mrs     x9, \t\()_ctl_el0
    tbz     x9, #CTL_ISTATUS_BIT, 2b    // busy-wait until the timer condition is met
    ldr     w10, [x20]                  // a few instructions later: the IRQ must have been taken
    msr     daifset, #2
    msr     \t\()_ctl_el0, xzr          // timer off until the next round
    cbnz    w10, 3f
    add     x21, x21, #1
3:  subs    x23, x23, #1
    b.ne    1b
    CHECK_EQ "misses", x21, 0
    ldr     x9, =irq_count
    ldr     x22, [x9]
    CHECK_EQ "irqs", x22, ROUNDS
    ldr     x9, =irq_last
    ldr     x10, [x9]
    CHECK_EQ "intid", x10, \intid
    CHECK_OK
.endm

    .text
    .global main
main:
    stp     x29, x30, [sp, #-16]!
    stp     x19, x20, [sp, #-16]!
    stp     x21, x22, [sp, #-16]!
    stp     x23, x24, [sp, #-16]!

    ldr     x9, =irq_handler
    ldr     x10, =timer_irq
    str     x10, [x9]
    ldr     x9, =GICD_BASE
    mov     w10, #((1 << INTID_VTIMER) | (1 << INTID_PTIMER))
    str     w10, [x9, #GICD_ISENABLER0]
    mov     w10, #1
    str     w10, [x9, #GICD_CTLR]
    ldr     x9, =GICC_BASE
    mov     w10, #0xF0
    str     w10, [x9, #GICC_PMR]
    mov     w10, #1
    str     w10, [x9, #GICC_CTLR]

    ROUNDS_ON cntv, "virtual-istatus-then-irq", INTID_VTIMER
    ROUNDS_ON cntp, "physical-istatus-then-irq", INTID_PTIMER

    b       report_pass                 // "timer: PASS", exit 0

// void timer_irq(long vector): acknowledge, record, turn the firing timer off, end.
timer_irq:
    ldr     x9, =GICC_BASE
    ldr     w10, [x9, #GICC_IAR]
    and     w11, w10, #0x3ff
    mov     x14, #(CTL_ENABLE | CTL_IMASK)  // masked: the output falls, ISTATUS stays readable
    cmp     w11, #INTID_VTIMER
    b.ne    1f
    msr     cntv_ctl_el0, x14
1:  cmp     w11, #INTID_PTIMER
    b.ne    2f
    msr     cntp_ctl_el0, x14
2:  isb
    ldr     x12, =irq_last
    str     x11, [x12]
    ldr     x12, =irq_count
    ldr     x13, [x12]
    add     x13, x13, #1
    str     x13, [x12]
    ldr     x12, =irq_flag
    mov     w13, #1
    str     w13, [x12]
    str     w10, [x9, #GICC_EOIR]
    ret

    .data
    .balign 8
irq_count:  .quad 0
irq_last:   .quad 0
irq_flag:   .word 0
