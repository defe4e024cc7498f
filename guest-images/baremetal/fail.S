// fail: a guest built to fail. Prints "fail: deliberate failure" and exits through semihosting
// with status 1, so the emulator's exit-status plumbing can be tested.
#include "aarvark.h"

    GUEST_NAME "fail"

#define FAIL_STATUS 1                   // the status the harness expects from this guest

    .text
    .global main
main:
    stp     x29, x30, [sp, #-16]!
    adr     x0, message
    bl      say                         // "fail: deliberate failure"
    mov     w0, #FAIL_STATUS
    ldp     x29, x30, [sp], #16
    ret

message:
    .asciz  "deliberate failure"
