// hello: prints a line on the PL011 UART and exits 0 through semihosting (SYS_EXIT_EXTENDED).
#define UART_DR 0x09000000

    .section .text.boot, "ax"
    .global _start
_start:
    ldr     x1, =__stack_top
    mov     sp, x1
    adr     x19, message
1:  ldrb    w0, [x19], #1
    cbz     w0, 2f
    ldr     x1, =UART_DR
    strb    w0, [x1]
    b       1b
2:  mov     w0, #0x20               // SYS_EXIT_EXTENDED
    adr     x1, exit_block
    hlt     #0xf000
3:  wfi
    b       3b

    .section .rodata
message:
    .asciz  "Hello from the aarvark bare-metal guest\n"
    .balign 8
exit_block:
    .quad   0x20026                 // ADP_Stopped_ApplicationExit
    .quad   0                       // exit status
