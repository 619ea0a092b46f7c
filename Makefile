# SPDX-License-Identifier: GPL-2.0
#
# ktrace top-level build.
#
#   make                 module/ktrace.ko (for KDIR) and tools/ktracectl
#   make check           every test: host, KUnit VM, Debian 6.1 and 6.12 VMs
#   make check-matrix    build and end-to-end tests on Debian's 6.12
#                        PREEMPT_RT and 7.x kernels (CI runs both checks)
#   make demo            boot Debian's 6.1 kernel and show ktrace at work
#   make KDIR=<dir>      build the module against another kernel build tree
#   make C=1             run sparse over the module

# Default kernel: the running kernel's build tree when there is one, else
# the newest installed Debian headers (not the PREEMPT_RT or cloud flavours,
# which make check installs for its matrix).
newest_headers = $(lastword $(shell ls -d /usr/src/linux-headers-*-amd64 2>/dev/null | \
	grep -v -e -rt- -e -cloud- | sort -V))
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) $(newest_headers))

DEPS := tests/vm/install-deps
KBUILD_FLAGS := W=1 KTRACE_WERROR=y

.PHONY: all deps module tools clean check check-matrix demo bench-ringbuffer bench-snapshot

all: module tools

deps:
	@$(DEPS)

# Building installs nothing: tests/vm/install-deps (make check, make demo)
# does, and README lists the packages.
module:
	@test -n "$(KDIR)" || { echo "no kernel build tree: set KDIR" >&2; exit 1; }
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(KBUILD_FLAGS) modules

tools:
	$(MAKE) -C tools/ktracectl

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tools/ktracectl clean
	$(MAKE) -C tests/userspace clean
	rm -rf build

# Everything below collects results into build/results/ and ends with
# one "N passed, N failed" line (tests/vm/check).
check: deps
	@tests/vm/check

# Out of make check for time: a cold make check (KUnit kernel build
# included) must stay under 40 minutes (docs/WORKBENCH.md).
check-matrix:
	@$(DEPS) --matrix
	@KTRACE_CHECK_STEPS="build vm" KTRACE_CHECK_RESULTS=build/results-matrix \
		KTRACE_CHECK_KERNELS="$$(tests/vm/kernel-info --matrix extra)" tests/vm/check

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
