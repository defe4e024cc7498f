# aarvark - the two commands a new user needs are `make run` and `make test`.
# Every target installs what it needs itself (scripts/setup.sh is idempotent).

SHELL := /bin/bash
MVN   := ./scripts/mvn.sh
GUESTS := .cache/guests

.PHONY: all setup build guests run test bench clean

all: build

setup:
	@./scripts/setup.sh

guests: setup
	@$(MAKE) --no-print-directory -C guest-images/baremetal OUT=$(abspath $(GUESTS))/baremetal
	@$(MAKE) --no-print-directory -C guest-images/linux OUT=$(abspath $(GUESTS))/linux

build: setup
	@$(MVN) -DskipTests install

# Boot the default guest (building whatever is missing) on the terminal.
run: build guests
	./aarvark boot --semihosting --kernel $(GUESTS)/baremetal/hello.elf

# The whole test suite: unit tests and the integration tests that boot real guests.
test: setup guests
	@$(MVN) install

# CPU-core micro-benchmarks, with QEMU's figures from the same run (prints figures, asserts nothing).
bench: build guests
	@./scripts/setup-qemu.sh
	./aarvark bench --quiet --qemu --guests $(GUESTS)/baremetal

clean:
	@$(MVN) clean || true
	rm -rf $(GUESTS)
