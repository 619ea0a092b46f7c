# The soak's halves (make soak, tests/userspace/soak): each runs abi-fuzz
# for SOAK_OPS operations in a KUnit VM of its own (KASAN + lockdep),
# whose kernel-log check fails on any report; then the module must unload.
# The last line of each half's log is its verdict, with the operations
# actually done.
. /scenarios/lib.sh

SOAK_OPS=500000
# About 750 to 830 operations/s under KASAN in one TCG thread (measured on
# a 2-core host beside other work): a half takes 10 to 12 minutes, up to
# 50 on a host busy with builds and other VMs. The bound only stops a run
# that hangs.
SOAK_SECONDS=5400

# soak_half WHAT ABI-FUZZ-ARGS...
soak_half() {
	local what=$1 rc=0 start secs done summary
	shift
	if grep -q '^ktrace ' /proc/modules; then
		rmmod ktrace || fail "rmmod of a leftover ktrace"
	fi
	load_ktrace
	start=$(date +%s)
	abi-fuzz "$@" -d $SOAK_SECONDS >/tmp/soak.log 2>&1 || rc=$?
	secs=$(($(date +%s) - start))
	# The progress lines only say that it ran.
	grep -v '^\.\.\. ' /tmp/soak.log
	unload_ktrace
	done=$(sed -n 's/^abi-fuzz: seed .*: \([0-9]*\) operations .*/\1/p' /tmp/soak.log)
	summary=$(grep '^abi-fuzz: [0-9]* checks' /tmp/soak.log || echo "abi-fuzz: no summary")
	echo "soak ($what): ${done:-0} of $SOAK_OPS operations in $secs s (${summary#abi-fuzz: }), exit $rc, ktrace unloaded"
	[ "$rc" = 0 ] || fail "abi-fuzz reported failures"
}
