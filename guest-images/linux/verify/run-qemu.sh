#!/usr/bin/env bash
# Boots the Linux guest on QEMU's virt board (the reference) and checks its console contract:
#   smoke     GICv2 and GICv3, RUNS times each: GUEST-READY, GUEST-CHECKS-DONE, power-off (exit 0);
#             prints the time from QEMU's start to GUEST-READY
#   virtio    smoke with a virtio-net (user network) and a virtio console: both bound, DHCP lease
#   shell     GICv2 and GICv3: a typed command runs, Ctrl-C stops a foreground job, exit powers off
#   override  the shell image with aarvark.mode=smoke runs the checks
#   panic     init=/nonexistent: "Kernel panic", and with panic=-1 -no-reboot QEMU exits
# Every run's console is kept in OUT/verify/<name>.log, each line prefixed with seconds since
# QEMU started (and as it came, in <name>.log.raw). Ends with "N passed, N failed"; exits non-zero if any check failed.
# Usage: verify/run-qemu.sh OUT   (the folder with Image and the initramfs files)
set -uo pipefail
OUT="${1:?usage: verify/run-qemu.sh OUT}"
CPU="${QEMU_CPU:-cortex-a57}"
RUNS="${RUNS:-3}"
LOGS="$OUT/verify"
APPEND="console=ttyAMA0 earlycon panic=-1"
mkdir -p "$LOGS"
command -v qemu-system-aarch64 >/dev/null || { echo "verify: qemu-system-aarch64 is missing" >&2; exit 3; }
passed=0; failed=0
result() { # result NAME OK? DETAIL
  if [ "$2" = ok ]; then passed=$((passed + 1)); else failed=$((failed + 1)); fi
  printf '%-22s %-4s %s\n' "$1" "$2" "$3"
}

# qemu GIC INITRD LOG APPEND [QEMU ARGS...]: boots with stdin from this script's stdin; each
# console line goes to LOG as "<seconds since start> <line>". Returns QEMU's exit status.
qemu() {
  local gic="$1" initrd="$2" log="$3" append="$4"; shift 4
  local t0="${EPOCHREALTIME/./}" us                  # microseconds
  rm -f "$log" "$log.raw"                           # wait_for must never see an older run's prompt
  timeout 120 qemu-system-aarch64 -M "virt,gic-version=$gic" -cpu "$CPU" -m 512M \
      -kernel "$OUT/Image" -initrd "$OUT/$initrd" -append "$append" -no-reboot \
      -serial stdio -display none -monitor none "$@" 2>&1 \
    | tee "$log.raw" | while IFS= read -r line; do
        us=$(( ${EPOCHREALTIME/./} - t0 ))
        printf '%d.%03d %s\n' $((us / 1000000)) $((us % 1000000 / 1000)) "${line%$'\r'}"
      done > "$log"
  return "${PIPESTATUS[0]}"
}
at() { awk -v m="$2" '{ t = $1; sub(/^[^ ]* /, "") } $0 == m { print t; exit }' "$1"; } # at LOG LINE
has() { cut -d' ' -f2- "$1" | grep -- "$2" > /dev/null; }  # has LOG TEXT (no -q: with pipefail, cut's SIGPIPE would fail it)

# --- smoke, GICv2 and GICv3, timed ---------------------------------------------------------------
for gic in 2 3; do
  for run in $(seq 1 "$RUNS"); do
    log="$LOGS/smoke-gicv$gic-$run.log"
    qemu "$gic" initramfs-smoke.cpio.gz "$log" "$APPEND" -net none < /dev/null; rc=$?
    ready="$(at "$log" GUEST-READY)"; done_="$(at "$log" GUEST-CHECKS-DONE)"
    end="$(tail -n1 "$log" | cut -d' ' -f1)"
    if [ "$rc" = 0 ] && [ -n "$ready" ] && [ -n "$done_" ] && has "$log" "reboot: Power down"; then
      result "smoke gicv$gic #$run" ok "GUEST-READY ${ready}s, GUEST-CHECKS-DONE ${done_}s, exit 0 at ${end}s"
    else
      result "smoke gicv$gic #$run" FAIL "exit $rc, GUEST-READY '${ready}', GUEST-CHECKS-DONE '${done_}' (see $log)"
    fi
  done
