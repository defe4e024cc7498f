# aarvark - the two commands a new user needs are `make run` and `make test`.
# Every target installs what it needs itself (scripts/setup.sh is idempotent).

SHELL := /bin/bash
MVN   := ./scripts/mvn.sh
GUESTS := .cache/guests

.PHONY: all setup build guests run test bench bench-boot bench-console bench-net soak clean

all: build

setup:
	@./scripts/setup.sh

guests: setup
	@$(MAKE) --no-print-directory -C guest-images/baremetal OUT=$(abspath $(GUESTS))/baremetal
	@$(MAKE) --no-print-directory -C guest-images/linux OUT=$(abspath $(GUESTS))/linux

build: setup
	@$(MVN) -DskipTests install

LINUX := $(GUESTS)/linux

# Boot the default guest (building whatever is missing): Debian's arm64 Linux to an interactive
# shell on the terminal. Ctrl-A x quits; `poweroff -f` in the guest ends the run with status 0.
run: build guests
	./aarvark boot --kernel $(LINUX)/Image --initrd $(LINUX)/initramfs-shell.cpio.gz \
	    --append "console=ttyAMA0 earlycon"

# The whole test suite: unit tests and the integration tests that boot real guests (with real
# peers: QEMU guests on the other end of a network cable, tcpdump reading the captures).
test: setup guests
	@./scripts/setup-peers.sh
	@$(MVN) install

# CPU-core micro-benchmarks, with QEMU's figures from the same run (prints figures, asserts nothing).
bench: build guests
	@./scripts/setup-qemu.sh
	./aarvark bench --quiet --qemu --guests $(GUESTS)/baremetal

# Linux boot time against QEMU (same kernel, initramfs, command line and GIC), interleaved runs.
BENCH_RUNS ?= 5
bench-boot: build guests
	@./scripts/setup-qemu.sh
	./aarvark bench-boot --quiet --runs $(BENCH_RUNS) --gic 2 --kernel $(LINUX)/Image --initrd $(LINUX)/initramfs-smoke.cpio.gz
	./aarvark bench-boot --quiet --runs $(BENCH_RUNS) --gic 3 --kernel $(LINUX)/Image --initrd $(LINUX)/initramfs-smoke.cpio.gz

# Guest->host throughput through a virtio-console port (dd of 256 MiB), aarvark and QEMU's
# virtio-serial-device in the same run.
bench-console: build guests
	@./scripts/setup-qemu.sh
	./aarvark bench-console --quiet --kernel $(LINUX)/Image --initrd $(LINUX)/initramfs-shell.cpio.gz

# virtio-net throughput (256 MiB each way through busybox nc, SHA-256 checked) and 64-byte UDP frame
# rate, over user (passt) and tap (in a network namespace it makes; needs root), aarvark and QEMU
# with the same backend in the same run.
# BENCH_NET_FLAGS=--smmu adds aarvark behind the SMMU (--iommu smmuv3) and smmuv3/bypass ratios.
BENCH_NET_FLAGS ?=
bench-net: build guests
	@./scripts/setup-peers.sh
	./aarvark bench-net --quiet $(BENCH_NET_FLAGS) --kernel $(LINUX)/Image --initrd $(LINUX)/initramfs-shell.cpio.gz

# Repeated smoke boots: SOAK_BOOTS boots in a row with each preemption strategy (kick, then count),
# each its own process; prints passes and failures and keeps the console log of every failure.
SOAK_BOOTS ?= 100
soak: build guests
	./aarvark bench-soak --boots $(SOAK_BOOTS) --kernel $(LINUX)/Image --initrd $(LINUX)/initramfs-smoke.cpio.gz

clean:
	@$(MVN) clean || true
	rm -rf $(GUESTS)
