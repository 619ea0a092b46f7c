#!/bin/bash
# tests/vm/kernel-info names the Debian test kernels in the cache, as
# install-deps fetched them, and never a kernel of /boot or /usr/src: with
# an empty cache it fails naming install-deps (whatever this machine has
# installed), with a cached kernel it prints its build tree, image and
# module root, and with a cached kernel of another version than the one
# install-deps recorded, or without its headers, it fails again.
#
# Usage: kernel-info.sh SRC TMP.
set -uo pipefail
src=$1 tmp=$2 test=kernel-info
. "$(dirname "$0")/lib.bash"
ki=$src/tests/vm/kernel-info

for kernel in deb61 deb612; do
	if ! hv=$("$ki" --headers "$kernel" 2>"$tmp/err"); then
		fail "$kernel/headers" "$(cat "$tmp/err")"
		continue
	fi
	read -r rel version <<<"$hv"
	case $rel in
	[0-9]*-amd64) pass "$kernel/headers" ;;
	*) fail "$kernel/headers" "release '$rel'" ;;
	esac

	cache=$tmp/cache-$kernel
	mkdir -p "$cache"
	if out=$(KTRACE_CACHE=$cache "$ki" "$kernel" 2>&1); then
		fail "$kernel/empty-cache-fails" "printed '$out'"
	elif [ "$out" = "kernel-info: no $kernel kernel in $cache (tests/vm/install-deps)" ]; then
		pass "$kernel/empty-cache-fails"
	else
		fail "$kernel/empty-cache-fails" "said '$out'"
	fi

	base=$cache/kernel-$rel
	mkdir -p "$base/boot" "$base/usr/src/linux-headers-$rel"
	: >"$base/boot/vmlinuz-$rel"
	: >"$base/usr/src/linux-headers-$rel/Makefile"
	echo "$version" >"$base/.version"
	echo "$rel $version" >"$cache/$kernel"
	want="$rel $base/usr/src/linux-headers-$rel $base/boot/vmlinuz-$rel $base -"
	out=$(KTRACE_CACHE=$cache "$ki" "$kernel" 2>&1)
	if [ "$out" = "$want" ]; then
		pass "$kernel/cached-kernel"
	else
		fail "$kernel/cached-kernel" "printed '$out', not '$want'"
	fi

	echo "0-old" >"$base/.version"
	if out=$(KTRACE_CACHE=$cache "$ki" "$kernel" 2>&1); then
		fail "$kernel/stale-kernel-fails" "printed '$out'"
	else
		pass "$kernel/stale-kernel-fails"
	fi

	echo "$version" >"$base/.version"
	rm "$base/usr/src/linux-headers-$rel/Makefile"
	if out=$(KTRACE_CACHE=$cache "$ki" "$kernel" 2>&1); then
		fail "$kernel/no-headers-fails" "printed '$out'"
	else
		pass "$kernel/no-headers-fails"
	fi
done