done

# --- smoke with virtio devices ----------------------------------------------------------------------
log="$LOGS/smoke-virtio.log"; rm -f "$LOGS/hvc0.out"
qemu 3 initramfs-smoke.cpio.gz "$log" "$APPEND" \
  -netdev user,id=n0 -device virtio-net-device,netdev=n0 \
  -device virtio-serial-device -chardev "file,id=vc0,path=$LOGS/hvc0.out" -device virtconsole,chardev=vc0 \
  < /dev/null; rc=$?
if [ "$rc" = 0 ] && has "$log" 'init: virtio devices: .*virtio_console' && has "$log" 'init: virtio devices: .*virtio_net' \
   && has "$log" 'init: eth0 10.0.2.15/24 via DHCP' && grep -q 'hello from the aarvark guest on hvc0' "$LOGS/hvc0.out" \
   && has "$log" '^GUEST-CHECKS-DONE$'; then
  result "smoke virtio" ok "$(sed -n 's/^[0-9.]* \(init: virtio devices:.*\)/\1/p' "$log"); DHCP 10.0.2.15; hvc0 line received"
else
  result "smoke virtio" FAIL "exit $rc (see $log)"
fi

# --- shell: type at the prompt through a FIFO ---------------------------------------------------------
# wait_for LOG TEXT SECONDS: polls the raw console (LOG.raw: it also has the prompt, a line
# without a newline) for TEXT.
wait_for() {
  local _
  for _ in $(seq 1 $(($3 * 10))); do grep -q -- "$2" "$1.raw" 2>/dev/null && return 0; sleep 0.1; done
  return 1
}
for gic in 2 3; do
  log="$LOGS/shell-gicv$gic.log"; fifo="$LOGS/shell.in"
  rm -f "$fifo"; mkfifo "$fifo"
  qemu "$gic" initramfs-shell.cpio.gz "$log" "$APPEND" -net none < "$fifo" & pid=$!
  exec 7> "$fifo"
  ok=ok
  wait_for "$log" 'aarvark:[^ ]*# ' 60 || ok=FAIL
  # shellcheck disable=SC2016 # the guest's shell does the arithmetic
  printf 'echo hello-$((6*7))\n' >&7;             wait_for "$log" '^hello-42' 10 || ok=FAIL
  printf 'sleep 100\n' >&7; sleep 1; printf '\003' >&7; sleep 1
  printf 'echo after-ctrl-c rc=$?\n' >&7;         wait_for "$log" 'after-ctrl-c rc=130' 10 || ok=FAIL
  printf 'exit\n' >&7
  wait "$pid"; rc=$?
  exec 7>&-; rm -f "$fifo"
  has "$log" 'init: shell exited, powering off' && [ "$rc" = 0 ] || ok=FAIL
  result "shell gicv$gic" "$ok" "GUEST-READY $(at "$log" GUEST-READY)s, prompt, hello-42, Ctrl-C -> rc=130, exit -> power off (QEMU exit $rc)"
done

# --- aarvark.mode= overrides the default baked into the file --------------------------------------------
log="$LOGS/shell-as-smoke.log"
qemu 2 initramfs-shell.cpio.gz "$log" "$APPEND aarvark.mode=smoke" -net none < /dev/null; rc=$?
if [ "$rc" = 0 ] && has "$log" 'mode smoke' && has "$log" '^GUEST-CHECKS-DONE$'; then
  result "aarvark.mode=smoke" ok "initramfs-shell ran the checks and powered off"
else
  result "aarvark.mode=smoke" FAIL "exit $rc (see $log)"
fi

# --- panic path --------------------------------------------------------------------------------------
log="$LOGS/panic.log"
qemu 2 initramfs-smoke.cpio.gz "$log" "$APPEND init=/nonexistent" -net none < /dev/null; rc=$?
if [ "$rc" = 0 ] && has "$log" 'Kernel panic' && ! has "$log" '^GUEST-READY$'; then
  result "panic init=/nonexistent" ok "$(grep -o 'Kernel panic.*' "$log"); QEMU exit 0"
else
  result "panic init=/nonexistent" FAIL "exit $rc (see $log)"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
