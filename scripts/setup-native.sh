#!/usr/bin/env bash
# Builds aarvark's small native helpers from source (emulator/src/main/c) with the host's C
# compiler into .cache/unicorn/lib, next to the pinned libunicorn they serve. Idempotent: rebuilds
# only when the source is newer than the library.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

SRC="$AARVARK_ROOT/emulator/src/main/c/sys-insn-filter.c"
OUT="$AARVARK_CACHE/unicorn/lib/libaarvark-sysfilter.so"
[ -f "$OUT" ] && [ "$OUT" -nt "$SRC" ] && exit 0
command -v cc >/dev/null || apt_install gcc
mkdir -p "$(dirname "$OUT")"
cc -O2 -Wall -Werror -shared -fPIC -o "$OUT.tmp" "$SRC" || die "native helpers: building $OUT from $SRC failed"
mv "$OUT.tmp" "$OUT"
note "native helpers: built $OUT"
