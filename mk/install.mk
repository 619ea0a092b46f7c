# make install / make uninstall (included by the top-level Makefile).
#
#   make && sudo make install            the running kernel's module, /usr/local
#   make install DESTDIR=/tmp/root PREFIX=/usr KDIR=...   for a package
#
# Installs exactly the files of INSTALL_FILES (README.md, "On a real
# machine"); uninstall removes exactly those. The module goes to
# /lib/modules/<release>/updates/, which depmod ranks above the kernel's
# own modules, followed by depmod so that modprobe and the aliases that
# autoload it (the genl family, /dev/ktrace) know it. With DESTDIR set
# depmod is left to whoever installs the tree for real (a package's
# postinst, DKMS), since DESTDIR holds no kernel's module index.
#
# The uapi header is installed as <ktrace/ktrace.h>, not <linux/ktrace.h>:
# /usr/include/linux belongs to the distribution's kernel headers package
# (linux-libc-dev, kernel-headers), where a file of ours would collide with
# it, and the ABI is the module's, versioned by the module, not the
# kernel's. ktrace.pc says where it is (Cflags) and that talking to the
# family takes libnl-genl-3.0 (Requires); it is arch-independent, so it
# lives in share/pkgconfig.

PREFIX ?= /usr/local
DESTDIR ?=
BINDIR ?= $(PREFIX)/bin
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(PREFIX)/share/pkgconfig
MANDIR ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
# systemd reads units from /usr/local/lib/systemd/system too; Debian 12's
# packages put theirs in /lib/systemd/system (debian/rules says so).
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
INSTALL ?= install
DEPMOD ?= depmod

# The release the module is built for: the kernel's own UTS_RELEASE
# (Debian's 6.1 headers say 6.1.x in kernel.release but 6.1.0-N-amd64
# here, which is what /lib/modules and modprobe use).
KERNELRELEASE ?= $(shell sed -n 's/^\#define UTS_RELEASE "\(.*\)"$$/\1/p' \
	$(KDIR)/include/generated/utsrelease.h 2>/dev/null)
MODDIR := /lib/modules/$(KERNELRELEASE)/updates
KTRACE_VERSION := $(shell sed -n 's/^\#define KTRACECTL_VERSION "\(.*\)"$$/\1/p' \
	tools/ktracectl/ktracectl.h)

MODULE_FILES := $(MODDIR)/ktrace.ko
USER_FILES := $(BINDIR)/ktracectl $(INCLUDEDIR)/ktrace/ktrace.h \
	$(PKGCONFIGDIR)/ktrace.pc $(MANDIR)/man8/ktracectl.8 \
	$(MANDIR)/man4/ktrace.4 $(BASHCOMPDIR)/ktracectl \
	$(SYSTEMDUNITDIR)/ktrace-recorder@.service
# The receiver of net:// outputs (docs/RELAY.md), its page and unit.
USER_FILES += $(BINDIR)/ktrace-relayd $(MANDIR)/man8/ktrace-relayd.8 \
	$(SYSTEMDUNITDIR)/ktrace-relayd.service
INSTALL_FILES := $(MODULE_FILES) $(USER_FILES)

.PHONY: install uninstall install-module install-user uninstall-module \
	uninstall-user need-release

need-release:
	@test -n "$(KERNELRELEASE)" || { \
	echo "ktrace: no kernel release: $(KDIR)/include/generated/utsrelease.h is missing (set KDIR, or KERNELRELEASE)" >&2; \
	exit 1; }

install: install-module install-user

install-module: need-release module
	$(INSTALL) -D -m 0644 module/ktrace.ko $(DESTDIR)$(MODDIR)/ktrace.ko
ifeq ($(DESTDIR),)
	$(DEPMOD) -a $(KERNELRELEASE)
endif

# ktracectl, the header and what documents them: no kernel needed.
install-user: tools
	$(INSTALL) -D -m 0755 tools/ktracectl/ktracectl $(DESTDIR)$(BINDIR)/ktracectl
	$(INSTALL) -D -m 0644 module/abi/uapi/ktrace.h $(DESTDIR)$(INCLUDEDIR)/ktrace/ktrace.h
	$(INSTALL) -d $(DESTDIR)$(PKGCONFIGDIR)
	sed -e 's|@PREFIX@|$(PREFIX)|' \
		-e 's|@INCLUDEDIR@|$(patsubst $(PREFIX)/%,$${prefix}/%,$(INCLUDEDIR))|' \
		-e 's|@VERSION@|$(KTRACE_VERSION)|' mk/ktrace.pc.in \
		>$(DESTDIR)$(PKGCONFIGDIR)/ktrace.pc
	$(INSTALL) -D -m 0644 docs/man/ktracectl.8 $(DESTDIR)$(MANDIR)/man8/ktracectl.8
	$(INSTALL) -D -m 0644 docs/man/ktrace.4 $(DESTDIR)$(MANDIR)/man4/ktrace.4
	$(INSTALL) -D -m 0644 tools/completion/ktracectl $(DESTDIR)$(BASHCOMPDIR)/ktracectl
	$(INSTALL) -D -m 0755 tools/ktrace-relayd/ktrace-relayd $(DESTDIR)$(BINDIR)/ktrace-relayd
	$(INSTALL) -D -m 0644 docs/man/ktrace-relayd.8 $(DESTDIR)$(MANDIR)/man8/ktrace-relayd.8
	$(INSTALL) -d $(DESTDIR)$(SYSTEMDUNITDIR)
	sed -e 's|@BINDIR@|$(BINDIR)|' tools/ktrace-relayd/ktrace-relayd.service.in \
		>$(DESTDIR)$(SYSTEMDUNITDIR)/ktrace-relayd.service
	sed 's|@BINDIR@|$(BINDIR)|g' 'tools/systemd/ktrace-recorder@.service.in' \
		>'$(DESTDIR)$(SYSTEMDUNITDIR)/ktrace-recorder@.service'

uninstall: uninstall-module uninstall-user

uninstall-module: need-release
	rm -f $(addprefix $(DESTDIR),$(MODULE_FILES))
ifeq ($(DESTDIR),)
	$(DEPMOD) -a $(KERNELRELEASE)
endif

uninstall-user:
	rm -f $(addprefix $(DESTDIR),$(USER_FILES))
	-rmdir $(DESTDIR)$(INCLUDEDIR)/ktrace 2>/dev/null

# The list README.md documents, one path a line, for packagers.
install-list:
	@printf '%s\n' $(INSTALL_FILES)
.PHONY: install-list
include mk/package.mk
