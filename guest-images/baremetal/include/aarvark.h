/*
 * aarvark bare-metal guests: shared constants and assembler macros.
 *
 * Included (through the C preprocessor) by every guest and by the files in lib/. Everything that is a
 * number with an architectural meaning is named here once, with the rule it comes from.
 * References: "Arm ARM" = Arm Architecture Reference Manual for A-profile (DDI 0487);
 * "semihosting" = Arm Semihosting Specification v2; "DEN0022" = PSCI; "DEN0028" = SMCCC.
 */
#ifndef AARVARK_H
#define AARVARK_H

/* ---- QEMU virt board (hw/arm/virt.c memory map; QEMU 7.2's -M virt,dumpdtb= device tree) ----- */
#define RAM_BASE            0x40000000      /* start of RAM; QEMU puts the DTB here for ELF kernels */
#define RAM_SIZE_MIN        0x20000000      /* guests assume -m 512M (tests run with exactly that)  */
#define UART_BASE           0x09000000      /* PL011 */
#define UART_DR             0x00            /* PL011 data register (write = transmit a byte)        */
#define UART_FR             0x18            /* PL011 flag register                                   */
#define UART_FR_TXFF_BIT    5               /* FR.TXFF: transmit FIFO full (PL011 TRM, UARTFR)       */
#define UART_POLL_LIMIT     1000000         /* bound on FR polls per byte, so a stuck TXFF cannot hang */

/* ---- Semihosting (Arm semihosting spec v2: A64 trap is HLT #0xF000, op in W0, arg in X1) ------ */
#define SEMI_HLT_IMM        0xF000
#define SYS_WRITEC          0x03            /* X1 -> one byte                                        */
#define SYS_WRITE0          0x04            /* X1 -> NUL-terminated string                           */
#define SYS_WRITE           0x05            /* X1 -> {handle, address, length}; X0 = bytes NOT written */
#define SYS_OPEN            0x01            /* X1 -> {name, mode, name length}; X0 = handle or -1    */
#define SYS_CLOSE           0x02            /* X1 -> {handle}; X0 = 0 or -1                          */
#define SYS_EXIT_EXTENDED   0x20            /* X1 -> {reason, subcode}                               */
#define ADP_Stopped_ApplicationExit 0x20026 /* reason code: subcode is the exit status              */
#define SEMI_OPEN_MODE_W    4               /* mode 4 = "w" (fopen mode table in the semihosting spec) */

/* ---- PSCI (DEN0022) and SMCCC (DEN0028) -------------------------------------------------------- */
#define PSCI_VERSION            0x84000000
#define PSCI_CPU_SUSPEND_64     0xC4000001
#define PSCI_CPU_OFF            0x84000002
#define PSCI_CPU_ON_64          0xC4000003
#define PSCI_AFFINITY_INFO_64   0xC4000004
#define PSCI_MIGRATE_INFO_TYPE  0x84000006
#define PSCI_SYSTEM_OFF         0x84000008
#define PSCI_SYSTEM_RESET       0x84000009
#define PSCI_FEATURES           0x8400000A
#define PSCI_RET_SUCCESS        0
#define PSCI_RET_NOT_SUPPORTED  0xFFFFFFFFFFFFFFFF  /* -1, sign-extended to 64 bits in X0 */
#define PSCI_RET_INVALID_PARAMS 0xFFFFFFFFFFFFFFFE  /* -2 */

