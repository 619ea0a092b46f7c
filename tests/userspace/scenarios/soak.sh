# The soak (make soak, not in make check): abi-fuzz for 1 000 000
# operations, half from one thread and half from 4 threads sharing fds,
# each half bounded to SOAK_SECONDS; run in the KASAN + lockdep KUnit VM,
# whose kernel-log check fails on any report. Then the module must unload.
# The last line is the verdict, with the operations actually done.
. /scenarios/lib.sh

OPS=500000
# About 170 to 240 operations/s under KASAN in one TCG thread on an idle
# host: a half takes 35 to 50 minutes. The bound only stops a run that
# hangs; it leaves room for a host busy with other work, where a half
# takes longer.
SOAK_SECONDS=5400

if grep -q '^ktrace ' /proc/modules; then
	rmmod ktrace || fail "rmmod of a leftover ktrace"
fi
load_ktrace
start=$(date +%s)
rc=0
abi-fuzz -n $OPS -t 4 -T $OPS -d $SOAK_SECONDS >/tmp/soak.log 2>&1 || rc=$?
secs=$(($(date +%s) - start))
# The progress lines only say that it ran.
grep -v '^\.\.\. ' /tmp/soak.log
unload_ktrace
done=$(sed -n 's/^abi-fuzz: seed .*: \([0-9]*\) operations .*/\1/p' /tmp/soak.log)
summary=$(grep '^abi-fuzz: [0-9]* checks' /tmp/soak.log || echo "abi-fuzz: no summary")
echo "soak: ${done:-0} of $((2 * OPS)) operations in $secs s (${summary#abi-fuzz: }), exit $rc, ktrace unloaded"
[ "$rc" = 0 ] || fail "abi-fuzz reported failures"
