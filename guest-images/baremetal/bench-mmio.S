// bench-mmio: device register access cost. 1,000,000 32-bit reads of the PL011 flag register
// (UART_BASE + 0x18) with the MMU off (Device-nGnRnE); every read is an MMIO exit in an emulator
// that models the UART outside the CPU core.
//
// Instruction count of bench_kernel, from its first instruction to its RET inclusive:
//     3 (set-up) + 3 * MMIO_READS (LDR, SUBS, B.NE) + 1 (ret) = 3 + 3,000,000 + 1 = 3,000,004
// Console: "bench-mmio: 1000000 reads, 3000004 insns" before, "bench-mmio: done" after.
// Exit status 0.
#include "aarvark.h"

    GUEST_NAME "bench-mmio"

#define MMIO_READS      1000000

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
    mov     x1, #UART_BASE                              // 1
    movz    x0, #(MMIO_READS & 0xffff)                  // 2
    movk    x0, #(MMIO_READS >> 16), lsl #16            // 3
1:  ldr     w2, [x1, #UART_FR]          // 32-bit MMIO read
    subs    x0, x0, #1
    b.ne    1b
    ret

str_start: .asciz "1000000 reads, 3000004 insns"
str_done:  .asciz "done"
