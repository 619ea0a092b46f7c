#!/bin/bash
# tests/vm/kernel-info names the Debian test kernels' images in the cache,
# at their installed headers' version, and never an image in /boot: with
# an empty cache it fails naming install-deps (whatever /boot holds), with
# a cached image of the headers' version it prints that image and its
# module root, and with one of another version it fails again.
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
	elif [[ $out == *"no $cache/image-$rel/boot/vmlinuz-$rel of $version (tests/vm/install-deps)"* ]]; then
		pass "$kernel/empty-cache-fails"
	else
		fail "$kernel/empty-cache-fails" "said '$out'"
	fi

	base=$cache/image-$rel
	mkdir -p "$base/boot"
	: >"$base/boot/vmlinuz-$rel"
	echo "$version" >"$base/.version"
	want="$rel /usr/src/linux-headers-$rel $base/boot/vmlinuz-$rel $base -"
	out=$(KTRACE_CACHE=$cache "$ki" "$kernel" 2>&1)
	if [ "$out" = "$want" ]; then
		pass "$kernel/cached-image"
	else
		fail "$kernel/cached-image" "printed '$out', not '$want'"
	fi

	echo "0-old" >"$base/.version"
	if out=$(KTRACE_CACHE=$cache "$ki" "$kernel" 2>&1); then
		fail "$kernel/stale-image-fails" "printed '$out'"
	else
		pass "$kernel/stale-image-fails"
	fi
done