/* ---- ESR_ELx (Arm ARM D17.2.37 ESR_EL1): EC[31:26], IL[25], ISS[24:0] -------------------------- */
#define ESR_EC_SHIFT        26
#define ESR_IL              (1 << 25)       /* IL = 1: 32-bit instruction trapped                   */
#define EC_UNKNOWN          0x00            /* unknown reason: UNDEFINED instructions               */
#define EC_FP_ACCESS        0x07            /* FP/SIMD access trapped by CPACR_EL1.FPEN              */
#define EC_SYSREG           0x18            /* trapped MSR/MRS/system instruction (AArch64)         */
#define EC_SVC64            0x15
#define EC_HVC64            0x16
#define EC_SMC64            0x17
#define EC_IABT_LOWER       0x20            /* instruction abort from a lower EL                    */
#define EC_IABT_CUR         0x21            /* instruction abort taken without a change of EL       */
#define EC_DABT_LOWER       0x24            /* data abort from a lower EL                           */
#define EC_DABT_CUR         0x25            /* data abort taken without a change of EL              */
#define EC_BRK64            0x3C
/* ESR value for EC with IL = 1 and the given ISS. */
#define ESR(ec, iss)        (((ec) << ESR_EC_SHIFT) | ESR_IL | (iss))
/* Data abort ISS (Arm ARM "ISS encoding for an exception from a Data Abort"). */
#define ISS_WNR             (1 << 6)        /* WnR: 1 = the fault was on a write                    */
/* Fault status codes (DFSC/IFSC, ISS[5:0]). */
#define FSC_ADDR_SIZE(l)    (0x00 + (l))    /* address size fault, level l                          */
#define FSC_TRANS(l)        (0x04 + (l))    /* translation fault, level l (0..3)                    */
#define FSC_ACCESS(l)       (0x08 + (l))    /* access flag fault, level l (1..3)                    */
#define FSC_PERM(l)         (0x0C + (l))    /* permission fault, level l (1..3)                     */
#define FSC_ALIGN           0x21            /* alignment fault                                      */
/* Generic timer CNTx_CTL_EL0 (Arm ARM D11.2.4). */
#define CTL_ENABLE          (1 << 0)        /* the timer is enabled                                 */
#define CTL_IMASK           (1 << 1)        /* its interrupt is masked                              */
#define CTL_ISTATUS_BIT     2               /* ISTATUS: the timer condition is met (read-only)      */
#define FSC_SEA             0x10            /* synchronous external abort, not on a table walk      */
/* ISS of a trapped MRS (EC 0x18): Op0[21:20] Op2[19:17] Op1[16:14] CRn[13:10] Rt[9:5] CRm[4:1] Dir[0] */
#define ISS_SYSREG(op0, op1, crn, crm, op2, rt, read) \
    (((op0) << 20) | ((op2) << 17) | ((op1) << 14) | ((crn) << 10) | ((rt) << 5) | ((crm) << 1) | (read))

/* ---- PSTATE / SPSR_EL1 (Arm ARM C5.2.18 SPSR_EL1, AArch64 state) ------------------------------- */
#define PSR_N               (1 << 31)
#define PSR_Z               (1 << 30)
#define PSR_C               (1 << 29)
#define PSR_V               (1 << 28)
#define PSR_D               (1 << 9)
#define PSR_A               (1 << 8)
#define PSR_I               (1 << 7)
#define PSR_F               (1 << 6)
#define PSR_DAIF            (PSR_D | PSR_A | PSR_I | PSR_F)
#define PSR_MODE_EL0t       0x0             /* M[3:0] = 0b0000                                       */
#define PSR_MODE_EL1h       0x5             /* M[3:0] = 0b0101: EL1 using SP_EL1                     */
/* DAIF immediates for MSR DAIFSet/DAIFClr: D=8 A=4 I=2 F=1. */
#define DAIF_ALL            0xF

/* ---- SCTLR_EL1 (Arm ARM D17.2.118) -------------------------------------------------------------- */
#define SCTLR_M             (1 << 0)        /* stage 1 MMU enable                                    */
#define SCTLR_A             (1 << 1)        /* alignment check enable                                */
#define SCTLR_C             (1 << 2)        /* data cacheability                                     */
#define SCTLR_I             (1 << 12)       /* instruction cacheability                              */
#define SCTLR_UCT           (1 << 15)       /* EL0 access to CTR_EL0                                 */
/* Bits that are RES1 in ARMv8.0: 11, 20, 22, 23, 28, 29 (they hold later features' controls). */
#define SCTLR_RES1_V80      ((1 << 11) | (1 << 20) | (1 << 22) | (1 << 23) | (1 << 28) | (1 << 29))

