// hello: prints one line on the PL011 UART (through the shared, FR-polling uart routines) and
// exits 0 through semihosting (SYS_EXIT_EXTENDED). The smallest possible end-to-end guest.
#include "aarvark.h"

    GUEST_NAME "hello"

    .text
    .global main
main:
    stp     x29, x30, [sp, #-16]!
    adr     x0, message
    bl      uart_puts
    mov     w0, #EXIT_PASS              // exit status 0, reported by lib/start.S via semihosting
    ldp     x29, x30, [sp], #16
    ret

message:
    .asciz  "Hello from the aarvark bare-metal guest\n"
