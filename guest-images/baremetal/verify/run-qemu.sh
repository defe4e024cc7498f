#!/bin/sh
# Run every built guest on QEMU's virt board with each CPU and compare the exit status with the
# expected one (fail.elf: 1; hang.elf: 124, the timeout; every other guest: 0). Prints one line per run, then a summary.
# virtio-net-rx-stray.elf gets a modern virtio-mmio virtio-net card on a loopback dgram netdev and one
# 60-byte frame from python3 once it is up; without an IOMMU QEMU lets the stray buffer through, so
# its last line must say "canary=overwritten" (aarvark's --dma-policy strict is what keeps it intact).
# Usage: verify/run-qemu.sh [OUT-directory-with-the-elves]   (default: ../../.cache/guests/baremetal)
OUT=${1:-../../.cache/guests/baremetal}
CPUS=${CPUS:-"cortex-a53 cortex-a57 cortex-a72"}
bad=0
for elf in "$OUT"/*.elf; do
    name=$(basename "$elf" .elf)
    # smmu-remap programs an SMMUv3 in front of virtio-mmio, which QEMU's virt board does not have.
    [ "$name" = smmu-remap ] && { echo "smmu-remap     skipped: needs aarvark --iommu smmuv3"; continue; }
    want=0
    [ "$name" = fail ] && want=1
    [ "$name" = hang ] && want=124      # spins until timeout(1) ends it
    for cpu in $CPUS; do
        start=$(date +%s.%N)
        net="-net none"
        if [ "$name" = virtio-net-rx-stray ]; then
            net="-global virtio-mmio.force-legacy=false -device virtio-net-device,netdev=n0
                 -netdev dgram,id=n0,local.type=inet,local.host=127.0.0.1,local.port=47000,remote.type=inet,remote.host=127.0.0.1,remote.port=47001"
            python3 -c 'import socket,time
s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM); s.bind(("127.0.0.1",47001)); time.sleep(2)
s.sendto(b"\xff"*6+bytes.fromhex("525400123456")+b"\x08\x00"+b"x"*46,("127.0.0.1",47000))' &
        fi
        # shellcheck disable=SC2086 # $net is a list of arguments
        timeout 20 qemu-system-aarch64 -M virt -cpu "$cpu" -m 512M -nographic $net \
            -semihosting -kernel "$elf" > "$OUT/$name.$cpu.log" 2>&1
        rc=$?
        wait
        secs=$(echo "$(date +%s.%N) - $start" | bc)
        verdict=ok
        [ "$rc" -eq "$want" ] || { verdict=MISMATCH; bad=$((bad + 1)); }
        if [ "$name" = virtio-net-rx-stray ] && ! grep -q "canary=overwritten" "$OUT/$name.$cpu.log"; then
            verdict=MISMATCH; bad=$((bad + 1))
        fi
        printf '%-14s %-11s exit=%-3s want=%-3s %6.2fs  %s  | %s\n' "$name" "$cpu" "$rc" "$want" \
            "$secs" "$verdict" "$(grep -v '^$' "$OUT/$name.$cpu.log" | tail -1 | tr -d '\r')"
    done
done
echo "mismatches: $bad"
[ "$bad" -eq 0 ]