/* CPACR_EL1.FPEN = 0b11: no trapping of FP/SIMD at EL0 or EL1 (Arm ARM D17.2.30). */
#define CPACR_FPEN_NOTRAP   (3 << 20)
#define CPACR_FPEN_SHIFT    20              /* FPEN[21:20]: 0b00/0b10 trap EL0 and EL1, 0b01 EL0 only */
/* ISS of an FP access trap as QEMU reports it (syn_fp_access_trap): CV = 1, COND = 0b1110. */
#define ISS_FP_ACCESS       ((1 << 24) | (0xe << 20))

/* ---- VMSAv8-64 stage 1, 4 KiB granule (Arm ARM D8 "The AArch64 Virtual Memory System Arch.") - */
#define PAGE_SIZE           0x1000
#define BLOCK_2M            0x200000        /* a level 2 block                                     */
#define BLOCK_1G            0x40000000      /* a level 1 block / the span of one level 2 table     */
#define PT_ENTRIES          512             /* 4 KiB table of 8-byte descriptors                   */
/* Descriptor bits (Arm ARM D8.3 "Translation table descriptor formats"). */
#define PTE_VALID           (1 << 0)
#define PTE_TABLE           (1 << 1)        /* levels 0-2: next-level table (bit 1 = 0: block)     */
#define PTE_PAGE            (1 << 1)        /* level 3: page (bit 1 must be 1)                     */
#define PTE_ATTRIDX(i)      ((i) << 2)      /* AttrIndx[2:0]: MAIR_EL1 attribute index             */
#define PTE_AP_EL1_RW       (0 << 6)        /* AP[2:1] = 00: EL1 RW, EL0 none                      */
#define PTE_AP_ALL_RW       (1 << 6)        /* AP[2:1] = 01: EL1 RW, EL0 RW                        */
#define PTE_AP_EL1_RO       (2 << 6)        /* AP[2:1] = 10: EL1 RO, EL0 none                      */
#define PTE_AP_ALL_RO       (3 << 6)        /* AP[2:1] = 11: EL1 RO, EL0 RO                        */
#define PTE_SH_INNER        (3 << 8)        /* SH[1:0] = 11: Inner Shareable                       */
#define PTE_AF              (1 << 10)       /* Access flag: 0 -> access flag fault on first use    */
#define PTE_PXN             (1 << 53)       /* privileged (EL1) execute-never                      */
#define PTE_UXN             (1 << 54)       /* unprivileged (EL0) execute-never                    */
/* MAIR_EL1 (Arm ARM D17.2.97): attribute 0 = Normal, Inner/Outer Write-Back Non-transient,
 * Read/Write-Allocate (0xFF); attribute 1 = Device-nGnRnE (0x00). */
#define MAIR_IDX_NORMAL     0
#define MAIR_IDX_DEVICE     1
#define MAIR_ATTR_NORMAL_WB 0xFF
#define MAIR_ATTR_DEVICE    0x00
#define MAIR_VALUE          ((MAIR_ATTR_NORMAL_WB << (8 * MAIR_IDX_NORMAL)) | (MAIR_ATTR_DEVICE << (8 * MAIR_IDX_DEVICE)))
/* Leaf attributes used by the guests. */
#define PTE_NORMAL          (PTE_VALID | PTE_ATTRIDX(MAIR_IDX_NORMAL) | PTE_SH_INNER | PTE_AF)
#define PTE_DEVICE          (PTE_VALID | PTE_ATTRIDX(MAIR_IDX_DEVICE) | PTE_AF | PTE_PXN | PTE_UXN)
/* TCR_EL1 (Arm ARM D17.2.131): T0SZ = T1SZ = 16 (48-bit VAs in both halves), 4 KiB granules
 * (TG0 = 0b00, TG1 = 0b10), walks Inner/Outer Write-Back Read/Write-Allocate cacheable and Inner
 * Shareable for both TTBRs, IPS = 0b010 (40-bit PAs: every CPU here has PARange >= 40 bits),
 * 8-bit ASIDs, no top-byte-ignore. */
