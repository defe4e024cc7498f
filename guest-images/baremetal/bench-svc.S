// bench-svc: exception entry/return cost. 1,000,000 SVC round trips from EL1 to EL1: the SVC
// vector (VBAR_EL1 + 0x200, current EL with SP_ELx) is a single ERET.
//
// Instruction count of bench_kernel, from its first instruction to its RET inclusive:
//     2 (set-up) + 4 * SVC_ROUND_TRIPS (SVC, ERET in the vector, SUBS, B.NE) + 1 (ret)
//     = 2 + 4,000,000 + 1 = 4,000,003
// Console: "bench-svc: 1000000 svc round trips, 4000003 insns" before, "bench-svc: done" after.
// Every vector other than the SVC one forwards to the library's recorder, which reports any
// exception as unexpected (exit 200 + vector). Exit status 0.
#include "aarvark.h"

    GUEST_NAME "bench-svc"

#define SVC_ROUND_TRIPS 1000000

// Vector entry that hands the exception to the same entry of the library's table.
.macro FORWARD index
    .balign VEC_ENTRY_SIZE
    b       lib_vectors + \index * VEC_ENTRY_SIZE
.endm

    .text
    .global main
main:
    stp     x29, x30, [sp, #-16]!
    bl      bench_setup
    adr     x0, str_start
    bl      say
    bl      bench_kernel
    adr     x0, str_done
    bl      say
    ldr     x0, =lib_vectors            // back to the default table
    msr     vbar_el1, x0
    isb
    mov     w0, #EXIT_PASS
    ldp     x29, x30, [sp], #16
    ret

// Install the benchmark's vector table (also called by verify/icount.S).
    .global bench_setup
bench_setup:
    ldr     x0, =bench_vectors
    msr     vbar_el1, x0
    isb
    ret

    .global bench_kernel
bench_kernel:
    movz    x0, #(SVC_ROUND_TRIPS & 0xffff)             // 1
    movk    x0, #(SVC_ROUND_TRIPS >> 16), lsl #16       // 2
1:  svc     #0                          // -> bench_vectors + 0x200: ERET (back to the SUBS)
    subs    x0, x0, #1
    b.ne    1b
    ret

    .balign (1 << VBAR_ALIGN_LOG2)
bench_vectors:
    FORWARD 0
    FORWARD 1
    FORWARD 2
    FORWARD 3
    .balign VEC_ENTRY_SIZE              // 4: current EL, SP_ELx, synchronous: the SVC
    eret                                // ELR = the instruction after the SVC, SPSR restored
    FORWARD 5
    FORWARD 6
    FORWARD 7
    FORWARD 8
    FORWARD 9
    FORWARD 10
    FORWARD 11
    FORWARD 12
    FORWARD 13
    FORWARD 14
    FORWARD 15

str_start: .asciz "1000000 svc round trips, 4000003 insns"
str_done:  .asciz "done"
