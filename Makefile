# SPDX-License-Identifier: GPL-2.0
#
# ktrace top-level build.
#
#   make                 module/ktrace.ko (for KDIR) and tools/ktracectl; it
#                        only builds: no package manager, sudo or network
#   make check           every test: host, KUnit VM, Debian 6.1 and 6.12 VMs
#   make demo            boot Debian's 6.1 kernel and show ktrace at work
#   make KDIR=<dir>      build the module against another kernel build tree
#   make C=1             run sparse over the module
#   make install, uninstall, dkms-install, deb   mk/install.mk, mk/package.mk

# Default kernel: the running kernel's build tree.
KDIR ?= /lib/modules/$(shell uname -r)/build

DEPS := tests/vm/install-deps
# -Werror is make check's (tests/vm/check exports KTRACE_WERROR=y).
KBUILD_FLAGS := W=1

.PHONY: all deps module tools clean check demo bench-ringbuffer bench-snapshot

all: module tools

deps:
	@$(DEPS)

module: need-kdir
	$(MAKE) -C $(KDIR) M=$(CURDIR) $(KBUILD_FLAGS) modules

tools: need-libnl
	$(MAKE) -C tools/ktracectl

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR) clean
	$(MAKE) -C tools/ktracectl clean
	$(MAKE) -C tests/userspace clean
	rm -rf build

include mk/prereq.mk mk/install.mk

# Everything below collects results into build/results/ and ends with
# one "N passed, N failed" line (tests/vm/check).
check: deps
	@tests/vm/check

demo: deps
	@tests/vm/demo

# Benchmarks (not tests): their last line is the headline number.
bench-ringbuffer: deps tools
	@bench/run-ringbuffer
bench-snapshot: deps tools
	@bench/run-snapshot
