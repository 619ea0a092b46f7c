# VM scenario of make bench-e2e: the getppid() loop of e2e-loop, untraced
# and traced by each tracer in turn, in this one boot (under icount, so
# that nanoseconds are instructions). One "case=NAME cpus=N ns/call=X"
# line per measurement in $KTRACE_OUT/results; bench/run-e2e makes the
# table. E2E_ITERS calls per CPU per run, best of E2E_RUNS runs.
. /scenarios/lib.sh

ITERS=${E2E_ITERS:-20000}
RUNS=${E2E_RUNS:-5}
T=/sys/kernel/tracing

: >"$KTRACE_OUT/results"

# measure CASE CPUS
measure() {
	r=$(e2e-loop "$2" "$ITERS" "$RUNS") || fail "e2e-loop $1 $2"
	echo "case=$1 cpus=$2 $r" | tee -a "$KTRACE_OUT/results"
}

# ktrace_case CASE EVENTS CONTEXTS CPUS...: one snapshot (overwrite-mode)
# session per case, as a flight recorder runs.
ktrace_case() {
	name=$1 events=$2 ctx=$3
	shift 3
	ktracectl create e --snapshot >/dev/null
	ktracectl enable-channel -s e --subbuf-size 64K --num-subbuf 8 \
		channel0 >/dev/null
	[ -n "$ctx" ] && ktracectl add-context -s e $ctx
	ktracectl enable-event -s e "$events" >/dev/null
	ktracectl start e >/dev/null
	for n in "$@"; do
		measure "$name" "$n"
	done
	ktracectl stop e >/dev/null
	ktracectl destroy e >/dev/null
}

for n in 1 2 4; do
	measure untraced $n
done

insmod "$KTRACE_MODULES/ktrace_e2e_floor.ko" || fail "insmod floor"
measure floor 1
rmmod ktrace_e2e_floor

mountpoint -q $T || mount -t tracefs nodev $T || fail "mount tracefs"
echo 0 >$T/tracing_on
echo >$T/trace
echo 1 >$T/events/raw_syscalls/enable
echo 1 >$T/tracing_on
measure ftrace-raw 1
echo 0 >$T/events/raw_syscalls/enable
grep -q 'sys_enter: NR 110' $T/trace || fail "ftrace recorded no getppid"
echo >$T/trace
echo 1 >$T/events/syscalls/sys_enter_getppid/enable
echo 1 >$T/events/syscalls/sys_exit_getppid/enable
measure ftrace-syscall 1
echo 0 >$T/events/syscalls/sys_enter_getppid/enable
echo 0 >$T/events/syscalls/sys_exit_getppid/enable
grep -q 'sys_getppid()' $T/trace || fail "ftrace recorded no sys_getppid"
echo 0 >$T/tracing_on
echo >$T/trace

load_ktrace
before=$(probe_hits syscall_entry)
ktrace_case ktrace-raw syscall_entry,syscall_exit "" 1 2 4
after=$(probe_hits syscall_entry)
[ $((after - before)) -ge $((ITERS * RUNS)) ] ||
	fail "syscall_entry probe ran $((after - before)) times"
ktrace_case ktrace-raw-tid-procname syscall_entry,syscall_exit \
	"-t tid -t procname" 1
ktrace_case ktrace-syscall syscall_entry_getppid,syscall_exit_getppid "" 1
unload_ktrace
