# DKMS and Debian packages (included by mk/install.mk).
#
#   sudo make dkms-install     the module's source into /usr/src/ktrace-<v>,
#                              built and installed by DKMS for the running
#                              kernel, and again for every kernel to come
#                              (DKMS_KERNEL=<release>: for that kernel;
#                              DKMS_KSRC=<dir>: its build tree, when it is
#                              not /lib/modules/<release>/build)
#   sudo make dkms-uninstall   every kernel's DKMS module and the source
#   make deb                   build/deb/ktrace-dkms_<v>_all.deb,
#                              ktracectl_<v>_<arch>.deb, ktrace-dev_<v>_all.deb
#                              (dpkg-buildpackage: needs debhelper, dh-dkms)

DKMS ?= dkms
DKMS_SRCDIR := /usr/src/ktrace-$(KTRACE_VERSION)
# What DKMS builds from: the Kbuild files and module/'s sources with the
# generator of the per-syscall table, no build products (kbuild's *.mod.c,
# the table generated for the kernel the tree was built for).
DKMS_FILES := dkms.conf Kbuild $(sort $(filter-out %.mod.c %/syscalls_gen.h,$(shell \
	find module -name Kbuild -o -name '*.[ch]' -o -name '*.py')))

.PHONY: dkms-source dkms-install dkms-uninstall deb

dkms-source:
	@for f in $(DKMS_FILES); do \
		$(INSTALL) -D -m 0644 $$f $(DESTDIR)$(DKMS_SRCDIR)/$$f || exit 1; \
	done

dkms-install: dkms-source
	$(DKMS) add -m ktrace -v $(KTRACE_VERSION)
	$(DKMS) install -m ktrace -v $(KTRACE_VERSION) $(if $(DKMS_KERNEL),-k $(DKMS_KERNEL)) \
		$(if $(DKMS_KSRC),--kernelsourcedir $(DKMS_KSRC))

dkms-uninstall:
	-$(DKMS) remove -m ktrace -v $(KTRACE_VERSION) --all
	rm -rf $(DKMS_SRCDIR)

# From a copy of the sources (tracked and new files, not build products),
# so that the packages never hold what a developer's tree has built.
DEB_DIR := build/deb
deb:
	rm -rf $(DEB_DIR)
	mkdir -p $(DEB_DIR)/ktrace-$(KTRACE_VERSION)
	{ git ls-files -co --exclude-standard 2>/dev/null || \
		find . -path ./build -prune -o -path ./.git -prune -o -type f -print; } | \
		grep -v '^\./build/' | \
		xargs cp --parents -t $(DEB_DIR)/ktrace-$(KTRACE_VERSION)
	cd $(DEB_DIR)/ktrace-$(KTRACE_VERSION) && \
		dpkg-buildpackage -b -us -uc --no-pre-clean >../build.log 2>&1 || \
		{ tail -n 30 ../build.log >&2; exit 1; }
	@ls $(DEB_DIR)/*.deb
