// fpen: per-thread FP/SIMD traps through CPACR_EL1.FPEN, as an OS that gives the FPU to some
// threads and not to others sets it on each return to a thread.
//
//   FPEN = 0b11: nothing traps. 0b01: FP/SIMD at EL0 traps to EL1, EL1 does not. 0b00 and 0b10:
//   both trap (Arm ARM D17.2.30 CPACR_EL1; "Configurable instruction enables and disables, and trap
//   controls": EC 0x07, "Access to SIMD or floating-point functionality trapped by CPACR_EL1.FPEN").
//   ELR = the trapped instruction. QEMU 7.2 reports ISS CV = 1, COND = 0b1110 (syn_fp_access_trap),
//   so ESR = 0x1FE00000.
//
// The same EL0 routines run under every setting, so each runs after a translation of it was made
// under another setting (an emulator that kept that translation across the CPACR change and the
// ERET would run FP code that must trap, or trap code that must run). The last check flips FPEN
// between 0b11 and 0b01 on 200 returns to EL0.
#include "aarvark.h"

    GUEST_NAME "fpen"

#define EL1_MASKED      (PSR_DAIF | PSR_MODE_EL1h)
#define EL0_SPSR        (PSR_MODE_EL0t)
#define ESR_FP          ESR(EC_FP_ACCESS, ISS_FP_ACCESS)
#define FP_RESULT       0x4010000000000000  // 4.0: (2.0 + 2.0), as a double's bits
#define FLIPS           200

.macro SET_FPEN v
    mrs     x9, cpacr_el1
    bic     x9, x9, #(3 << CPACR_FPEN_SHIFT)
    mov     x10, #(\v)
    orr     x9, x9, x10, lsl #CPACR_FPEN_SHIFT
    msr     cpacr_el1, x9
    isb
.endm

