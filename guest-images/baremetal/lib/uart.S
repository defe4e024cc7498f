// PL011 console output, written as a real driver would: before each byte, poll FR.TXFF (bit 5)
// until the transmit FIFO has room, then write DR. The poll is bounded (UART_POLL_LIMIT) so a
// device that never clears TXFF cannot hang a guest; the byte is written anyway.
// QEMU's PL011 transmits without any set-up, so the guests do not program the UART.
#include "aarvark.h"

    .text
// void uart_putc(char c). Clobbers x1-x3.
    .global uart_putc
uart_putc:
    mov     x1, #UART_BASE
    ldr     w3, =UART_POLL_LIMIT
1:  ldr     w2, [x1, #UART_FR]
    tbz     w2, #UART_FR_TXFF_BIT, 2f   // room in the FIFO
    subs    w3, w3, #1
    b.ne    1b
2:  str     w0, [x1, #UART_DR]
    ret

// void uart_puts(const char *s). Clobbers x0-x5.
    .global uart_puts
uart_puts:
    mov     x4, x30
    mov     x5, x0
1:  ldrb    w0, [x5], #1
    cbz     w0, 2f
    bl      uart_putc
    b       1b
2:  ret     x4

// void uart_puthex(uint64_t v): "0x" followed by the minimal number of hex digits.
// Clobbers x0-x7.
    .global uart_puthex
uart_puthex:
    mov     x7, x30
    mov     x6, x0
    mov     w0, #'0'
    bl      uart_putc
    mov     w0, #'x'
    bl      uart_putc
    mov     x5, #60                     // shift of the top nibble
1:  cbz     x5, 2f                      // always print the last digit
    lsr     x0, x6, x5
    cbnz    x0, 2f                      // first nonzero nibble found
    sub     x5, x5, #4
    b       1b
2:  lsr     x0, x6, x5
    and     x0, x0, #0xf
    cmp     x0, #10
    add     x1, x0, #'0'
    add     x2, x0, #('a' - 10)
    csel    x0, x1, x2, lo
    bl      uart_putc
    cbz     x5, 3f
    sub     x5, x5, #4
    b       2b
3:  ret     x7

// void uart_putdec(uint64_t v): unsigned decimal. Clobbers x0-x7.
    .global uart_putdec
uart_putdec:
    mov     x7, x30
    sub     sp, sp, #32                 // up to 20 digits
    add     x6, sp, #32                 // digits are stored backwards from the end
    mov     x4, #10
1:  udiv    x5, x0, x4
    msub    x1, x5, x4, x0              // x1 = v % 10
    add     w1, w1, #'0'
    strb    w1, [x6, #-1]!
    mov     x0, x5
    cbnz    x0, 1b
    add     x5, sp, #32
2:  cmp     x6, x5
    b.hs    3f
    ldrb    w0, [x6], #1
    bl      uart_putc
    b       2b
3:  add     sp, sp, #32
    ret     x7