#define VA_BITS             48
#define TCR_T0SZ            (64 - VA_BITS)
#define TCR_IRGN0_WBWA      (1 << 8)
#define TCR_ORGN0_WBWA      (1 << 10)
#define TCR_SH0_INNER       (3 << 12)
#define TCR_TG0_4K          (0 << 14)
#define TCR_T1SZ            ((64 - VA_BITS) << 16)
#define TCR_IRGN1_WBWA      (1 << 24)
#define TCR_ORGN1_WBWA      (1 << 26)
#define TCR_SH1_INNER       (3 << 28)
#define TCR_TG1_4K          (2 << 30)
#define TCR_IPS_40BIT       (2 << 32)
#define TCR_VALUE           (TCR_T0SZ | TCR_IRGN0_WBWA | TCR_ORGN0_WBWA | TCR_SH0_INNER | TCR_TG0_4K | \
                             TCR_T1SZ | TCR_IRGN1_WBWA | TCR_ORGN1_WBWA | TCR_SH1_INNER | TCR_TG1_4K | \
                             TCR_IPS_40BIT)
#define TTBR1_BASE          0xFFFF000000000000  /* lowest VA translated through TTBR1 (T1SZ = 16) */
/* Table index of a VA at each level (4 KiB granule, 9 bits per level). */
#define L0_SHIFT            39
#define L1_SHIFT            30
#define L2_SHIFT            21
#define L3_SHIFT            12
#define UART_L2_INDEX       ((UART_BASE >> L2_SHIFT) & (PT_ENTRIES - 1))   /* 72 */
#define RAM_L1_INDEX        (RAM_BASE >> L1_SHIFT)                          /* 1  */
#define RAM_BLOCKS_2M       (RAM_SIZE_MIN / BLOCK_2M)                       /* 256 */

/* ---- Exception vectors (Arm ARM D1.10.2, "Exception vectors"): VBAR + index * 0x80 ------------- */
#define VEC_CUR_SP0_SYNC    0               /* offset 0x000 */
#define VEC_CUR_SPX_SYNC    4               /* offset 0x200: current EL, SP_ELx                      */
#define VEC_LOWER64_SYNC    8               /* offset 0x400: lower EL, AArch64                       */
#define VEC_ENTRY_SIZE      0x80
#define VBAR_ALIGN_LOG2     11              /* VBAR_EL1[10:0] are RES0: 2 KiB alignment              */

/* ---- Exception frame built by lib/vectors.S ----------------------------------------------------- */
#define FR_ELR              (31 * 8)        /* after x0..x30 */
#define FR_SPSR             (32 * 8)
#define FRAME_SIZE          (34 * 8)        /* 272: keeps SP 16-byte aligned */

/* exc_state fields (lib/vectors.S): what the last exception recorded. */
#define EXC_EXPECT          0               /* nonzero: the next exception is expected               */
#define EXC_RESUME          8               /* where an expected exception resumes (ELR replacement) */
#define EXC_VEC             16              /* vector index 0..15                                    */
#define EXC_ESR             24
#define EXC_ELR             32
#define EXC_FAR             40
#define EXC_SPSR            48
#define EXC_COUNT           56              /* exceptions taken (expected ones)                      */
#define EXC_DEPTH           64              /* nesting depth, guards against recursive faults         */
#define EXC_STATE_SIZE      72

/* SVC immediate an EL0 test uses to hand control back to run_el0's caller at EL1. */
#define SVC_EL0_EXIT        0xFFFF

/* ---- Exit statuses (semihosting ADP_Stopped_ApplicationExit subcode) --------------------------- */
#define EXIT_PASS           0
/* 1..199: the number of the failing check (CHECK_BEGIN numbers checks from 1 in source order). */
#define EXIT_UNEXPECTED     200             /* 200 + vector index (0..15): unexpected exception      */
#define EXIT_NESTED         240             /* an exception inside the exception handler             */

#ifdef __ASSEMBLER__

/* Define the guest's name, printed as the prefix of every line ("exceptions: ..."). */
.macro GUEST_NAME name
    .pushsection .rodata.guest_name, "a"
    .global guest_name
