#!/bin/bash
# `make` builds and does nothing else: with every package manager, sudo and
# network tool on PATH replaced by one that fails loudly (and dpkg-query
# saying nothing is installed, as on a machine without the test
# dependencies), make builds the module and ktracectl without calling any
# of them, and without -Werror; a missing kernel build tree or missing
# libnl-3 stops it with the message that names the packages.
#
# Usage: make-builds-only.sh SRC TMP: SRC a scratch copy of the tree (it is
# built), TMP a scratch directory.
set -uo pipefail
src=$1 tmp=$2 test=make-builds-only
. "$(dirname "$0")/lib.bash"

fake=$tmp/fake-bin calls=$tmp/calls
mkdir -p "$fake"
: >"$calls"
for tool in apt-get apt apt-cache aptitude dpkg dpkg-query sudo dnf yum \
	zypper curl wget; do
	cat >"$fake/$tool" <<EOT
#!/bin/sh
echo "$tool \$*" >>"$calls"
echo "FAKE $tool: make must not call $tool" >&2
exit 1
EOT
	chmod +x "$fake/$tool"
done

kdir=$(debian_kdir)
out=$(cd "$src" && PATH="$fake:$PATH" make -j2 KDIR="$kdir" 2>&1)
rc=$?
if [ "$rc" -eq 0 ] && [ -f "$src/module/ktrace.ko" ] &&
	[ -x "$src/tools/ktracectl/ktracectl" ]; then
	pass "builds-module-and-ktracectl"
else
	fail "builds-module-and-ktracectl" "make exit $rc"
	printf '%s\n' "$out" | tail -n 20 >&2
fi
if [ -s "$calls" ]; then
	fail "calls-nothing" "make called: $(head -n 3 "$calls" | tr '\n' ';')"
else
	pass "calls-nothing"
fi

# -Werror belongs to make check: neither ktracectl's compile lines nor the
# module's (kbuild's .cmd files) have it. -Werror=<warning> is the
# kernel's own and fine.
if [ "$rc" -ne 0 ] || ! compgen -G "$src/module/core/.*.o.cmd" >/dev/null; then
	fail "no-werror" "nothing was built"
elif grep -qE -- '-Werror( |$)' <<<"$out" ||
	cat "$src"/module/*/.*.o.cmd 2>/dev/null | grep -qE -- '-Werror( |$)'; then
	fail "no-werror" "plain make compiles with -Werror"
else
	pass "no-werror"
fi

# The example agent too: -Werror only under make check's KTRACE_WERROR=y.
if ! out=$(make -s -C "$src/tools/examples" 2>&1) || [ ! -x "$src/tools/examples/ktrace-agent" ]; then
	fail "examples-no-werror" "make -C tools/examples failed"
	printf '%s\n' "$out" | tail -n 5 >&2
elif grep -qE -- '-Werror( |$)' <<<"$(make -n -B -C "$src/tools/examples" 2>&1)"; then
	fail "examples-no-werror" "make -C tools/examples compiles with -Werror"
elif ! grep -qE -- '-Werror( |$)' <<<"$(make -n -B -C "$src/tools/examples" KTRACE_WERROR=y 2>&1)"; then
	fail "examples-no-werror" "KTRACE_WERROR=y does not add -Werror"
else
	pass "examples-no-werror"
fi

# expect_stop NAME MESSAGE-PART [ENV=VALUE...] -- MAKE-ARGS...: make fails,
# saying MESSAGE-PART, having called nothing.
expect_stop() {
	local name=$1 want=$2 env=() out rc
	shift 2
	while [ "$1" != -- ]; do env+=("$1"); shift; done
	shift
	: >"$calls"
	out=$(cd "$src" && env PATH="$fake:$PATH" "${env[@]}" make "$@" 2>&1)
	rc=$?
	if [ "$rc" -ne 0 ] && grep -qF -- "$want" <<<"$out" && [ ! -s "$calls" ]; then
		pass "$name"
	else
		fail "$name" "exit $rc; calls: $(head -n 3 "$calls" | tr '\n' ';')"
		printf '%s\n' "$out" | tail -n 5 >&2
	fi
}
expect_stop no-headers-names-packages \
	"ktrace: no kernel build tree in /nonexistent: install the running kernel's headers (Debian/Ubuntu: linux-headers-$(uname -r); Fedora: kernel-devel-$(uname -r)), or set KDIR to a kernel build tree" \
	-- KDIR=/nonexistent
expect_stop no-libnl-names-packages \
	"ktrace: ktracectl needs pkg-config and the development files of libnl-3 (libnl-genl-3.0) and jansson: install them (Debian/Ubuntu: pkg-config libnl-3-dev libnl-genl-3-dev libjansson-dev; Fedora: pkgconf-pkg-config libnl3-devel jansson-devel)" \
	PKG_CONFIG_LIBDIR=/nonexistent -- KDIR="$kdir" tools
# libnl and jansson there, OpenSSL's libcrypto (net:// outputs, ktrace-relayd) not.
mkdir -p "$tmp/pc-no-crypto"
for pc in libnl-3.0 libnl-genl-3.0 jansson; do
	ln -sf "$(pkg-config --variable=pcfiledir "$pc")/$pc.pc" "$tmp/pc-no-crypto/"
done
expect_stop no-libcrypto-names-packages \
	"ktrace: ktracectl and ktrace-relayd need OpenSSL's libcrypto development files (libcrypto): install them (Debian/Ubuntu: libssl-dev; Fedora: openssl-devel)" \
	PKG_CONFIG_LIBDIR="$tmp/pc-no-crypto" -- KDIR="$kdir" tools
