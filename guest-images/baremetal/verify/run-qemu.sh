#!/bin/sh
# Run every built guest on QEMU's virt board with each CPU and compare the exit status with the
# expected one (fail.elf: 1; hang.elf: 124, the timeout; every other guest: 0). Prints one line per run, then a summary.
# Usage: verify/run-qemu.sh [OUT-directory-with-the-elves]   (default: ../../.cache/guests/baremetal)
OUT=${1:-../../.cache/guests/baremetal}
CPUS=${CPUS:-"cortex-a53 cortex-a57 cortex-a72"}
bad=0
for elf in "$OUT"/*.elf; do
    name=$(basename "$elf" .elf)
    want=0
    [ "$name" = fail ] && want=1
    [ "$name" = hang ] && want=124      # spins until timeout(1) ends it
    for cpu in $CPUS; do
        start=$(date +%s.%N)
        timeout 20 qemu-system-aarch64 -M virt -cpu "$cpu" -m 512M -nographic -net none \
            -semihosting -kernel "$elf" > "$OUT/$name.$cpu.log" 2>&1
        rc=$?
        secs=$(echo "$(date +%s.%N) - $start" | bc)
        verdict=ok
        [ "$rc" -eq "$want" ] || { verdict=MISMATCH; bad=$((bad + 1)); }
        printf '%-14s %-11s exit=%-3s want=%-3s %6.2fs  %s  | %s\n' "$name" "$cpu" "$rc" "$want" \
            "$secs" "$verdict" "$(grep -v '^$' "$OUT/$name.$cpu.log" | tail -1 | tr -d '\r')"
    done
done
echo "mismatches: $bad"
[ "$bad" -eq 0 ]