guest_name:
    .asciz  "\name"
    .popsection
.endm

/* Numbered checks: CHECK_BEGIN "svc-el1" starts check N (N = 1, 2, ... in source order); the
 * CHECK_EQ lines that follow compare one field each; CHECK_OK prints "<guest>: svc-el1 ok".
 * A mismatch prints "<guest>: FAIL svc-el1 <field> expected 0x.. got 0x.." and exits with N. */
.set CHECK_NO, 0
.macro CHECK_BEGIN name
    .set    CHECK_NO, CHECK_NO + 1
    .pushsection .rodata.str, "aMS", %progbits, 1
.Lcheck_name\@: .asciz "\name"
    .popsection
    adr     x0, .Lcheck_name\@
    mov     w1, #CHECK_NO
    bl      check_begin
.endm

.macro CHECK_OK
    bl      check_ok
.endm

/* Compare register \got (not x16/x17) with the constant or symbol \exp. Uses x17 and NZCV only
 * on success; on failure it does not return. */
.macro CHECK_EQ field, got, exp
    ldr     x17, =\exp
    cmp     \got, x17
    b.eq    .Lcheck_ok\@
    mov     x2, \got
    mov     x1, x17
    adr     x0, .Lfield\@
    bl      check_fail
    .pushsection .rodata.str, "aMS", %progbits, 1
.Lfield\@: .asciz "\field"
    .popsection
.Lcheck_ok\@:
.endm

/* Compare register \got with register \expreg (neither x16 nor x17). */
.macro CHECK_EQR field, got, expreg
    mov     x17, \expreg
    cmp     \got, x17
    b.eq    .Lcheck_ok\@
    mov     x2, \got
    mov     x1, x17
    adr     x0, .Lfield\@
    bl      check_fail
    .pushsection .rodata.str, "aMS", %progbits, 1
.Lfield\@: .asciz "\field"
    .popsection
.Lcheck_ok\@:
.endm

/* Arm the exception recorder: the next synchronous exception is expected; the handler records
 * vector, ESR, ELR, FAR and SPSR in exc_state and resumes at \resume. Uses x16/x17 only. */
.macro EXPECT resume
    ldr     x16, =exc_state
    ldr     x17, =\resume
    str     x17, [x16, #EXC_RESUME]
    mov     x17, #1
    str     x17, [x16, #EXC_EXPECT]
.endm

/* After an EXPECT: check the exception was taken and its vector, ESR, ELR and SPSR.
 * Uses x9, x10 and x17. */
.macro CHECK_EXC vec, esr, elr, spsr
    ldr     x9, =exc_state
    ldr     x10, [x9, #EXC_EXPECT]
    CHECK_EQ "taken(expect-flag)", x10, 0
    ldr     x10, [x9, #EXC_VEC]
    CHECK_EQ "vector", x10, \vec
    ldr     x10, [x9, #EXC_ESR]
    CHECK_EQ "esr", x10, \esr
    ldr     x10, [x9, #EXC_ELR]
    CHECK_EQ "elr", x10, \elr
    ldr     x10, [x9, #EXC_SPSR]
    CHECK_EQ "spsr", x10, \spsr
.endm

/* FAR_EL1 of the last recorded exception. Uses x9, x10 and x17. */
.macro CHECK_FAR far
    ldr     x9, =exc_state
    ldr     x10, [x9, #EXC_FAR]
    CHECK_EQ "far", x10, \far
.endm

/* One 4 KiB-aligned, zero-filled page in .bss.pages (translation tables, test pages). */
.macro PAGE name
    .pushsection .bss.pages, "aw", %nobits
    .balign PAGE_SIZE
    .global \name
\name:
    .space  PAGE_SIZE
    .popsection
.endm

/* Semihosting call: W0 = operation, X1 = parameter; result in X0. */
.macro SEMIHOST
    hlt     #SEMI_HLT_IMM
.endm

#endif /* __ASSEMBLER__ */
#endif /* AARVARK_H */
