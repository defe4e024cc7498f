// semihost: the semihosting console calls an emulator must provide besides SYS_EXIT_EXTENDED
// (Arm Semihosting Specification v2; A64 trap HLT #0xF000, operation in W0, argument in X1).
//   SYS_WRITE0 (0x04)  X1 = NUL-terminated string              -> no result (X0 corrupted)
//   SYS_WRITEC (0x03)  X1 = address of one byte                -> no result
//   SYS_OPEN   (0x01)  X1 = {name, mode, length of name}       -> handle, or -1
//   SYS_WRITE  (0x05)  X1 = {handle, address, length}          -> number of bytes NOT written
//   SYS_CLOSE  (0x02)  X1 = {handle}                           -> 0, or -1
// The special file name ":tt" opens the console; mode 4 ("w") gives stdout (spec, SYS_OPEN).
//
// QEMU 7.2 facts this guest encodes (verified on cortex-a53/a57/a72, see README.md):
//  * ARM-compatible semihosting has NO pre-opened handles: SYS_WRITE to handle 1 before any
//    SYS_OPEN fails and returns the full length (nothing written). Guests get stdout with
//    SYS_OPEN(":tt", 4); the first handle QEMU hands out is 1, so after that open "handle 1"
//    is stdout.
//  * SYS_WRITE0/SYS_WRITEC text goes to QEMU's semihosting console, which is QEMU's stderr when
//    no chardev is configured; SYS_WRITE to the ":tt" handle goes to QEMU's stdout.
//  * SYS_CLOSE of the ":tt" handle returns 0; closing it again returns -1.
// Progress lines are printed on the UART as in every guest; the semihosting text is extra.
#include "aarvark.h"

    GUEST_NAME "semihost"

#define STDOUT_HANDLE   1           // the handle QEMU returns for the first SYS_OPEN
#define TT_NAME_LEN     3           // strlen(":tt")
#define SEMI_FAIL       0xFFFFFFFFFFFFFFFF  // -1

    .text
    .global main
main:
    stp     x29, x30, [sp, #-16]!

    // SYS_WRITE0: one line (on QEMU's stderr). Nothing to check but that we come back.
    CHECK_BEGIN "sys_write0"
    adr     x0, line_write0
    bl      semi_write0
    CHECK_OK

    // SYS_WRITEC: one character, then its newline, one call each.
    CHECK_BEGIN "sys_writec"
    mov     w0, #'*'
    bl      semi_writec
    mov     w0, #'\n'
    bl      semi_writec
    CHECK_OK

    // SYS_WRITE to handle 1 before any SYS_OPEN: QEMU has no such handle, so nothing is written
    // and the result is the whole length.
    CHECK_BEGIN "sys_write-unopened-handle"
    mov     x0, #STDOUT_HANDLE
    adr     x1, line_write
    mov     x19, #(line_write_end - line_write)
    mov     x2, x19
    bl      semi_write
    CHECK_EQR "x0(bytes-not-written)", x0, x19
    CHECK_OK

    // SYS_OPEN(":tt", "w") -> stdout, handle 1.
    CHECK_BEGIN "sys_open-tt"
    ldr     x1, =open_block
    mov     w0, #SYS_OPEN
    bl      semi_call
    CHECK_EQ "x0(handle)", x0, STDOUT_HANDLE
    CHECK_OK

    // SYS_WRITE one buffer to handle 1 (stdout): all bytes written -> returns 0.
    CHECK_BEGIN "sys_write-stdout"
    mov     x0, #STDOUT_HANDLE
    adr     x1, line_write
    mov     x2, #(line_write_end - line_write)
    bl      semi_write
    CHECK_EQ "x0(bytes-not-written)", x0, 0
    CHECK_OK

    // SYS_CLOSE(1) -> 0; closing it a second time -> -1.
    CHECK_BEGIN "sys_close"
    ldr     x1, =close_block
    mov     w0, #SYS_CLOSE
    bl      semi_call
    CHECK_EQ "x0(first-close)", x0, 0
    ldr     x1, =close_block
    mov     w0, #SYS_CLOSE
    bl      semi_call
    CHECK_EQ "x0(second-close)", x0, SEMI_FAIL
    CHECK_OK

    b       report_pass

line_write0:
    .asciz  "semihost: line through SYS_WRITE0\n"
line_write:
    .ascii  "semihost: line through SYS_WRITE to handle 1\n"
line_write_end:
tt_name:
    .asciz  ":tt"
    .balign 4

    .data
    .balign 8
open_block:
    .quad   tt_name, SEMI_OPEN_MODE_W, TT_NAME_LEN
close_block:
    .quad   STDOUT_HANDLE
