// hang: prints "hang: spinning with interrupts masked" and then loops forever with D, A, I and F
// masked and no WFI, so nothing but the emulator's own preemption can end the run. Used to test
// that a hung guest ends with the timeout exit status (2) and never hangs the emulator.
#include "aarvark.h"

    GUEST_NAME "hang"

    .text
    .global main
main:
    adr     x0, message
    bl      say                         // "hang: spinning with interrupts masked"
    msr     daifset, #0xf               // mask D, A, I, F
1:  add     x1, x1, #1                  // a loop with no exception, no WFI, no MMIO
    b       1b

message:
    .asciz  "spinning with interrupts masked"
