# Shared helpers for the VM scenarios (sourced, busybox sh).
set -eu

fail() {
	echo "FAIL: $*"
	exit 1
}

# expect_eq WHAT EXPECTED ACTUAL
expect_eq() {
	[ "$2" = "$3" ] || fail "$1: expected '$2', got '$3'"
	echo "ok: $1 = $3"
}

# must_fail WHAT TEXT CMD...: CMD exits 1 and its stderr contains TEXT.
# must_fail_line WHAT LINE CMD...: the same, with LINE a whole line of it.
# CMD's stdout and stderr stay in /tmp/must_fail.out and /tmp/must_fail.err
# for the caller's further checks (one fixed pair: the VM is the
# scenario's alone, and each call overwrites the last).
must_fail() {
	must_fail_grep -F "does not say" "$@"
}

must_fail_line() {
	must_fail_grep -xF "has no line" "$@"
}

# must_fail_grep GREP-FLAGS MISSING WHAT TEXT CMD...: both of the above,
# MISSING the words of the failure for a stderr without TEXT. Its
# variables are prefixed, sh having no local ones.
must_fail_grep() {
	mf_flags=$1 mf_missing=$2 mf_what=$3 mf_text=$4
	shift 4
	mf_rc=0
	"$@" >/tmp/must_fail.out 2>/tmp/must_fail.err || mf_rc=$?
	[ "$mf_rc" = 1 ] ||
		fail "$mf_what: exit $mf_rc, expected 1 ($(cat /tmp/must_fail.err))"
	grep -q "$mf_flags" -- "$mf_text" /tmp/must_fail.err ||
		fail "$mf_what: '$(cat /tmp/must_fail.err)' $mf_missing '$mf_text'"
	# One log line, however many lines stderr has.
	echo "ok: $mf_what: $(paste -s -d '|' /tmp/must_fail.err)"
}

# exits RC CMD...: CMD exits RC; its stdout in /tmp/stdout, stderr in
# /tmp/stderr for the caller's checks.
exits() {
	want=$1
	shift
	rc=0
	"$@" >/tmp/stdout 2>/tmp/stderr || rc=$?
	[ "$rc" = "$want" ] ||
		fail "$*: exit $rc, expected $want; stdout: $(cat /tmp/stdout); stderr: $(cat /tmp/stderr)"
}

# err RC MESSAGE CMD...: CMD exits RC with exactly MESSAGE on stderr.
err() {
	want=$1 msg=$2
	shift 2
	exits "$want" "$@"
	expect_eq "$* (exit $want)" "$msg" "$(cat /tmp/stderr)"
}

load_ktrace() {
	insmod "$KTRACE_MODULES/ktrace.ko" || fail "insmod ktrace.ko"
}

unload_ktrace() {
	rmmod ktrace || fail "rmmod ktrace"
}

# probe_hits EVENT: the hit count of EVENT's probe (debugfs diagnostics).
probe_hits() {
	awk -v e="$1" '$1 == e { print $3 }' /sys/kernel/debug/ktrace/probes
}
