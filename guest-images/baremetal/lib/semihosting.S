// Semihosting calls (Arm Semihosting Specification v2, AArch64: HLT #0xF000, W0 = operation,
// X1 = parameter block address or value, result in X0). Only legal at EL1 here: QEMU refuses
// semihosting from EL0 unless told otherwise.
#include "aarvark.h"

    .text
// void semi_exit(int status) -- SYS_EXIT_EXTENDED with {ADP_Stopped_ApplicationExit, status}.
// Does not return. If the call does return (no semihosting host), park the CPU in WFI.
    .global semi_exit
semi_exit:
    sub     sp, sp, #16
    ldr     x1, =ADP_Stopped_ApplicationExit
    sxtw    x2, w0
    stp     x1, x2, [sp]                // parameter block {reason, subcode}
    mov     x1, sp
    mov     w0, #SYS_EXIT_EXTENDED
    SEMIHOST
1:  wfi                                 // no semihosting: nothing else we can do
    b       1b

// long semi_call(int op, void *param) -- raw call, returns X0.
    .global semi_call
semi_call:
    SEMIHOST
    ret

// void semi_write0(const char *s)
    .global semi_write0
semi_write0:
    mov     x1, x0
    mov     w0, #SYS_WRITE0
    SEMIHOST
    ret

// void semi_writec(char c) -- SYS_WRITEC takes the address of the byte in X1.
    .global semi_writec
semi_writec:
    sub     sp, sp, #16
    strb    w0, [sp]
    mov     x1, sp
    mov     w0, #SYS_WRITEC
    SEMIHOST
    add     sp, sp, #16
    ret

// long semi_write(long handle, const void *buf, long len) -- returns bytes NOT written.
    .global semi_write
semi_write:
    sub     sp, sp, #32
    stp     x0, x1, [sp]                // {handle, address,
    str     x2, [sp, #16]               //  length}
    mov     x1, sp
    mov     w0, #SYS_WRITE
    SEMIHOST
    add     sp, sp, #32
    ret
