// Default EL1 vector table and exception recorder.
//
// Every one of the 16 vectors (Arm ARM D1.10.2: {current EL with SP_EL0, current EL with SP_ELx,
// lower EL AArch64, lower EL AArch32} x {Synchronous, IRQ, FIQ, SError}, 0x80 bytes each) saves
// x0-x30, ELR_EL1 and SPSR_EL1 in a frame on SP_EL1 and calls exc_dispatch, which either:
//  0. passes an IRQ to the guest's irq_handler when it has installed one;
//  1. recognises "SVC #SVC_EL0_EXIT" from EL0 and returns to the EL1 caller of run_el0;
//  2. records an expected exception (armed with the EXPECT macro) in exc_state and resumes at the
//     address EXPECT gave (by rewriting ELR in the frame); or
//  3. reports an unexpected exception (vector, ESR, ELR, FAR, SPSR) and exits with status
//     EXIT_UNEXPECTED + vector index. An exception inside the handler exits with EXIT_NESTED.
#include "aarvark.h"

.macro VENTRY index
    .balign VEC_ENTRY_SIZE
    sub     sp, sp, #FRAME_SIZE
    stp     x0, x1, [sp]
    mov     x0, #\index
    b       exc_entry
.endm

    .text
    .balign (1 << VBAR_ALIGN_LOG2)
    .global lib_vectors
lib_vectors:
    VENTRY 0        // current EL, SP_EL0: synchronous
    VENTRY 1        //                     IRQ
    VENTRY 2        //                     FIQ
    VENTRY 3        //                     SError
    VENTRY 4        // current EL, SP_ELx: synchronous
    VENTRY 5        //                     IRQ
    VENTRY 6        //                     FIQ
    VENTRY 7        //                     SError
    VENTRY 8        // lower EL, AArch64:  synchronous
    VENTRY 9        //                     IRQ
    VENTRY 10       //                     FIQ
    VENTRY 11       //                     SError
    VENTRY 12       // lower EL, AArch32:  synchronous
    VENTRY 13       //                     IRQ
    VENTRY 14       //                     FIQ
    VENTRY 15       //                     SError

// Common entry: x0 = vector index, x0/x1 of the interrupted context already saved.
    .global exc_entry
