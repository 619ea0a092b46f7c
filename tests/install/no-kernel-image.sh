#!/bin/bash
# make check and make check-matrix never install a kernel: no package
# install-deps installs pulls a linux-image-* package in, even on a machine
# that has none of them (apt-get's simulation against an empty package
# status). Debian's 6.12 headers packages depend on their image, which is
# why install-deps unpacks the test kernels' headers instead.
#
# Usage: no-kernel-image.sh SRC TMP.
set -uo pipefail
src=$1 tmp=$2 test=no-kernel-image
. "$(dirname "$0")/lib.bash"

pkgs=$("$src/tests/vm/install-deps" --list --matrix)
: >"$tmp/status"
# shellcheck disable=SC2086
if ! apt-get -s -q -o Dir::State::status="$tmp/status" install \
	--no-install-recommends $pkgs >"$tmp/sim" 2>&1; then
	fail install-deps-packages "apt-get cannot resolve them: $(grep '^E:' "$tmp/sim" | head -n 3)"
elif grep -q '^Inst linux-image-' "$tmp/sim"; then
	fail install-deps-packages "they pull in: $(sed -n 's/^Inst \(linux-image-[^ ]*\).*/\1/p' "$tmp/sim" | tr '\n' ' ')"
else
	pass install-deps-packages
fi
