#!/bin/bash
# make install DESTDIR=... PREFIX=... installs exactly the documented files
# (README.md, "On a real machine"), with the modes a user needs; an agent
# builds against the installed header with nothing but pkg-config; make
# uninstall removes every file again.
#
# Usage: install.sh SRC TMP: SRC a scratch copy of the tree, TMP a scratch
# directory.
set -uo pipefail
src=$1 tmp=$2 test=install
. "$(dirname "$0")/lib.bash"

kdir=$(debian_kdir)
release=$(sed -n 's/^#define UTS_RELEASE "\(.*\)"$/\1/p' "$kdir/include/generated/utsrelease.h")
dest=$tmp/root prefix=/usr/local

# The list README.md documents, between its "installed files" markers.
sed -n '/^<!-- installed files -->$/,/^<!-- end -->$/p' "$src/README.md" |
	sed -n 's/^| `\([^`]*\)` |.*/\1/p' |
	sed -e "s|<release>|$release|" -e "s|\$(PREFIX)|$prefix|" |
	sort >"$tmp/documented"
if [ "$(wc -l <"$tmp/documented")" -lt 4 ]; then
	fail documented-list "README.md lists $(wc -l <"$tmp/documented") files"
fi

out=$(cd "$src" && make -s install DESTDIR="$dest" PREFIX="$prefix" KDIR="$kdir" 2>&1)
rc=$?
(cd "$dest" 2>/dev/null && find . -type f -o -type l | sed 's|^\.||' | sort) >"$tmp/installed"
diff -u "$tmp/documented" "$tmp/installed" >"$tmp/diff"
if [ "$rc" -eq 0 ] && [ ! -s "$tmp/diff" ]; then
	pass installs-documented-files
else
	fail installs-documented-files "make install exit $rc"
	printf '%s\n' "$out" | tail -n 10 >&2
	cat "$tmp/diff" >&2
fi

# mode_is FILE MODE
mode_is() { [ "$(stat -c %a "$dest$1")" = "$2" ]; }
check modes mode_is "$prefix/bin/ktracectl" 755
check module-is-the-build cmp "$src/module/ktrace.ko" \
	"$dest/lib/modules/$release/updates/ktrace.ko"
check header-is-the-uapi cmp "$src/module/abi/uapi/ktrace.h" \
	"$dest$prefix/include/ktrace/ktrace.h"
check ktracectl-runs "$dest$prefix/bin/ktracectl" help

# An agent (tools/examples/ktrace-agent.c, including the installed header
# as <ktrace/ktrace.h>) builds with pkg-config's flags alone, against a
# PREFIX of its own (pkg-config knows nothing of DESTDIR).
sed 's|^#include "ktrace.h"$|#include <ktrace/ktrace.h>|' \
	"$src/tools/examples/ktrace-agent.c" >"$tmp/agent.c"
agent_builds() {
	local flags own=$tmp/prefix
	grep -q '^#include <ktrace/ktrace.h>$' "$tmp/agent.c" || return 1
	(cd "$src" && make -s install-user PREFIX="$own") || return 1
	flags=$(PKG_CONFIG_PATH="$own/share/pkgconfig" pkg-config --cflags \
		--libs ktrace) || return 1
	grep -q -- "-I$own/include" <<<"$flags" || return 1
	# shellcheck disable=SC2086
	cc -Wall -Wextra -o "$tmp/agent" "$tmp/agent.c" $flags || return 1
	# Without a session it prints its usage: it links and runs.
	grep -q '^usage: ktrace-agent' <<<"$("$tmp/agent" 2>&1)"
}
check agent-builds-with-pkg-config agent_builds

out=$(cd "$src" && make -s uninstall DESTDIR="$dest" PREFIX="$prefix" KDIR="$kdir" 2>&1)
rc=$?
left=$(cd "$dest" && find . -type f -o -type l)
if [ "$rc" -eq 0 ] && [ -z "$left" ]; then
	pass uninstall-removes-all
else
	fail uninstall-removes-all "make uninstall exit $rc; left: $left"
	printf '%s\n' "$out" | tail -n 5 >&2
fi

# One version everywhere a user or a package manager reads it.
versions() {
	local tool module dkms deb
	tool=$(sed -n 's/^#define KTRACECTL_VERSION "\(.*\)"$/\1/p' "$src/tools/ktracectl/ktracectl.h")
	module=$(sed -n 's/^MODULE_VERSION("\(.*\)");$/\1/p' "$src/module/core/main.c")
	dkms=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$src/dkms.conf")
	deb=$(cd "$src" && dpkg-parsechangelog -S Version)
	echo "ktracectl $tool, module $module, dkms.conf $dkms, debian/changelog $deb"
	[ -n "$tool" ] && [ "$module" = "$tool" ] && [ "$dkms" = "$tool" ] &&
		[ "$deb" = "$tool" ]
}
check versions-agree versions

# The commands README.md gives after installing are the ones the autoload
# VM scenario runs on an installed module (without sudo, and without man).
readme_commands_run() {
	local readme scenario
	readme=$(sed -n '/^## On a real machine$/,/^## /p' "$src/README.md" |
		sed -n 's/^sudo \(ktracectl .*\)$/\1/p' | sed 's/ *#.*//')
	scenario=$(sed -n '/^# README commands begin$/,/^# README commands end$/p' \
		"$src/tests/userspace/scenarios/autoload.sh" | grep -v '^#')
	echo "README: $readme"
	echo "scenario: $scenario"
	[ -n "$readme" ] && [ "$readme" = "$scenario" ]
}
check readme-commands-are-tested readme_commands_run
