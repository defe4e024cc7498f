// bench-sysreg: cost of a system register read that aarvark traps and emulates in Java.
// 1,000,000 reads of CNTV_CTL_EL0 (virtual timer control; aarvark emulates CTL/CVAL/TVAL of
// the timers through MRS/MSR hooks). EL1 access to it is always permitted (no CNTKCTL_EL1 or
// CNTHCTL_EL2 trap applies at EL1 without EL2). ICC_* registers are not used: with QEMU's default
// gic-version=2 there is no GICv3 CPU interface and they are UNDEFINED.
//
// Instruction count of bench_kernel, from its first instruction to its RET inclusive:
//     2 (set-up) + 3 * SYSREG_READS (MRS, SUBS, B.NE) + 1 (ret) = 2 + 3,000,000 + 1 = 3,000,003
// Console: "bench-sysreg: 1000000 cntv_ctl_el0 reads, 3000003 insns" before,
// "bench-sysreg: done" after. Exit status 0.
#include "aarvark.h"

    GUEST_NAME "bench-sysreg"

#define SYSREG_READS    1000000

    .text
    .global main
main:
    stp     x29, x30, [sp, #-16]!
    adr     x0, str_start
    bl      say
    bl      bench_kernel
    adr     x0, str_done
    bl      say
    mov     w0, #EXIT_PASS
    ldp     x29, x30, [sp], #16
    ret

    .global bench_kernel
bench_kernel:
    movz    x0, #(SYSREG_READS & 0xffff)                // 1
    movk    x0, #(SYSREG_READS >> 16), lsl #16          // 2
1:  mrs     x2, cntv_ctl_el0
    subs    x0, x0, #1
    b.ne    1b
    ret

str_start: .asciz "1000000 cntv_ctl_el0 reads, 3000003 insns"
str_done:  .asciz "done"
