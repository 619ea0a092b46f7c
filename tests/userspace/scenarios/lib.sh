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
