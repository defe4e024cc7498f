#!/usr/bin/env bash
# Installs QEMU (Debian's qemu-system-arm, which provides qemu-system-aarch64) for the benchmarks
# that compare aarvark with QEMU in the same run.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
apt_install qemu-system-arm
