# SPDX-License-Identifier: GPL-2.0
#
# ktrace top-level build.
#
#   make                 module/ktrace.ko (for KDIR) and tools/ktracectl
#   make check           every test: host, KUnit VM, and the VMs of the kernel
#                        matrix (Debian 6.1, 6.12, 6.12-rt, 7.x)
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

.PHONY: all deps module tools clean check demo bench-ringbuffer bench-snapshot

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
