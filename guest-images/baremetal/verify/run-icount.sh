#!/bin/sh
# Verify the instruction counts the bench guests state, on QEMU with -icount (exact counting).
# Usage: verify/run-icount.sh [cpu]   (run from guest-images/baremetal)
# Each bench guest is rebuilt with its main renamed and linked with verify/icount.S, which
# prints "icount: bench_kernel measured insns=N".
set -e
CPU=${1:-cortex-a57}
CROSS=${CROSS:-aarch64-linux-gnu-}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
CFLAGS="-nostdlib -nostartfiles -static -ffreestanding -Wl,--build-id=none -Wl,--no-warn-rwx-segments -Wl,-T,link.ld -Iinclude"
run() { # name, extra cpp flags
    # The bench's own main and guest name are renamed so icount.S provides them.
    ${CROSS}gcc -c -Iinclude -Dmain=bench_main_unused -Dguest_name=bench_name_unused \
        -o "$TMP/$1.o" "$1.S"
    ${CROSS}gcc $CFLAGS $2 -o "$TMP/$1.elf" verify/icount.S "$TMP/$1.o" lib/*.S
    printf '%-14s %-40s ' "$1" "$2"
    timeout 120 qemu-system-aarch64 -M virt -cpu "$CPU" -m 512M -nographic -net none \
        -semihosting -icount shift=0 -kernel "$TMP/$1.elf" | tr -d '\r'
}
run bench-alu ""
run bench-svc ""
run bench-mmio ""
run bench-sysreg ""
# bench-memcpy's kernel takes (src, dst, size, reps): two small cases to check the formula
# reps * (5 + 10 * size / 64) + 1.
run bench-memcpy "-DKARG0=0x41000000 -DKARG1=0x42000000 -DKARG2=65536 -DKARG3=3"
run bench-memcpy "-DKARG0=0x41000000 -DKARG1=0x42000000 -DKARG2=4096 -DKARG3=1"
