// exceptions: synchronous exceptions taken to EL1, from EL1 and from EL0, with the MMU off.
//
// For every trap the recorder in lib/vectors.S saves the vector index, ESR_EL1, ELR_EL1, FAR_EL1
// and SPSR_EL1; each check then compares them with the architected values:
//   ESR_EL1 = EC[31:26] | IL[25] | ISS[24:0]                    (Arm ARM D17.2.37 ESR_EL1)
//   vector  = 4 (VBAR+0x200, current EL with SP_ELx) or 8 (VBAR+0x400, lower EL AArch64)
//                                                               (Arm ARM D1.10.2, vector offsets)
//   ELR_EL1 = preferred return address: the next instruction for SVC (and HVC/SMC when they
//             trap), the instruction itself for BRK, UNDEFINED instructions and aborts
//                                                               (Arm ARM D1.10.1 / "preferred
//                                                                exception return address")
//   SPSR_EL1 = PSTATE of the interrupted context: NZCV[31:28] as set just before the trap,
//             DAIF[9:6], M[3:0] = EL1h (0b0101) or EL0t (0b0000)  (Arm ARM C5.2.18 SPSR_EL1)
// Each check prints "exceptions: <name> ok"; the first mismatch prints the field with expected and
// actual values and exits with the check's number (1 = first check in this file).
//
// QEMU 7.2 facts this guest encodes (verified on cortex-a53/a57/a72, see README.md):
//  * HVC at EL1 never takes an exception on virt without virtualization=on: the PSCI conduit is
//    "hvc", and QEMU (since 6.0, target/arm/psci.c arm_is_psci_call) treats EVERY HVC as an SMCCC
//    call: an unknown function ID returns NOT_SUPPORTED (-1) in X0, per SMCCC "unknown function".
//  * SMC at EL1 is UNDEFINED (EC 0x00, ELR = the SMC): no EL3 exists and SMC is not the conduit
//    (QEMU's pre_smc "Conduit not SMC, !ARM_FEATURE_EL3 -> Undef insn"; Arm ARM: SMC is
//    UNDEFINED when EL3 is not implemented).
//  * With the MMU off, data accesses are Device-nGnRnE, but QEMU 7.2 does NOT raise an alignment
//    fault for an unaligned plain LDR to it. The alignment checks therefore rely on rules QEMU
//    does implement: exclusive and acquire/release accesses must be naturally aligned whatever
//    SCTLR_EL1.A says (Arm ARM B2.5.2 "Alignment of data accesses"), and SCTLR_EL1.A = 1 makes
//    every unaligned access fault.
//  * Data aborts taken to EL1 report ISV = 0 (no instruction syndrome; the architecture leaves ISV
//    IMPLEMENTATION DEFINED for aborts reported in ESR_EL1 and QEMU never sets it there), so the
//    ESR of an alignment fault is exactly EC | IL | WnR | DFSC.
#include "aarvark.h"

    GUEST_NAME "exceptions"

// SPSR values of the trapped contexts.
#define EL1_MASKED      (PSR_DAIF | PSR_MODE_EL1h)      // EL1h, D A I F all masked (0x3c5)
#define EL0_SPSR        (PSR_MODE_EL0t)                 // EL0t, DAIF clear: EL0 runs unmasked
                                                        // (no interrupt source is enabled)

// Immediates used by the traps (arbitrary, distinct, 16 bits; they land in ISS[15:0]).
#define SVC_IMM_EL1     0x1234
#define BRK_IMM_EL1     0x5a5
#define UDF_IMM         0x2a5a      // UDF's imm16 is ignored by the hardware: ISS stays 0
#define HVC_IMM         0x77
#define SMC_IMM         0x55
#define SVC_IMM_EL0     0x4321
#define BRK_IMM_EL0     0x77
#define UNKNOWN_FID     0x12345678  // not an SMCCC/PSCI function ID
#define UNKNOWN_PSCI_FID 0x8400001F // inside the PSCI 32-bit range, but unallocated
#define QEMU_PSCI_VER   0x10001     // PSCI 1.1: what QEMU 7.2's TCG PSCI reports (see psci.S)
#define EL0_RETURN_MAGIC 0x0e10e10e  // value el0_return_value hands back
#define X1_MARKER       0xfeedf00d  // a value that must survive the HVC in X1

