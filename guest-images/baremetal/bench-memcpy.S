// bench-memcpy: memory copy throughput with the MMU on, through Normal Write-Back cacheable
// memory (the realistic case): the shared identity map (lib/pagetable.S, pt_identity_2m) maps
// all 512 MiB of RAM as 2 MiB Normal blocks and the PL011 as a Device block.
//
// Copy loop: 64 bytes per iteration as four LDP and four STP of X-register pairs (16 bytes per
// pair), post-indexed: 10 instructions per 64 bytes. Source SRC_BUF, destination DST_BUF, both
// 8 MiB regions of RAM outside the image. Five phases, one per buffer size, each copying
// PHASE_BYTES (2 GiB) in total:
//     size     65536  262144  1048576  2097152  8388608
//     reps     32768    8192     2048     1024      256
// Instruction count of one bench_kernel(src, dst, size, reps) call, first instruction to RET:
//     reps * (3 + 10 * size / 64 + 2) + 1        (per rep: 3 set-up, the copy loop, SUBS + B.NE)
// Console: a start line, then before each phase a marker
//     "bench-memcpy: size=<bytes> reps=<n> bytes_total=<size*reps> insns=<count above>"
// and "bench-memcpy: done" after the last phase: a harness times phase i from marker i to the
// next line. The only instructions between the lines outside bench_kernel are the argument
// set-up, the BL and the printing of the next line (a few thousand; negligible).
// At the end the destination is compared with the source (first and last doubleword of the
// 8 MiB copy); a mismatch prints a FAIL line and exits 1. Exit status 0 otherwise.
#include "aarvark.h"

    GUEST_NAME "bench-memcpy"

#define SRC_BUF         (RAM_BASE + 0x1000000)  // 0x41000000: 16 MiB into RAM, past the image
#define DST_BUF         (RAM_BASE + 0x2000000)  // 0x42000000
#define BUF_MAX         0x800000                // 8 MiB: the largest phase
#define PHASE_BYTES     0x80000000              // 2 GiB copied per phase
#define COPY_CHUNK      64                      // bytes per copy-loop iteration
#define LOOP_INSNS      10                      // instructions per copy-loop iteration
#define REP_OVERHEAD    5                       // instructions per rep outside the copy loop
#define FILL_SEED       0x0123456789abcdef      // source pattern: seed + offset

    PAGE tt_l0
    PAGE tt_l1
    PAGE tt_l2_dev
    PAGE tt_l2_ram

    .text
    .global main
main:
    stp     x29, x30, [sp, #-48]!
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    bl      bench_setup
    adr     x0, str_start
    bl      say

    adr     x19, phases
1:  ldp     x20, x21, [x19], #16        // size, reps (size 0 ends the table)
    cbz     x20, 2f
    // "bench-memcpy: size=S reps=R bytes_total=S*R insns=R*(5+10*S/64)+1"
    bl      say_prefix
    adr     x0, str_size
    bl      uart_puts
    mov     x0, x20
    bl      uart_putdec
    adr     x0, str_reps
    bl      uart_puts
    mov     x0, x21
    bl      uart_putdec
    adr     x0, str_total
    bl      uart_puts
    mul     x0, x20, x21
    bl      uart_putdec
    adr     x0, str_insns
    bl      uart_puts
    lsr     x0, x20, #6                 // size / COPY_CHUNK (64 = 1 << 6)
    mov     x1, #LOOP_INSNS
    mul     x0, x0, x1
    add     x0, x0, #REP_OVERHEAD
    mul     x0, x0, x21
    add     x0, x0, #1                  // the RET
    bl      uart_putdec
    mov     w0, #'\n'
    bl      uart_putc
    ldr     x0, =SRC_BUF
    ldr     x1, =DST_BUF
    mov     x2, x20
    mov     x3, x21
    bl      bench_kernel
    b       1b

2:  // The last phase copied all 8 MiB: check its first and last doublewords.
    CHECK_BEGIN "copy-check"
    ldr     x1, =DST_BUF
    ldr     x4, [x1]
    CHECK_EQ "dst[0]", x4, FILL_SEED
    ldr     x1, =DST_BUF + BUF_MAX - 8
    ldr     x4, [x1]
    CHECK_EQ "dst[last]", x4, FILL_SEED + BUF_MAX - 8
    adr     x0, str_done
    bl      say
    mov     w0, #EXIT_PASS
    ldp     x21, x22, [sp, #32]
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #48
    ret

// Identity map + MMU on, then fill the source (outside any timed phase). Also used by
// verify/icount.S.
    .global bench_setup
bench_setup:
    stp     x29, x30, [sp, #-16]!
    ldr     x0, =tt_l0
    ldr     x1, =tt_l1
    ldr     x2, =tt_l2_dev
    ldr     x3, =tt_l2_ram
    bl      pt_identity_2m
    ldr     x0, =tt_l0
    mov     x1, #0                      // TTBR1: no high mappings (tables are not walked)
    ldr     x2, =__bss_start
    ldr     x3, =__bss_end
    bl      mmu_enable
    ldr     x1, =SRC_BUF
    ldr     x2, =FILL_SEED
    ldr     x3, =BUF_MAX / 16
3:  add     x4, x2, #8
    stp     x2, x4, [x1], #16           // doubleword at offset o holds FILL_SEED + o
    add     x2, x2, #16
    subs    x3, x3, #1
    b.ne    3b
    ldp     x29, x30, [sp], #16
    ret

// void bench_kernel(const void *src, void *dst, size_t size, size_t reps)
// size: a nonzero multiple of 64. Copies src -> dst `reps` times.
    .global bench_kernel
bench_kernel:
1:  mov     x4, x0                      // per rep: 3 set-up instructions
    mov     x5, x1
    mov     x6, x2
2:  ldp     x7, x8, [x4], #16           // copy loop: 10 instructions per 64 bytes
    ldp     x9, x10, [x4], #16
    ldp     x11, x12, [x4], #16
    ldp     x13, x14, [x4], #16
    stp     x7, x8, [x5], #16
    stp     x9, x10, [x5], #16
    stp     x11, x12, [x5], #16
    stp     x13, x14, [x5], #16
    subs    x6, x6, #COPY_CHUNK
    b.ne    2b
    subs    x3, x3, #1                  // per rep: 2 loop-control instructions
    b.ne    1b
    ret

    .section .rodata
    .balign 8
phases:                                 // {size, reps}: reps = PHASE_BYTES / size
    .quad   0x10000,  PHASE_BYTES / 0x10000
    .quad   0x40000,  PHASE_BYTES / 0x40000
    .quad   0x100000, PHASE_BYTES / 0x100000
    .quad   0x200000, PHASE_BYTES / 0x200000
    .quad   BUF_MAX,  PHASE_BYTES / BUF_MAX
    .quad   0, 0
str_start: .asciz "ldp/stp X pairs, 64 bytes per iteration, MMU on (Normal WB identity map), 5 sizes"
str_size:  .asciz "size="
str_reps:  .asciz " reps="
str_total: .asciz " bytes_total="
str_insns: .asciz " insns="
str_done:  .asciz "done"