// Run EL0 routine \r with FP allowed: it must return FP_RESULT without trapping.
.macro EL0_FP_RUNS r
    ldr     x9, =exc_state
    ldr     x22, [x9, #EXC_COUNT]
    ldr     x0, =\r
    ldr     x1, =el0_stack_top
    mov     x2, #EL0_SPSR
    bl      run_el0
    ldr     x9, =FP_RESULT
    CHECK_EQR "result", x0, x9
    ldr     x9, =exc_state
    ldr     x10, [x9, #EXC_COUNT]
    CHECK_EQR "traps", x10, x22
.endm

// Run EL0 routine \r (whose first FP instruction is \insn) with FP trapped at EL0.
.macro EL0_FP_TRAPS r, insn
    EXPECT  el0_exit
    ldr     x0, =\r
    ldr     x1, =el0_stack_top
    mov     x2, #EL0_SPSR
    bl      run_el0
    CHECK_EXC VEC_LOWER64_SYNC, ESR_FP, \insn, EL0_SPSR
.endm

    .text
    .global main
main:
    stp     x29, x30, [sp, #-16]!

    // 1. FPEN 0b11: EL0 FP data processing runs (and is translated).
    CHECK_BEGIN "fpen11-el0-runs"
    SET_FPEN 3
    EL0_FP_RUNS el0_fadd
    CHECK_OK

    // 2. FPEN 0b01, the same EL0 code: the first FP instruction traps to EL1 with EC 0x07.
    CHECK_BEGIN "fpen01-el0-traps"
    SET_FPEN 1
    EL0_FP_TRAPS el0_fadd, el0_fadd_insn
    CHECK_OK

    // 3. FPEN 0b01 at EL1: FP runs.
    CHECK_BEGIN "fpen01-el1-runs"
    bl      el1_fadd
    ldr     x9, =FP_RESULT
    CHECK_EQR "result", x0, x9
    CHECK_OK

    // 4. FPEN 0b01, an FP load/store at EL0 (LDR Q): traps too.
    CHECK_BEGIN "fpen01-el0-ldr-q-traps"
    EL0_FP_TRAPS el0_ldst, el0_ldst_insn
    CHECK_OK

    // 5. FPEN 0b11 again, the same code that just trapped: runs.
    CHECK_BEGIN "fpen11-after-trap-el0-runs"
    SET_FPEN 3
    EL0_FP_RUNS el0_fadd
    EL0_FP_RUNS el0_ldst
    CHECK_OK

    // 6. FPEN 0b00: FP at EL1 traps to EL1 (current EL, SP_ELx).
    CHECK_BEGIN "fpen00-el1-traps"
    SET_FPEN 0
    EXPECT  1f
    msr     nzcv, xzr
el1_trap_insn:
    fmov    d0, x1
1:  CHECK_EXC VEC_CUR_SPX_SYNC, ESR_FP, el1_trap_insn, EL1_MASKED
    CHECK_OK

    // 7. FPEN 0b00 and 0b10: EL0 traps.
    CHECK_BEGIN "fpen00-el0-traps"
    EL0_FP_TRAPS el0_fadd, el0_fadd_insn
    CHECK_OK
    CHECK_BEGIN "fpen10-el0-traps"
    SET_FPEN 2
    EL0_FP_TRAPS el0_fadd, el0_fadd_insn
    CHECK_OK

    // 8. 200 returns to EL0, FPEN alternating 0b11 / 0b01: every 0b11 run gives the result and
    //    every 0b01 run traps at the first FP instruction.
    CHECK_BEGIN "fpen-flips-across-erets"
    mov     x23, #FLIPS
    mov     x24, #0                     // wrong outcomes
2:  SET_FPEN 3
    ldr     x9, =exc_state
    ldr     x22, [x9, #EXC_COUNT]
    ldr     x0, =el0_fadd
    ldr     x1, =el0_stack_top
    mov     x2, #EL0_SPSR
    bl      run_el0
    ldr     x9, =FP_RESULT
    cmp     x0, x9
    cinc    x24, x24, ne
    ldr     x9, =exc_state
    ldr     x10, [x9, #EXC_COUNT]
    cmp     x10, x22
    cinc    x24, x24, ne
    SET_FPEN 1
    EXPECT  el0_exit
    ldr     x0, =el0_fadd
    ldr     x1, =el0_stack_top
    mov     x2, #EL0_SPSR
    bl      run_el0
    ldr     x9, =exc_state
    ldr     x10, [x9, #EXC_EXPECT]      // 0: the trap was taken
    cmp     x10, #0
    cinc    x24, x24, ne
    str     xzr, [x9, #EXC_EXPECT]
    ldr     x10, [x9, #EXC_ESR]
    ldr     x11, =ESR_FP
    cmp     x10, x11
    cinc    x24, x24, ne
    subs    x23, x23, #1
    b.ne    2b
    CHECK_EQ "wrong-outcomes", x24, 0
    CHECK_OK

    SET_FPEN 3
    b       report_pass                 // "fpen: PASS", exit 0

// long el1_fadd(void): 2.0 + 2.0 at EL1, as bits.
el1_fadd:
    fmov    d0, #2.0
    fadd    d0, d0, d0
    fmov    x0, d0
    ret

// ================================ EL0 =========================================================

    .section .el0_text, "ax"
el0_fadd:
    mov     x1, #0
el0_fadd_insn:
    fmov    d0, #2.0
    fadd    d0, d0, d0
    fmov    x0, d0
    svc     #SVC_EL0_EXIT

el0_ldst:
    sub     sp, sp, #16
    ldr     x9, =FP_RESULT
    str     x9, [sp]
    str     xzr, [sp, #8]
el0_ldst_insn:
    ldr     q1, [sp]
    fmov    x0, d1
    add     sp, sp, #16
    svc     #SVC_EL0_EXIT

el0_exit:
    svc     #SVC_EL0_EXIT

    .bss
    .balign 16
    .space  4096                        // EL0 stack (4 KiB)
el0_stack_top:
