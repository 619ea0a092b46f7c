# VM scenario of bench/run-snapshot-cost: where the fixed cost of
# `ktracectl snapshot record` goes under TCG (docs/PERFORMANCE.md). The
# session of snapshot-bench.sh (4 CPUs x 8 MiB), stopped; then, RUNS
# times, every program below timed by `snapshot-load time` (fork to
# exit): busybox true, programs that only start (/bin/cost-hello-*), and
# each ktracectl build (/bin/cost-ktracectl*): version, a record of one
# packet per stream (--max-size 4M) and a full one, each without and
# with --json. The dynamic ones again with address space randomization
# off, and with LD_BIND_NOW. Then the system calls of one full record of
# each build (strace -c) and one trace of each record with times
# (strace -r -T), and what the statedump costs a record of an active
# session.
# Results: "NAME ns=... status=..." lines in $KTRACE_OUT/results.
. /scenarios/lib.sh

RUNS=5

load_ktrace
ktracectl create b --snapshot
ktracectl enable-channel -s b --subbuf-size 1M --num-subbuf 8 channel0
ktracectl enable-event -s b sched_switch,syscall_entry,syscall_exit
ktracectl start b
snapshot-load busy all 6000
ktracectl stop b

: >"$KTRACE_OUT/results"
# t NAME CMD [ARG...]: one timed run, from an empty /tmp/bench.
t() {
	name=$1
	shift
	rm -rf /tmp/bench
	snapshot-load time /tmp/out -- "$@" 2>/tmp/time || fail "time $name"
	grep -q 'status=0' /tmp/time ||
		fail "$name: $(cat /tmp/time) $(cat /tmp/out)"
	echo "$name $(cat /tmp/time)" >>"$KTRACE_OUT/results"
}
aslr=$(cat /proc/sys/kernel/randomize_va_space)
for _ in $(seq $RUNS); do
	t true true
	for p in /bin/cost-*; do
		n=${p#/bin/cost-}
		case "$n" in
		hello*) t "$n" "$p" ;;
		ktracectl*)
			t "$n-version" "$p" version
			t "$n-4M" "$p" snapshot -s b --max-size 4M /tmp/bench
			t "$n-4M-json" "$p" snapshot -s b --max-size 4M --json \
				/tmp/bench
			t "$n-full" "$p" snapshot -s b /tmp/bench
			t "$n-full-json" "$p" snapshot -s b --json /tmp/bench
			;;
		esac
	done
	echo 0 >/proc/sys/kernel/randomize_va_space
	t noaslr-hello-dyn /bin/cost-hello-dyn
	t noaslr-ktracectl-version ktracectl version
	t noaslr-ktracectl-4M ktracectl snapshot -s b --max-size 4M /tmp/bench
	t noaslr-ktracectl-full ktracectl snapshot -s b /tmp/bench
	echo "$aslr" >/proc/sys/kernel/randomize_va_space
	export LD_BIND_NOW=1
	t bindnow-ktracectl-version ktracectl version
	t bindnow-ktracectl-4M ktracectl snapshot -s b --max-size 4M /tmp/bench
	unset LD_BIND_NOW
done

if [ -x /bin/strace ]; then
	for p in /bin/cost-ktracectl*; do
		rm -rf /tmp/bench
		strace -c -o "$KTRACE_OUT/strace-c-${p#/bin/cost-}" \
			"$p" snapshot -s b /tmp/bench >/dev/null
	done
	for args in "--max-size 4M" ""; do
		rm -rf /tmp/bench
		strace -r -T -o "$KTRACE_OUT/strace-r${args:+-4M}" \
			ktracectl snapshot -s b $args /tmp/bench >/dev/null
	done
	rm -rf /tmp/bench
fi

# An active session: every record starts with a statedump.
ktracectl start b
for _ in $(seq $RUNS); do
	t active-regenerate-statedump ktracectl regenerate statedump -s b
	t active-4M ktracectl snapshot -s b --max-size 4M /tmp/bench
	t active-4M-no-statedump ktracectl snapshot -s b --max-size 4M \
		--no-statedump /tmp/bench
done
ktracectl stop b
ktracectl destroy b
unload_ktrace
