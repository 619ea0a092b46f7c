# VM scenario of make bench-snapshot: fill a snapshot session's buffers
# (4 CPUs x 8 MiB: 8 sub-buffers of 1 MiB per CPU), stop it, then time
# `ktracectl snapshot record` of everything into tmpfs against `cat` of
# as many bytes from tmpfs to tmpfs, alternating, RUNS times each. A
# record limited to one packet per stream (--max-size 4M) is timed too:
# the difference between the two records is the cost of the bytes alone.
# Both records again with ktracectl linked statically, and the start of
# ktracectl (version), of busybox (true) and of a dynamically linked
# program that does nothing (dyn-true), split the fixed cost; and the
# dynamic ones again with address space randomization off in the VM
# (kernel.randomize_va_space=0), which is what their extra cost under
# TCG depends on (docs/PERFORMANCE.md). With ktracectl-before in the VM
# (bench/run-snapshot, KTRACE_BENCH_BEFORE), its records and start too.
. /scenarios/lib.sh

RUNS=7
SUBBUF=1M
NSUB=8
FULL=$((4 * 8 * 1048576))

# The first "bytes" of ktracectl's --json summary: the stream files'.
json_bytes() {
	sed -n 's/^  "bytes": \([0-9]*\),$/\1/p' /tmp/rec.json | head -n 1
}

load_ktrace
ktracectl create b --snapshot
ktracectl enable-channel -s b --subbuf-size $SUBBUF --num-subbuf $NSUB channel0
ktracectl enable-event -s b sched_switch,syscall_entry,syscall_exit
ktracectl start b
snapshot-load busy all 6000
ktracectl stop b

: >"$KTRACE_OUT/results"
for i in $(seq $RUNS); do
	snapshot-load time /tmp/rec.json -- \
		ktracectl snapshot -s b --json /tmp/bench 2>/tmp/time ||
		fail "snapshot-load time"
	grep -q 'status=0' /tmp/time || fail "snapshot record: $(cat /tmp/time)"
	bytes=$(json_bytes)
	echo "ktrace $(cat /tmp/time) bytes=$bytes" | tee -a "$KTRACE_OUT/results"
	if [ "$i" = 1 ]; then
		[ "$bytes" -ge $((FULL * 9 / 10)) ] ||
			fail "buffers not full: $bytes of $FULL bytes: $(cat /tmp/rec.json)"
		# The peer copies as many bytes: the snapshot's own.
		cat /tmp/bench/*/kernel/channel0_* >/tmp/src
	fi
	rm -rf /tmp/bench
	snapshot-load time /tmp/rec.json -- \
		ktracectl snapshot -s b --json --max-size 4M /tmp/bench \
		2>/tmp/time || fail "snapshot-load time"
	grep -q 'status=0' /tmp/time || fail "snapshot record: $(cat /tmp/time)"
	bytes=$(json_bytes)
	echo "ktrace-4M $(cat /tmp/time) bytes=$bytes" | tee -a "$KTRACE_OUT/results"
	rm -rf /tmp/bench
	for args in "" "--max-size 4M"; do
		snapshot-load time /tmp/rec.json -- ktracectl-static \
			snapshot -s b --json $args /tmp/bench 2>/tmp/time ||
			fail "snapshot-load time"
		grep -q 'status=0' /tmp/time ||
			fail "static snapshot record: $(cat /tmp/time)"
		echo "ktrace-static${args:+-4M} $(cat /tmp/time) bytes=$(json_bytes)" |
			tee -a "$KTRACE_OUT/results"
		rm -rf /tmp/bench
	done
	# ktracectl as it was before (KTRACE_BENCH_BEFORE), when given.
	if command -v ktracectl-before >/dev/null; then
		for args in "" "--max-size 4M"; do
			snapshot-load time /tmp/rec.json -- ktracectl-before \
				snapshot -s b --json $args /tmp/bench 2>/tmp/time ||
				fail "snapshot-load time"
			grep -q 'status=0' /tmp/time ||
				fail "snapshot record, before: $(cat /tmp/time)"
			echo "ktrace-before${args:+-4M} $(cat /tmp/time) bytes=$(json_bytes)" |
				tee -a "$KTRACE_OUT/results"
			rm -rf /tmp/bench
		done
		snapshot-load time /tmp/out -- ktracectl-before version 2>/tmp/time ||
			fail "snapshot-load time"
		echo "version-before $(cat /tmp/time) bytes=0" | tee -a "$KTRACE_OUT/results"
	fi
	for v in ktracectl ktracectl-static; do
		snapshot-load time /tmp/out -- $v version 2>/tmp/time ||
			fail "snapshot-load time"
		echo "version${v#ktracectl} $(cat /tmp/time) bytes=0" |
			tee -a "$KTRACE_OUT/results"
	done
	snapshot-load time /tmp/out -- true 2>/tmp/time || fail "snapshot-load time"
	echo "exec $(cat /tmp/time) bytes=0" | tee -a "$KTRACE_OUT/results"
	snapshot-load time /tmp/out -- dyn-true 2>/tmp/time ||
		fail "snapshot-load time"
	echo "exec-dynamic $(cat /tmp/time) bytes=0" | tee -a "$KTRACE_OUT/results"
	# The same dynamic programs at the same addresses in every run.
	aslr=$(cat /proc/sys/kernel/randomize_va_space)
	echo 0 >/proc/sys/kernel/randomize_va_space
	for args in "" "--max-size 4M"; do
		snapshot-load time /tmp/rec.json -- ktracectl \
			snapshot -s b --json $args /tmp/bench 2>/tmp/time ||
			fail "snapshot-load time"
		grep -q 'status=0' /tmp/time ||
			fail "snapshot record, ASLR off: $(cat /tmp/time)"
		echo "ktrace-noaslr${args:+-4M} $(cat /tmp/time) bytes=$(json_bytes)" |
			tee -a "$KTRACE_OUT/results"
		rm -rf /tmp/bench
	done
	snapshot-load time /tmp/out -- ktracectl version 2>/tmp/time ||
		fail "snapshot-load time"
	echo "version-noaslr $(cat /tmp/time) bytes=0" | tee -a "$KTRACE_OUT/results"
	snapshot-load time /tmp/out -- dyn-true 2>/tmp/time ||
		fail "snapshot-load time"
	echo "exec-dynamic-noaslr $(cat /tmp/time) bytes=0" |
		tee -a "$KTRACE_OUT/results"
	echo "$aslr" >/proc/sys/kernel/randomize_va_space
	snapshot-load time /tmp/dst -- cat /tmp/src 2>/tmp/time ||
		fail "snapshot-load time"
	grep -q 'status=0' /tmp/time || fail "cat: $(cat /tmp/time)"
	echo "cat $(cat /tmp/time) bytes=$(stat -c %s /tmp/dst)" |
		tee -a "$KTRACE_OUT/results"
	rm -f /tmp/dst
done
ktracectl destroy b
unload_ktrace
