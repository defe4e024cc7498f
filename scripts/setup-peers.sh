#!/usr/bin/env bash
# Installs the real programs the interoperability tests talk to (Debian packages): QEMU, whose
# guests are network peers of aarvark's (qemu-system-arm provides qemu-system-aarch64), and
# tcpdump, which reads the packet captures aarvark writes, and ping, which pings guests on a TAP. Idempotent and quiet when present.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
apt_install qemu-system-arm tcpdump iputils-ping
