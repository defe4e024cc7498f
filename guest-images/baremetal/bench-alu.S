// bench-alu: raw integer throughput. A 4-instruction ALU loop, nothing else.
//
// Instruction count of bench_kernel, from its first instruction to its RET inclusive:
//     3 (set-up) + 4 * ALU_ITERATIONS (loop) + 1 (ret) = 3 + 399,999,996 + 1 = 400,000,000
// Console: "bench-alu: 400000000 insns" right before bench_kernel is called and
// "bench-alu: done" right after it returns; a harness times the interval between the two lines.
// Outside bench_kernel the interval only holds the BL that calls it and the UART print of the
// second line's prefix (a few hundred instructions; negligible). Exit status 0.
#include "aarvark.h"

    GUEST_NAME "bench-alu"

#define ALU_ITERATIONS  99999999        // 4 * 99,999,999 + 4 = 400,000,000 instructions
#define KERNEL_INSNS    400000000

    .text
    .global main
main:
    stp     x29, x30, [sp, #-16]!
    adr     x0, str_start
    bl      say                         // "bench-alu: 400000000 insns"
    bl      bench_kernel
    adr     x0, str_done
    bl      say                         // "bench-alu: done"
    mov     w0, #EXIT_PASS
    ldp     x29, x30, [sp], #16
    ret

    .global bench_kernel
bench_kernel:
    movz    x0, #(ALU_ITERATIONS & 0xffff)              // 1
    movk    x0, #(ALU_ITERATIONS >> 16), lsl #16        // 2
    mov     x1, #0                                      // 3
1:  add     x1, x1, #1                  // loop: 4 instructions per iteration
    eor     x2, x2, x1
    subs    x0, x0, #1
    b.ne    1b
    ret                                                 // +1

str_start: .asciz "400000000 insns"
str_done:  .asciz "done"
