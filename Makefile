# SPDX-License-Identifier: GPL-2.0
#
# ktrace top-level build.
#
#   make                 module/ktrace.ko (for KDIR) and tools/ktracectl; it
#                        only builds: no package manager, sudo or network
#   make check           every test: host, KUnit VM, Debian 6.1 and 6.12 VMs
#   make check-matrix    build and end-to-end tests on Debian's 6.12
#                        PREEMPT_RT and 7.x kernels (CI runs both checks)
#   make demo            boot Debian's 6.1 kernel and show ktrace at work
#   make KDIR=<dir>      build the module against another kernel build tree
#   make C=1             run sparse over the module
#   make install, uninstall, dkms-install, deb   mk/install.mk, mk/package.mk

# Default kernel: the running kernel's build tree.
KDIR ?= /lib/modules/$(shell uname -r)/build

DEPS := tests/vm/install-deps
# -Werror is make check's (tests/vm/check exports KTRACE_WERROR=y).
KBUILD_FLAGS := W=1

.PHONY: all deps module tools clean check check-matrix demo bench-ringbuffer bench-snapshot \
	bench-e2e bench-record

all: module tools

deps:
	@$(DEPS)

# Building installs nothing: tests/vm/install-deps (make check, make demo)
# does, and README lists the packages.
module: need-kdir
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(KBUILD_FLAGS) modules

tools: need-libnl need-libcrypto
	$(MAKE) -C tools/ktracectl
	$(MAKE) -C tools/ktrace-relayd

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tools/ktracectl clean
	$(MAKE) -C tools/ktrace-relayd clean
	$(MAKE) -C tests/userspace clean
	rm -rf build

include mk/prereq.mk mk/install.mk

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
bench-e2e: deps tools
	@bench/run-e2e
bench-record: deps tools
	@bench/run-record

# Not in make check: 1 000 000 abi-fuzz operations, threads included, in
# two KASAN + lockdep KUnit VMs at once (tests/userspace/soak); the last
# line is the verdict.
.PHONY: soak
soak: deps
	@tests/userspace/soak