exc_entry:
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x19, [sp, #144]
    stp     x20, x21, [sp, #160]
    stp     x22, x23, [sp, #176]
    stp     x24, x25, [sp, #192]
    stp     x26, x27, [sp, #208]
    stp     x28, x29, [sp, #224]
    str     x30, [sp, #240]
    mrs     x1, elr_el1
    mrs     x2, spsr_el1
    stp     x1, x2, [sp, #FR_ELR]
    mov     x1, sp
    bl      exc_dispatch                // may rewrite ELR/SPSR in the frame
    ldp     x1, x2, [sp, #FR_ELR]
    msr     elr_el1, x1
    msr     spsr_el1, x2
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    ldp     x8, x9, [sp, #64]
    ldp     x10, x11, [sp, #80]
    ldp     x12, x13, [sp, #96]
    ldp     x14, x15, [sp, #112]
    ldp     x16, x17, [sp, #128]
    ldp     x18, x19, [sp, #144]
    ldp     x20, x21, [sp, #160]
    ldp     x22, x23, [sp, #176]
    ldp     x24, x25, [sp, #192]
    ldp     x26, x27, [sp, #208]
    ldp     x28, x29, [sp, #224]
    ldr     x30, [sp, #240]
    ldp     x0, x1, [sp]
    add     sp, sp, #FRAME_SIZE
    eret

// void exc_dispatch(long index, frame *f)
exc_dispatch:
    stp     x29, x30, [sp, #-32]!
    stp     x19, x20, [sp, #16]
    mov     x19, x0
    mov     x20, x1
    ldr     x9, =exc_state
    ldr     x10, [x9, #EXC_DEPTH]
    cbnz    x10, nested                 // already inside a handler: give up at once
    mov     x10, #1
    str     x10, [x9, #EXC_DEPTH]

    // 0. An IRQ while a guest has installed a handler (irq_handler != 0): call it with the vector.
    and     x10, x19, #3
    cmp     x10, #1                     // vectors 1, 5, 9, 13 are the IRQ entries
    b.ne    0f
    ldr     x10, =irq_handler
    ldr     x10, [x10]
    cbz     x10, 0f
    mov     x0, x19
    blr     x10
    b       done
0:
    // 1. EL0 asking to return to EL1: lower-EL synchronous, ESR = SVC64 with SVC_EL0_EXIT.
    mrs     x2, esr_el1
    cmp     x19, #VEC_LOWER64_SYNC
    b.ne    1f
    ldr     x3, =ESR(EC_SVC64, SVC_EL0_EXIT)
    cmp     x2, x3
    b.ne    1f
    ldr     x3, =run_el0_return         // resume at EL1h, SP_EL1, everything masked
    mov     x4, #(PSR_DAIF | PSR_MODE_EL1h)
    stp     x3, x4, [x20, #FR_ELR]
    b       done

1:  // 2. Expected exception: record it and resume where EXPECT said.
    ldr     x10, [x9, #EXC_EXPECT]
    cbz     x10, unexpected
    str     x19, [x9, #EXC_VEC]
    str     x2, [x9, #EXC_ESR]
    ldp     x3, x4, [x20, #FR_ELR]
    str     x3, [x9, #EXC_ELR]
    str     x4, [x9, #EXC_SPSR]
    mrs     x5, far_el1
    str     x5, [x9, #EXC_FAR]
    ldr     x10, [x9, #EXC_COUNT]
    add     x10, x10, #1
    str     x10, [x9, #EXC_COUNT]
    str     xzr, [x9, #EXC_EXPECT]      // one exception per EXPECT
    ldr     x3, [x9, #EXC_RESUME]
    str     x3, [x20, #FR_ELR]
done:
    ldr     x9, =exc_state
    str     xzr, [x9, #EXC_DEPTH]
    ldp     x19, x20, [sp, #16]
    ldp     x29, x30, [sp], #32
    ret

unexpected:
    // 3. "<guest>: UNEXPECTED EXCEPTION vector=N (offset 0x...) esr=.. elr=.. far=.. spsr=.."
    bl      say_prefix
    adr     x0, str_unexp
    bl      uart_puts
    mov     x0, x19
    bl      uart_putdec
    adr     x0, str_offset
    bl      uart_puts
    lsl     x0, x19, #7                 // index * 0x80
    bl      uart_puthex
    adr     x0, str_esr
    bl      uart_puts
    mrs     x0, esr_el1
    bl      uart_puthex
    adr     x0, str_elr
    bl      uart_puts
    ldr     x0, [x20, #FR_ELR]
    bl      uart_puthex
    adr     x0, str_far
    bl      uart_puts
    mrs     x0, far_el1
    bl      uart_puthex
    adr     x0, str_spsr
    bl      uart_puts
    ldr     x0, [x20, #FR_SPSR]
    bl      uart_puthex
    mov     w0, #'\n'
    bl      uart_putc
    add     w0, w19, #EXIT_UNEXPECTED
    b       semi_exit

nested:
    adr     x0, str_nested
    bl      uart_puts
    mov     w0, #EXIT_NESTED
    b       semi_exit

// long run_el0(void (*entry)(void), void *sp_el0, uint64_t spsr)
// ERETs to entry at EL0 with SP_EL0 = sp_el0 and SPSR = spsr (its M[3:0] must be EL0t). The EL0
// code comes back with "SVC #SVC_EL0_EXIT"; run_el0 then returns the x0 it had at that SVC.
// The EL1 stack is untouched while EL0 runs, so exceptions from EL0 build their frames below
// this function's frame and the exit SVC's ERET lands on run_el0_return with SP as it was.
    .global run_el0
run_el0:
    stp     x29, x30, [sp, #-96]!
    stp     x19, x20, [sp, #16]
    stp     x21, x22, [sp, #32]
    stp     x23, x24, [sp, #48]
    stp     x25, x26, [sp, #64]
    stp     x27, x28, [sp, #80]
    msr     sp_el0, x1
    msr     elr_el1, x0
    msr     spsr_el1, x2
    eret
    .global run_el0_return
run_el0_return:
    ldp     x19, x20, [sp, #16]
    ldp     x21, x22, [sp, #32]
    ldp     x23, x24, [sp, #48]
    ldp     x25, x26, [sp, #64]
    ldp     x27, x28, [sp, #80]
    ldp     x29, x30, [sp], #96
    ret

str_unexp:  .asciz "UNEXPECTED EXCEPTION vector="
str_offset: .asciz " offset="
str_esr:    .asciz " esr="
str_elr:    .asciz " elr="
str_far:    .asciz " far="
str_spsr:   .asciz " spsr="
str_nested: .asciz "FATAL: exception inside the exception handler\n"
    .balign 4

    .bss
    .balign 8
    .global exc_state
exc_state:
    .space  EXC_STATE_SIZE

// void (*irq_handler)(long vector): a guest that takes IRQs stores its handler here; it runs inside
// the exception frame (it may use x0-x18 and must return). 0: an IRQ is an unexpected exception.
    .data
    .balign 8
    .global irq_handler
irq_handler:
    .quad   0
