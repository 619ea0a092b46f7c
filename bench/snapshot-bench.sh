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

# The first "bytes" of ktracectl's --json summary in /tmp/out: the
# stream files'.
json_bytes() {
	sed -n 's/^  "bytes": \([0-9]*\),$/\1/p' /tmp/out | head -n 1
}

# timed NAME CMD...: CMD under `snapshot-load time`, its stdout in
# /tmp/out; it must exit 0. Appends "NAME ns=N status=0 bytes=B" to the
# results: B, the stream bytes a record's --json summary says, or the size
# of /tmp/out for another command (cat's copy).
timed() {
	name=$1
	shift
	snapshot-load time /tmp/out -- "$@" 2>/tmp/time ||
		fail "snapshot-load time $*"
	grep -q 'status=0' /tmp/time || fail "$name ($*): $(cat /tmp/time)"
	case $name in
	ktrace*) bytes=$(json_bytes) ;;
	*) bytes=$(stat -c %s /tmp/out) ;;
	esac
	echo "$name $(cat /tmp/time) bytes=$bytes" | tee -a "$KTRACE_OUT/results"
	rm -rf /tmp/bench /tmp/out
}

# records NAME PROG: a record of everything and one of a packet per
# stream by PROG (a ktracectl).
records() {
	timed "$1" "$2" snapshot -s b --json /tmp/bench
	timed "$1-4M" "$2" snapshot -s b --json --max-size 4M /tmp/bench
}

load_ktrace
ktracectl create b --snapshot
ktracectl enable-channel -s b --subbuf-size $SUBBUF --num-subbuf $NSUB channel0
ktracectl enable-event -s b sched_switch,syscall_entry,syscall_exit
ktracectl start b
snapshot-load busy all 6000
ktracectl stop b

# The peer copies as many bytes: a snapshot's own stream files.
ktracectl snapshot -s b --json /tmp/bench >/tmp/out || fail "snapshot record"
bytes=$(json_bytes)
[ "$bytes" -ge $((FULL * 9 / 10)) ] ||
	fail "buffers not full: $bytes of $FULL bytes: $(cat /tmp/out)"
cat /tmp/bench/*/kernel/channel0_* >/tmp/src
rm -rf /tmp/bench

: >"$KTRACE_OUT/results"
for i in $(seq $RUNS); do
	records ktrace ktracectl
	records ktrace-static ktracectl-static
	# ktracectl as it was before (KTRACE_BENCH_BEFORE), when given.
	if command -v ktracectl-before >/dev/null; then
		records ktrace-before ktracectl-before
		timed version-before ktracectl-before version
	fi
	timed version ktracectl version
	timed version-static ktracectl-static version
	timed exec true
	timed exec-dynamic dyn-true
	# The same dynamic programs at the same addresses in every run.
	aslr=$(cat /proc/sys/kernel/randomize_va_space)
	echo 0 >/proc/sys/kernel/randomize_va_space
	records ktrace-noaslr ktracectl
	timed version-noaslr ktracectl version
	timed exec-dynamic-noaslr dyn-true
	echo "$aslr" >/proc/sys/kernel/randomize_va_space
	timed cat cat /tmp/src
done
ktracectl destroy b
unload_ktrace
