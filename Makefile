# SPDX-License-Identifier: GPL-2.0
#
# ktrace top-level build.
#
#   make                 module/ktrace.ko (for KDIR) and tools/ktracectl
#   make check           every test: host, KUnit VM, Debian 6.1 and 6.12 VMs
#   make demo            boot Debian's 6.1 kernel and show ktrace at work
#   make KDIR=<dir>      build the module against another kernel build tree
#   make C=1             run sparse over the module

# Default kernel: the running kernel's build tree when there is one, else
# the newest installed Debian headers.
newest_headers = $(lastword $(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | sort -V))
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) $(newest_headers))

DEPS := tests/vm/install-deps
KBUILD_FLAGS := W=1 KTRACE_WERROR=y

.PHONY: all deps module tools clean check demo bench-ringbuffer bench-snapshot

all: module tools

deps:
	@$(DEPS)

module: deps
	@test -n "$(KDIR)" || { echo "no kernel build tree: set KDIR" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(KBUILD_FLAGS) modules

tools: deps
	$(MAKE) -C tools/ktracectl

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tools/ktracectl clean
	$(MAKE) -C tests/userspace clean
	rm -rf build

# Everything below collects results into build/results/ and ends with
# one "N passed, N failed" line (tests/vm/summarize).
check: deps
	@tests/vm/check

demo: deps
	@tests/vm/demo

# Benchmarks (not tests): their last line is the headline number.
bench-ringbuffer: deps tools
	@bench/run-ringbuffer
bench-snapshot: deps tools
	@bench/run-snapshot

# Not in make check: 1 000 000 abi-fuzz operations, threads included, in
# the KASAN + lockdep KUnit VM (tests/userspace/soak); the last line is the
# verdict.
.PHONY: soak
soak: deps
	@tests/userspace/soak
