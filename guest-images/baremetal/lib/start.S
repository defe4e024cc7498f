// Common start-up for every guest: _start at EL1 (QEMU's virt board enters an ELF kernel at EL1h
// with the MMU off when it has no firmware; x0 = DTB address, which we keep in boot_dtb).
// It puts the CPU in a known state, installs the default vector table and calls the guest's
// main(); main's return value is the exit status reported through semihosting.
#include "aarvark.h"

    .section .text.boot, "ax"
    .global _start
_start:
    msr     daifset, #DAIF_ALL          // mask D, A, I, F: nothing asynchronous is expected
    msr     spsel, #1                   // run on SP_EL1 (EL1h) so exceptions use offset 0x200
    ldr     x1, =__stack_top
    mov     sp, x1
    ldr     x1, =boot_dtb
    str     x0, [x1]                    // keep the DTB pointer for anyone interested

    // SCTLR_EL1: only the ARMv8.0 RES1 bits. MMU, caches and alignment checks off, EL0 may not
    // read CTR_EL0 (UCT = 0), EL0 WFI/WFE trap (nTWI = nTWE = 0), DC ZVA at EL0 traps (DZE = 0).
    ldr     x1, =SCTLR_RES1_V80
    msr     sctlr_el1, x1
    // CPACR_EL1.FPEN = 0b11: FP/SIMD instructions do not trap (the mmu guest uses LDR Q / LD1).
    mov     x1, #CPACR_FPEN_NOTRAP
    msr     cpacr_el1, x1
    ldr     x1, =lib_vectors
    msr     vbar_el1, x1
    isb                                 // make the system register writes take effect

    // Zero .bss (linker symbols are 16-byte aligned).
    ldr     x1, =__bss_start
    ldr     x2, =__bss_end
1:  cmp     x1, x2
    b.hs    2f
    stp     xzr, xzr, [x1], #16
    b       1b
2:
    bl      main
    // main returned: its w0 is the exit status (0 = pass).
    b       semi_exit

    .section .bss
    .balign 8
    .global boot_dtb
boot_dtb:
    .quad   0
