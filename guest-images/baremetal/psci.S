// psci: PSCI (DEN0022) over the HVC conduit, as QEMU's virt board provides it to an EL1 guest
// without firmware (device tree: psci { method = "hvc"; compatible = "arm,psci-1.0", ... }).
// SMCCC (DEN0028) convention: function ID in W0/X0, arguments in X1..X3, result in X0.
//
// QEMU 7.2 facts this guest encodes (target/arm/psci.c; verified on cortex-a53/a57/a72):
//  * PSCI_VERSION returns 0x00010001 = PSCI 1.1 (major in [31:16], minor in [15:0]), although
//    the device tree still says "arm,psci-1.0".
//  * PSCI_FEATURES returns 0 (supported, no feature flags) for the functions QEMU implements,
//    including CPU_SUSPEND, and NOT_SUPPORTED (-1) for MIGRATE and for unknown IDs.
//  * CPU_ON for an MPIDR with no CPU behind it -> INVALID_PARAMETERS (-2); for the caller
//    itself (already on) -> ALREADY_ON (-4).
//  * AFFINITY_INFO(level 0): CPU 0 -> 0 (ON); a nonexistent MPIDR -> INVALID_PARAMETERS (-2).
//  * MIGRATE_INFO_TYPE -> 2: "Trusted OS is not present or does not require migration".
//  * SYSTEM_OFF powers the machine off; QEMU exits with status 0. It must not return.
// Failures before SYSTEM_OFF exit through semihosting with the check's number. Since SYSTEM_OFF
// itself cannot report, "psci: PASS" is printed before it; if SYSTEM_OFF returns, the guest
// prints a FAIL line and exits with EXIT_SYSTEM_OFF_RETURNED.
#include "aarvark.h"

    GUEST_NAME "psci"

#define QEMU_PSCI_VER           0x10001     // PSCI 1.1
#define PSCI_RET_ALREADY_ON     0xFFFFFFFFFFFFFFFC  // -4
#define MIGRATE_TOS_NOT_PRESENT 2           // MIGRATE_INFO_TYPE: no migration required
#define AFFINITY_ON             0           // AFFINITY_INFO: the CPU is ON
#define MPIDR_CPU0              0           // Aff0 = 0: the boot CPU on virt (-smp 1)
#define MPIDR_ABSENT            1           // Aff0 = 1: no such CPU with -smp 1
#define AFF_LEVEL0              0           // AFFINITY_INFO lowest affinity level
#define UNKNOWN_FID             0x12345678
#define EXIT_SYSTEM_OFF_RETURNED 100

// PSCI_CALL fid, a1, a2, a3: X0 = result. Clobbers x0-x3.
.macro PSCI_CALL fid, a1=0, a2=0, a3=0
    ldr     x0, =\fid
    ldr     x1, =\a1
    ldr     x2, =\a2
    ldr     x3, =\a3
    hvc     #0
.endm

    .text
    .global main
main:
    stp     x29, x30, [sp, #-16]!

    CHECK_BEGIN "psci_version"
    PSCI_CALL PSCI_VERSION
    CHECK_EQ "x0", x0, QEMU_PSCI_VER
    CHECK_OK

    // PSCI_FEATURES(PSCI_VERSION): a mandatory function -> 0 (implemented).
    CHECK_BEGIN "psci_features(psci_version)"
    PSCI_CALL PSCI_FEATURES, PSCI_VERSION
    CHECK_EQ "x0", x0, PSCI_RET_SUCCESS
    CHECK_OK

    // PSCI_FEATURES(CPU_SUSPEND64): implemented; the flags word is 0 (original power_state
    // format, no OS-initiated mode) on QEMU.
    CHECK_BEGIN "psci_features(cpu_suspend64)"
    PSCI_CALL PSCI_FEATURES, PSCI_CPU_SUSPEND_64
    CHECK_EQ "x0", x0, 0
    CHECK_OK

    // PSCI_FEATURES of an ID that is no PSCI function -> NOT_SUPPORTED (-1).
    CHECK_BEGIN "psci_features(unknown)"
    PSCI_CALL PSCI_FEATURES, UNKNOWN_FID
    CHECK_EQ "x0", x0, PSCI_RET_NOT_SUPPORTED
    CHECK_OK

    // CPU_ON for MPIDR 1: with one CPU there is no such core -> INVALID_PARAMETERS (-2).
    CHECK_BEGIN "cpu_on(absent)"
    PSCI_CALL PSCI_CPU_ON_64, MPIDR_ABSENT, _start, 0
    CHECK_EQ "x0", x0, PSCI_RET_INVALID_PARAMS
    CHECK_OK

    // CPU_ON for ourselves: already running -> ALREADY_ON (-4).
    CHECK_BEGIN "cpu_on(self)"
    PSCI_CALL PSCI_CPU_ON_64, MPIDR_CPU0, _start, 0
    CHECK_EQ "x0", x0, PSCI_RET_ALREADY_ON
    CHECK_OK

    CHECK_BEGIN "affinity_info(cpu0)"
    PSCI_CALL PSCI_AFFINITY_INFO_64, MPIDR_CPU0, AFF_LEVEL0
    CHECK_EQ "x0", x0, AFFINITY_ON
    CHECK_OK

    CHECK_BEGIN "affinity_info(absent)"
    PSCI_CALL PSCI_AFFINITY_INFO_64, MPIDR_ABSENT, AFF_LEVEL0
    CHECK_EQ "x0", x0, PSCI_RET_INVALID_PARAMS
    CHECK_OK

    CHECK_BEGIN "migrate_info_type"
    PSCI_CALL PSCI_MIGRATE_INFO_TYPE
    CHECK_EQ "x0", x0, MIGRATE_TOS_NOT_PRESENT
    CHECK_OK

    // Everything passed: say so, then power off. QEMU exits 0 here.
    adr     x0, str_pass
    bl      say
    PSCI_CALL PSCI_SYSTEM_OFF
    // Only reached if SYSTEM_OFF returned: "psci: FAIL system_off returned 0x..", exit 100.
    mov     x19, x0
    bl      say_prefix
    adr     x0, str_fail_off
    bl      uart_puts
    mov     x0, x19
    bl      uart_puthex
    mov     w0, #'\n'
    bl      uart_putc
    mov     w0, #EXIT_SYSTEM_OFF_RETURNED
    b       semi_exit

str_pass:     .asciz "PASS"
str_fail_off: .asciz "FAIL system_off returned "
    .balign 4
