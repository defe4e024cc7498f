#!/usr/bin/env bash
# Builds aarvark's small native helpers from source (emulator/src/main/c) with the host's C
# compiler into .cache/unicorn/lib, next to the pinned libunicorn they serve. Idempotent: rebuilds
# only when the source is newer than the library.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SRC=("$AARVARK_ROOT"/emulator/src/main/c/*.c)
OUT="$AARVARK_CACHE/unicorn/lib/libaarvark-native.so"
if [ -f "$OUT" ]; then
  fresh=1
  for s in "${SRC[@]}"; do [ "$OUT" -nt "$s" ] || fresh=0; done
  [ "$fresh" = 1 ] && exit 0
fi
command -v cc >/dev/null || apt_install gcc
mkdir -p "$(dirname "$OUT")"
cc -O2 -Wall -Werror -shared -fPIC -o "$OUT.tmp" "${SRC[@]}" || die "native helpers: building $OUT from ${SRC[*]} failed"
mv "$OUT.tmp" "$OUT"
note "native helpers: built $OUT"
