# Shared by tests/install/*.sh (sourced): result lines and a scratch copy of
# the source tree.

# pass NAME / fail NAME WHY: one result line, "host/install/<test>/NAME".
pass() { echo "PASS host/install/$test/$1"; }
fail() { echo "FAIL host/install/$test/$1${2:+ ($2)}"; }

# check NAME CMD...: PASS when CMD succeeds, else FAIL with its output.
check() {
	local name=$1 out
	shift
	if out=$("$@" 2>&1); then
		pass "$name"
	else
		fail "$name"
		printf '%s\n' "$out" | tail -n 20 | sed "s|^|  $test/$name: |" >&2
	fi
}

# scratch_copy TOP DIR: the source tree as git sees it (tracked files and
# new ones not ignored), without build products, into DIR, so that tests
# never build or install from the developer's own tree.
scratch_copy() {
	mkdir -p "$2"
	# TOP's own checkout only: a scratch tree under another checkout's
	# ignored build/ would list nothing.
	if [ "$(git -C "$1" rev-parse --show-toplevel 2>/dev/null)" = "$(cd "$1" && pwd -P)" ]; then
		(cd "$1" && git ls-files -z -co --exclude-standard) |
			(cd "$1" && xargs -0 cp --parents -t "$2" 2>/dev/null)
	else
		# A tree without git (a tarball, the workbench's scratch copy):
		# the same files, through the same ignore lists.
		rsync -a --exclude=/.git --exclude=/build/ \
			--filter=':- .gitignore' "$1/" "$2/"
	fi
}

# debian_kdir: the build tree of Debian's 6.12 kernel, as install-deps
# unpacked it under the cache, for tests that need to build the module.
debian_kdir() {
	"$(dirname "${BASH_SOURCE[0]}")/../vm/kernel-info" deb612 | cut -d' ' -f2
}
