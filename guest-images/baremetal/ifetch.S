// ifetch: instruction fetches from physical addresses with nothing behind them, and from device
// registers, at EL1 and EL0, with the MMU off and through a translation of the guest's own.
//
//   A fetch from a physical address the board leaves unassigned is a synchronous external abort
//   on the fetch: an instruction abort, EC 0x21 from the same EL or 0x20 from EL0, IFSC 0x10
//   (synchronous external abort, not on a table walk), FAR_EL1 = ELR_EL1 = the fetch's virtual
//   address (Arm ARM D17.2.37 ESR_EL1 "ISS encoding for an exception from an Instruction Abort";
//   "preferred exception return address" of an instruction abort: the instruction itself).
//
// QEMU 7.2 facts this guest encodes (verified on cortex-a53/a57/a72 with -m 512M, see README.md):
//  * An unassigned address (0x0900_8000 between the PL011 and the PL031, 0x6000_0000 just past
//    512 MiB of RAM) gives exactly that abort: ESR 0x86000010 at EL1, 0x82000010 from EL0.
//  * QEMU executes from device registers: it reads the register as the instruction word. The
//    PL011's UARTDR and the virtio-mmio MagicValue ("virt", 0x74726976) both read as UNDEFINED
//    encodings, so the fetch ends in an Undefined Instruction exception (EC 0x00, ESR 0x02000000)
//    with ELR = the register's address and no FAR.
#include "aarvark.h"

    GUEST_NAME "ifetch"

#define EL1_MASKED      (PSR_DAIF | PSR_MODE_EL1h)
#define EL0_SPSR        (PSR_MODE_EL0t)
#define HOLE_AFTER_RAM  0x60000000          // RAM_BASE + 512 MiB: the run command's -m 512M
#define HOLE_DEVICES    0x09008000          // between the PL011 (0x0900_0000) and the PL031 (0x0901_0000)
#define VIRTIO_SLOT0    0x0a000000          // the first virtio-mmio transport (MagicValue)
// With the MMU on: a 2 MiB block of VA (RAM's level 2 table, entry VA_HOLE_INDEX) is mapped onto
// the physical hole after RAM, so the fetch's virtual and physical addresses differ.
#define VA_HOLE_INDEX   300
#define VA_HOLE         (RAM_BASE + VA_HOLE_INDEX * BLOCK_2M)   // 0x6580_0000

// Branch to \addr at EL1 and check the exception it gives.
.macro FETCH_EL1 addr, esr, far
    EXPECT  1f
    ldr     x0, =\addr
    msr     nzcv, xzr                   // a known SPSR.NZCV
    br      x0
1:  CHECK_EXC VEC_CUR_SPX_SYNC, \esr, \addr, EL1_MASKED
    CHECK_FAR \far
.endm

    .text
    .global main
main:
    stp     x29, x30, [sp, #-16]!

    // 1. Past the end of RAM, MMU off: instruction abort from EL1, IFSC 0x10, FAR = ELR.
    CHECK_BEGIN "hole-after-ram-el1"
    FETCH_EL1 HOLE_AFTER_RAM, ESR(EC_IABT_CUR, FSC_SEA), HOLE_AFTER_RAM
    CHECK_OK

    // 2. A hole between two devices, MMU off.
    CHECK_BEGIN "hole-between-devices-el1"
    FETCH_EL1 HOLE_DEVICES, ESR(EC_IABT_CUR, FSC_SEA), HOLE_DEVICES
    CHECK_OK

    // 3. The same hole from EL0 (MMU off: EL0 may fetch anywhere): EC 0x20, taken to VBAR+0x400.
    CHECK_BEGIN "hole-el0"
    EXPECT  el0_back
    ldr     x0, =HOLE_DEVICES
    ldr     x1, =el0_stack_top
    mov     x2, #EL0_SPSR
    bl      run_el0
    CHECK_EXC VEC_LOWER64_SYNC, ESR(EC_IABT_LOWER, FSC_SEA), HOLE_DEVICES, EL0_SPSR
    CHECK_FAR HOLE_DEVICES
    CHECK_OK

    // 4. The PL011's data register as an instruction: it reads as 0 (UDF #0), UNDEFINED at that
    //    address. FAR is not written by an Undefined Instruction exception: the recorder keeps the
    //    previous check's FAR, which is what is compared.
    CHECK_BEGIN "uart-register-el1"
    FETCH_EL1 UART_BASE, ESR(EC_UNKNOWN, 0), HOLE_DEVICES
    CHECK_OK

    // 5. The first virtio-mmio slot's MagicValue ("virt") as an instruction: UNDEFINED.
    CHECK_BEGIN "virtio-register-el1"
    FETCH_EL1 VIRTIO_SLOT0, ESR(EC_UNKNOWN, 0), HOLE_DEVICES
    CHECK_OK

    // 6. MMU on: a virtual page of the guest's own map onto the hole after RAM. FAR and ELR are
    //    the virtual address.
    CHECK_BEGIN "va-mapped-onto-hole-el1"
    ldr     x0, =tt_l0
    ldr     x1, =tt_l1
    ldr     x2, =tt_l2_dev
    ldr     x3, =tt_l2_ram
    bl      pt_identity_2m
    ldr     x0, =tt_l2_ram
    ldr     x9, =(HOLE_AFTER_RAM | PTE_NORMAL)          // EL1 RW, EL1-executable
    str     x9, [x0, #(VA_HOLE_INDEX * 8)]
    ldr     x0, =tt_l0
    mov     x1, xzr
    ldr     x2, =__bss_start
    ldr     x3, =__bss_end
    bl      mmu_enable
    msr     nzcv, xzr
    FETCH_EL1 VA_HOLE, ESR(EC_IABT_CUR, FSC_SEA), VA_HOLE
    CHECK_OK

    b       report_pass                 // "ifetch: PASS", exit 0

    PAGE tt_l0
    PAGE tt_l1
    PAGE tt_l2_dev
    PAGE tt_l2_ram

// ================================ EL0 =========================================================

    .section .el0_text, "ax"
el0_back:
    svc     #SVC_EL0_EXIT

    .bss
    .balign 16
    .space  4096                        // EL0 stack (4 KiB)
el0_stack_top:
