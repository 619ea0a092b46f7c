# What `make` needs and cannot install itself: it names the packages and
# stops, since building must never call a package manager, sudo or the
# network (the test dependencies are make check's: tests/vm/install-deps).

.PHONY: need-kdir need-libnl need-libcrypto

# need-libnl: ktracectl's libraries, libnl-3 and jansson (session files).

KVER_RUNNING := $(shell uname -r)

# The kernel the module is built for: the running one unless KDIR is set.
need-kdir:
	@test -f "$(KDIR)/Makefile" || { \
	echo "ktrace: no kernel build tree in $(KDIR): install the running kernel's headers (Debian/Ubuntu: linux-headers-$(KVER_RUNNING); Fedora: kernel-devel-$(KVER_RUNNING)), or set KDIR to a kernel build tree" >&2; \
	exit 1; }

need-libnl:
	@pkg-config --exists libnl-genl-3.0 jansson 2>/dev/null || { \
	echo "ktrace: ktracectl needs pkg-config and the development files of libnl-3 (libnl-genl-3.0) and jansson: install them (Debian/Ubuntu: pkg-config libnl-3-dev libnl-genl-3-dev libjansson-dev; Fedora: pkgconf-pkg-config libnl3-devel jansson-devel)" >&2; \
	exit 1; }

# net:// outputs (ktracectl) and ktrace-relayd: HMAC-SHA256 from OpenSSL.
need-libcrypto:
	@pkg-config --exists libcrypto 2>/dev/null || { \
	echo "ktrace: ktracectl and ktrace-relayd need OpenSSL's libcrypto development files (libcrypto): install them (Debian/Ubuntu: libssl-dev; Fedora: openssl-devel)" >&2; \
	exit 1; }