// EL0 register encodings for the trapped MRS/system instruction checks (EC 0x18 ISS).
#define RT_CTR          3           // mrs x3, ctr_el0
#define RT_ZVA          5           // dc zva, x5

    .text
    .global main
main:
    stp     x29, x30, [sp, #-16]!

// =============================== from EL1 ======================================================

    // SVC from EL1: EC 0x15 (SVC from AArch64), IL = 1, ISS = imm16; ELR = the next
    // instruction (Arm ARM D1.10.4 / ESR_ELx "ISS encoding for SVC"). NZCV = N,C in SPSR.
    CHECK_BEGIN "svc-el1"
    EXPECT  1f
    mov     x9, #(PSR_N | PSR_C)
    msr     nzcv, x9
svc_el1_insn:
    svc     #SVC_IMM_EL1
1:  CHECK_EXC VEC_CUR_SPX_SYNC, ESR(EC_SVC64, SVC_IMM_EL1), svc_el1_insn + 4, (PSR_N | PSR_C | EL1_MASKED)
    CHECK_OK

    // BRK from EL1: EC 0x3C, IL = 1, ISS = imm16, ELR = the BRK itself. Run it with only D and I
    // masked (A, F clear) and NZCV = Z,V, and check SPSR carries exactly that.
    CHECK_BEGIN "brk-el1"
    EXPECT  1f
    mov     x9, #(PSR_D | PSR_I)
    msr     daif, x9
    mov     x9, #(PSR_Z | PSR_V)
    msr     nzcv, x9
brk_el1_insn:
    brk     #BRK_IMM_EL1
1:  msr     daifset, #DAIF_ALL
    CHECK_EXC VEC_CUR_SPX_SYNC, ESR(EC_BRK64, BRK_IMM_EL1), brk_el1_insn, (PSR_Z | PSR_V | PSR_D | PSR_I | PSR_MODE_EL1h)
    CHECK_OK

    // UDF (permanently UNDEFINED): EC 0x00 "unknown reason", IL = 1, ISS = 0, ELR = the UDF.
    CHECK_BEGIN "udf-el1"
    EXPECT  1f
    mov     x9, #(PSR_N | PSR_Z | PSR_C | PSR_V)
    msr     nzcv, x9
udf_el1_insn:
    udf     #UDF_IMM
1:  CHECK_EXC VEC_CUR_SPX_SYNC, ESR(EC_UNKNOWN, 0), udf_el1_insn, (PSR_N | PSR_Z | PSR_C | PSR_V | EL1_MASKED)
    CHECK_OK

    // (No SCTLR_EL1.A or LDAR/STLR alignment check: libunicorn 2.1, QEMU 5.0's TCG, enforces neither
    // (QEMU 7.2 faults both), so a guest on aarvark sees no fault there. The checks below use the
    // alignment rule that holds on both: exclusives must be naturally aligned.)

    // LDXR on an unaligned address with SCTLR_EL1.A = 0: exclusives must be naturally aligned
    // (Arm ARM B2.5.2), so: EC 0x25, DFSC 0x21, WnR = 0, FAR = the address, ELR = the LDXR.
    CHECK_BEGIN "align-ldxr-el1"
    ldr     x1, =align_buf + 1
    EXPECT  1f
    mov     x9, #PSR_C
    msr     nzcv, x9
ldxr_el1_insn:
    ldxr    x0, [x1]
1:  CHECK_EXC VEC_CUR_SPX_SYNC, ESR(EC_DABT_CUR, FSC_ALIGN), ldxr_el1_insn, (PSR_C | EL1_MASKED)
    CHECK_FAR align_buf + 1
    CHECK_OK

    // HVC with a PSCI function ID reaches QEMU's built-in PSCI: PSCI_VERSION returns 1.1.
    // No exception may be taken (an exception here is reported as unexpected).
    CHECK_BEGIN "hvc-el1-psci-version"
    ldr     x0, =PSCI_VERSION
    hvc     #0
    CHECK_EQ "x0", x0, QEMU_PSCI_VER
    CHECK_OK

    // HVC with a function ID outside every SMCCC range: QEMU answers it as an SMCCC call with
    // NOT_SUPPORTED (-1) in X0 and leaves X1 alone; no exception, execution continues after it.
    CHECK_BEGIN "hvc-el1-unknown-id"
    ldr     x0, =UNKNOWN_FID
    ldr     x1, =X1_MARKER
    hvc     #HVC_IMM                    // the immediate does not matter to QEMU
    CHECK_EQ "x0", x0, PSCI_RET_NOT_SUPPORTED
    CHECK_EQ "x1", x1, X1_MARKER
    CHECK_OK

    // HVC with an unallocated ID inside the PSCI range: also NOT_SUPPORTED (-1).
    CHECK_BEGIN "hvc-el1-unknown-psci-id"
    ldr     x0, =UNKNOWN_PSCI_FID
    hvc     #0
    CHECK_EQ "x0", x0, PSCI_RET_NOT_SUPPORTED
    CHECK_OK

    // SMC at EL1 with a function ID no firmware implements: UNDEFINED (no EL3), so EC 0x00, ISS 0,
    // ELR = the SMC itself, and X0 is untouched. (QEMU 7.2 UNDEFs every SMC when the PSCI conduit is
    // HVC, even PSCI IDs; aarvark also answers PSCI IDs over SMC, as its PSCI issue requires, so the
    // check uses an ID that is not a PSCI call and holds on both.)
    CHECK_BEGIN "smc-el1-undef"
    ldr     x0, =UNKNOWN_FID
    EXPECT  1f
    mov     x9, #(PSR_N | PSR_V)
    msr     nzcv, x9
smc_el1_insn:
    smc     #SMC_IMM
1:  mov     x19, x0
    CHECK_EXC VEC_CUR_SPX_SYNC, ESR(EC_UNKNOWN, 0), smc_el1_insn, (PSR_N | PSR_V | EL1_MASKED)
    CHECK_EQ "x0", x19, UNKNOWN_FID
    CHECK_OK

// =============================== from EL0 ======================================================
// Each EL0 check runs one small routine from .el0_text at EL0t on its own stack (run_el0 ERETs
// with SPSR = EL0t); the routine traps once, the recorder resumes it at the label EXPECT names,
// and the routine hands control back with "SVC #SVC_EL0_EXIT".

.macro EL0_RUN routine, resume
    EXPECT  \resume
    ldr     x0, =\routine
    ldr     x1, =el0_stack_top
    mov     x2, #EL0_SPSR
    bl      run_el0
.endm

    // SVC from EL0: EC 0x15, ISS = imm16, taken to VBAR+0x400 (lower EL, AArch64); ELR = next
    // instruction; SPSR = EL0t with the NZCV the routine set (N, V).
    CHECK_BEGIN "svc-el0"
    EL0_RUN el0_svc, el0_svc_after
    CHECK_EXC VEC_LOWER64_SYNC, ESR(EC_SVC64, SVC_IMM_EL0), el0_svc_after, (PSR_N | PSR_V | EL0_SPSR)
    CHECK_OK

    // BRK from EL0: EC 0x3C, ISS = imm16, ELR = the BRK.
    CHECK_BEGIN "brk-el0"
    EL0_RUN el0_brk, el0_brk_after
    CHECK_EXC VEC_LOWER64_SYNC, ESR(EC_BRK64, BRK_IMM_EL0), el0_brk_insn, (PSR_Z | EL0_SPSR)
    CHECK_OK

    // UDF at EL0: EC 0x00, ELR = the UDF.
    CHECK_BEGIN "udf-el0"
    EL0_RUN el0_udf, el0_udf_after
    CHECK_EXC VEC_LOWER64_SYNC, ESR(EC_UNKNOWN, 0), el0_udf_insn, (PSR_C | EL0_SPSR)
    CHECK_OK

    // HVC at EL0 is UNDEFINED (Arm ARM C6.2 HVC: "UNDEFINED at EL0"): EC 0x00, ELR = the HVC.
    // QEMU does not treat it as a PSCI call.
    CHECK_BEGIN "hvc-el0-undef"
    EL0_RUN el0_hvc, el0_hvc_after
    CHECK_EXC VEC_LOWER64_SYNC, ESR(EC_UNKNOWN, 0), el0_hvc_insn, (PSR_N | EL0_SPSR)
    CHECK_OK

    // SMC at EL0 is UNDEFINED (Arm ARM C6.2 SMC): EC 0x00, ELR = the SMC.
    CHECK_BEGIN "smc-el0-undef"
    EL0_RUN el0_smc, el0_smc_after
    CHECK_EXC VEC_LOWER64_SYNC, ESR(EC_UNKNOWN, 0), el0_smc_insn, (PSR_V | EL0_SPSR)
    CHECK_OK

    // MRS of an EL1-only register (SCTLR_EL1) at EL0: UNDEFINED, EC 0x00, ELR = the MRS.
    CHECK_BEGIN "mrs-sctlr_el1-el0-undef"
    EL0_RUN el0_mrs_sctlr, el0_mrs_sctlr_after
    CHECK_EXC VEC_LOWER64_SYNC, ESR(EC_UNKNOWN, 0), el0_mrs_sctlr_insn, EL0_SPSR
    CHECK_OK

    // MRS MIDR_EL1 at EL0: MIDR_EL1 has no EL0 access (its accessibility pseudocode starts with
    // "if PSTATE.EL == EL0 then UNDEFINED"), so EC 0x00. (Linux emulates this read in its EL0
    // UNDEF handler; QEMU raises the UNDEF exactly like that.)
    CHECK_BEGIN "mrs-midr_el1-el0-undef"
    EL0_RUN el0_mrs_midr, el0_mrs_midr_after
    CHECK_EXC VEC_LOWER64_SYNC, ESR(EC_UNKNOWN, 0), el0_mrs_midr_insn, EL0_SPSR
    CHECK_OK

    // MRS CTR_EL0 at EL0 with SCTLR_EL1.UCT = 0: trapped to EL1 with EC 0x18 (not UNDEF);
    // ISS = Op0 3, Op2 1, Op1 3, CRn 0, CRm 0, Rt = 3, Direction = 1 (read)
    // (Arm ARM: CTR_EL0 accessibility, "SCTLR_EL1.UCT == '0' then ... AArch64.SystemAccessTrap(EL1,
    // 0x18)"; ISS layout "ISS encoding for an exception from MSR, MRS, or System instruction").
    CHECK_BEGIN "mrs-ctr_el0-el0-uct0-trap"
    EL0_RUN el0_mrs_ctr, el0_mrs_ctr_after
    CHECK_EXC VEC_LOWER64_SYNC, ESR(EC_SYSREG, ISS_SYSREG(3, 3, 0, 0, 1, RT_CTR, 1)), el0_mrs_ctr_insn, EL0_SPSR
    CHECK_OK

    // The same MRS with SCTLR_EL1.UCT = 1 does not trap and reads what EL1 reads.
    CHECK_BEGIN "mrs-ctr_el0-el0-uct1"
    mrs     x20, sctlr_el1
    orr     x9, x20, #SCTLR_UCT
    msr     sctlr_el1, x9
    isb
    ldr     x9, =exc_state
    ldr     x22, [x9, #EXC_COUNT]       // exceptions recorded so far
    ldr     x0, =el0_mrs_ctr_nontrap
    ldr     x1, =el0_stack_top
    mov     x2, #EL0_SPSR
    bl      run_el0                     // returns the X3 the EL0 routine read
    mov     x19, x0
    msr     sctlr_el1, x20              // UCT = 0 again
    isb
    mrs     x21, ctr_el0
    CHECK_EQR "ctr_el0", x19, x21
    ldr     x9, =exc_state
    ldr     x10, [x9, #EXC_COUNT]
    CHECK_EQR "exceptions", x10, x22    // none taken (an unexpected one would have exited)
    CHECK_OK

    // DC ZVA at EL0 with SCTLR_EL1.DZE = 0: trapped with EC 0x18; ISS = Op0 1, Op2 1, Op1 3,
    // CRn 7, CRm 4, Rt = 5, Direction = 0 (a system instruction is reported as a write)
    // (Arm ARM: DC ZVA, "SCTLR_EL1.DZE == '0' then AArch64.SystemAccessTrap(EL1, 0x18)").
    CHECK_BEGIN "dc-zva-el0-dze0-trap"
    EL0_RUN el0_dc_zva, el0_dc_zva_after
    CHECK_EXC VEC_LOWER64_SYNC, ESR(EC_SYSREG, ISS_SYSREG(1, 3, 7, 4, 1, RT_ZVA, 0)), el0_dc_zva_insn, EL0_SPSR
    CHECK_OK

    // LDXR at EL0 on an unaligned address: data abort from a lower EL, EC 0x24, DFSC 0x21,
    // WnR = 0, FAR = the address, ELR = the LDXR.
    CHECK_BEGIN "align-ldxr-el0"
    EL0_RUN el0_ldxr, el0_ldxr_after
    CHECK_EXC VEC_LOWER64_SYNC, ESR(EC_DABT_LOWER, FSC_ALIGN), el0_ldxr_insn, (PSR_Z | PSR_C | EL0_SPSR)
    CHECK_FAR align_buf + 3
    CHECK_OK

    // EL0 hands back a value through the exit SVC: run_el0 returns the X0 EL0 had at that SVC.
    CHECK_BEGIN "el0-return-value"
    ldr     x0, =el0_return_value
    ldr     x1, =el0_stack_top
    mov     x2, #EL0_SPSR
    bl      run_el0
    CHECK_EQ "x0", x0, EL0_RETURN_MAGIC
    CHECK_OK

    b       report_pass                 // "exceptions: PASS", exit 0

// ================================ EL0 routines =================================================

    .section .el0_text, "ax"
el0_svc:
    mov     x9, #(PSR_N | PSR_V)
    msr     nzcv, x9                    // NZCV is writable at EL0
    svc     #SVC_IMM_EL0
el0_svc_after:
    svc     #SVC_EL0_EXIT

el0_brk:
    mov     x9, #PSR_Z
    msr     nzcv, x9
el0_brk_insn:
    brk     #BRK_IMM_EL0
el0_brk_after:
    svc     #SVC_EL0_EXIT

el0_udf:
    mov     x9, #PSR_C
    msr     nzcv, x9
el0_udf_insn:
    udf     #UDF_IMM
el0_udf_after:
    svc     #SVC_EL0_EXIT

el0_hvc:
    mov     x9, #PSR_N
    msr     nzcv, x9
    ldr     x0, =PSCI_VERSION           // a valid PSCI ID: still UNDEFINED at EL0
el0_hvc_insn:
    hvc     #0
el0_hvc_after:
    svc     #SVC_EL0_EXIT

el0_smc:
    mov     x9, #PSR_V
    msr     nzcv, x9
el0_smc_insn:
    smc     #0
el0_smc_after:
    svc     #SVC_EL0_EXIT

el0_mrs_sctlr:
    msr     nzcv, xzr
el0_mrs_sctlr_insn:
    mrs     x0, sctlr_el1
el0_mrs_sctlr_after:
    svc     #SVC_EL0_EXIT

el0_mrs_midr:
    msr     nzcv, xzr
el0_mrs_midr_insn:
    mrs     x0, midr_el1
el0_mrs_midr_after:
    svc     #SVC_EL0_EXIT

el0_mrs_ctr:
    msr     nzcv, xzr
el0_mrs_ctr_insn:
    mrs     x3, ctr_el0                 // Rt = 3 (RT_CTR)
el0_mrs_ctr_after:
    svc     #SVC_EL0_EXIT

el0_mrs_ctr_nontrap:
    mrs     x3, ctr_el0
    mov     x0, x3
    svc     #SVC_EL0_EXIT

el0_dc_zva:
    msr     nzcv, xzr
    ldr     x5, =zva_buf
el0_dc_zva_insn:
    dc      zva, x5                     // Rt = 5 (RT_ZVA)
el0_dc_zva_after:
    svc     #SVC_EL0_EXIT

el0_ldxr:
    mov     x9, #(PSR_Z | PSR_C)
    msr     nzcv, x9
    ldr     x1, =align_buf + 3
el0_ldxr_insn:
    ldxr    w0, [x1]
el0_ldxr_after:
    svc     #SVC_EL0_EXIT

el0_return_value:
    ldr     x0, =EL0_RETURN_MAGIC
    svc     #SVC_EL0_EXIT
    .ltorg                              // literal pool for the EL0 routines' ldr =

// ================================ data =========================================================
    .data
    .balign 16
align_buf:                              // target of the unaligned exclusive/ordered accesses
    .quad   0, 0

    .bss
    .balign 64                          // DC ZVA block: DCZID_EL0.BS = 4 -> 64 bytes on QEMU
zva_buf:
    .space  64
    .balign 16
    .space  4096                        // EL0 stack (4 KiB)
el0_stack_top:
