// Check bookkeeping and console reporting shared by the test guests.
// Every line starts with the guest's name (symbol guest_name, see GUEST_NAME in aarvark.h).
#include "aarvark.h"

    .text
// void say_prefix(void): prints "<guest>: ". Clobbers x0-x5.
    .global say_prefix
say_prefix:
    mov     x6, x30
    ldr     x0, =guest_name
    bl      uart_puts
    adr     x0, str_colon
    bl      uart_puts
    ret     x6

// void say(const char *s): prints "<guest>: <s>\n". Clobbers x0-x7.
    .global say
say:
    stp     x30, x19, [sp, #-16]!
    mov     x19, x0
    bl      say_prefix
    mov     x0, x19
    bl      uart_puts
    mov     w0, #'\n'
    bl      uart_putc
    ldp     x30, x19, [sp], #16
    ret

// void check_begin(const char *name, int number): remember the current check.
// Preserves every register except x16, x17 (callers set up traps right after it).
    .global check_begin
check_begin:
    ldr     x16, =check_state
    str     x0, [x16]                   // name
    str     x1, [x16, #8]               // number = exit status if it fails
    ret

// void check_ok(void): prints "<guest>: <name> ok". Clobbers x0-x7.
    .global check_ok
check_ok:
    stp     x30, x19, [sp, #-16]!
    bl      say_prefix
    ldr     x0, =check_state
    ldr     x0, [x0]
    bl      uart_puts
    adr     x0, str_ok
    bl      uart_puts
    ldp     x30, x19, [sp], #16
    ret

// void check_fail(const char *field, uint64_t expected, uint64_t got): prints
// "<guest>: FAIL <check> <field> expected 0x.. got 0x.." and exits with the check's number.
    .global check_fail
check_fail:
    mov     x19, x0
    mov     x20, x1
    mov     x21, x2
    bl      say_prefix
    adr     x0, str_fail
    bl      uart_puts
    ldr     x0, =check_state
    ldr     x0, [x0]
    bl      uart_puts
    mov     w0, #' '
    bl      uart_putc
    mov     x0, x19
    bl      uart_puts
    adr     x0, str_expected
    bl      uart_puts
    mov     x0, x20
    bl      uart_puthex
    adr     x0, str_got
    bl      uart_puts
    mov     x0, x21
    bl      uart_puthex
    mov     w0, #'\n'
    bl      uart_putc
    ldr     x0, =check_state
    ldr     w0, [x0, #8]
    b       semi_exit

// void report_pass(void): prints "<guest>: PASS" and exits 0.
    .global report_pass
report_pass:
    adr     x0, str_pass
    bl      say
    mov     w0, #EXIT_PASS
    b       semi_exit

str_colon:    .asciz ": "
str_ok:       .asciz " ok\n"
str_fail:     .asciz "FAIL "
str_expected: .asciz " expected "
str_got:      .asciz " got "
str_pass:     .asciz "PASS"
    .balign 4

    .bss
    .balign 8
check_state:
    .quad   0                           // name of the current check
    .quad   0                           // its number
