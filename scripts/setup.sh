#!/usr/bin/env bash
# Installs everything aarvark's build, tests and guests need, once: Maven, Debian's AArch64
# cross toolchain, the pinned libunicorn, passt (for --net user). Idempotent and quiet when everything is present.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

find_jdk >/dev/null || exit 3
apt_install maven gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu make device-tree-compiler passt
"$(dirname "$0")/setup-unicorn.sh"
"$(dirname "$0")/setup-native.sh"
