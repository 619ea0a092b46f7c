# VM scenario of make bench-record: streaming to disk (tmpfs) under a
# syscall load on every vCPU (getppid loops, paced: BATCH syscalls then a
# 1 ms pause, per CPU), for ktrace (ktracectl start/stop, its consumer)
# and ftrace + trace-cmd record, the same events (syscall entry and exit)
# and 4 MiB of buffer per CPU each, at rising rates. Per run: the
# syscalls made, the events lost by the tracer, the bytes written and
# ktrace's consumer CPU time (clock ticks).
. /scenarios/lib.sh

MS=${BENCH_RECORD_MS:-3000}
BATCHES=${BENCH_RECORD_BATCHES:-16 64 256 1024}
HZ=$(getconf CLK_TCK 2>/dev/null || echo 100)

mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null || true
[ -e /sys/kernel/tracing/trace ] || fail "no tracefs"
load_ktrace
: >"$KTRACE_OUT/results"
echo "hz $HZ ms $MS" >>"$KTRACE_OUT/results"

busy() {
	snapshot-load busy all "$MS" "$1" 1000 |
		sed -n 's/^busy: \([0-9]*\) syscalls.*/\1/p'
}

for b in $BATCHES; do
	rm -rf /tmp/kt
	ktracectl create b -o /tmp/kt >/dev/null
	ktracectl enable-channel -s b --subbuf-size 512K --num-subbuf 8 channel0 >/dev/null
	ktracectl enable-event -s b syscall_entry,syscall_exit >/dev/null
	ktracectl start b >/tmp/start.out || fail "start: $(cat /tmp/start.out)"
	pid=$(sed -n 's/^Consumer \([0-9]*\) .*/\1/p' /tmp/start.out)
	n=$(busy "$b")
	sleep 1
	ktracectl stop b >/tmp/stop.out || fail "stop: $(cat /tmp/stop.out)"
	lost=$(sed -n 's/^Discarded events: \([0-9]*\).*/\1/p' /tmp/stop.out)
	bytes=$(sed -n 's/^Trace written to .*: \([0-9]*\) bytes.*/\1/p' /tmp/stop.out)
	ticks=$(awk '{ print $14 + $15 }' /proc/"$pid"/stat)
	ktracectl destroy b >/dev/null
	rm -rf /tmp/kt
	echo "ktrace batch=$b syscalls=$n lost=$lost bytes=$bytes ticks=$ticks" |
		tee -a "$KTRACE_OUT/results"

	rm -f /tmp/tc.dat
	# Uncompressed, as ktrace writes.
	trace-cmd record -b 4096 --compression none \
		-e raw_syscalls:sys_enter -e raw_syscalls:sys_exit \
		-o /tmp/tc.dat >/tmp/tc.out 2>&1 &
	tc=$!
	# Under TCG it takes seconds to start: wait until it traces.
	i=0
	until [ "$(cat /sys/kernel/tracing/events/raw_syscalls/sys_enter/enable)" = 1 ] &&
		[ "$(cat /sys/kernel/tracing/tracing_on)" = 1 ]; do
		i=$((i + 1))
		[ $i -lt 300 ] || fail "trace-cmd did not start"
		sleep 0.1
	done
	sleep 1
	n=$(busy "$b")
	# Its readers wake every 100 ms: a second to drain, as ktracectl stop
	# drains before it returns.
	sleep 1
	kill -INT $tc
	i=0
	while [ -d /proc/$tc ] && ! grep -q "^State:.*Z" /proc/$tc/status 2>/dev/null; do
		i=$((i + 1))
		[ $i -lt 120 ] || { kill -KILL $tc; echo "trace-cmd did not end" >>/tmp/tc.out; break; }
		sleep 1
	done
	wait $tc || true
	# The per-CPU statistics ftrace gave at the end, kept in the file.
	trace-cmd report --stat -i /tmp/tc.dat >>/tmp/tc.out 2>&1
	grep -q "overrun:" /tmp/tc.out || fail "trace-cmd gave no statistics: $(tail -n 5 /tmp/tc.out)"
	lost=$(awk '/overrun:|dropped events:/ { s += $NF } END { print s + 0 }' /tmp/tc.out)
	# ftrace's counters miss what the reader drops: count the getppid
	# (NR 110) entries and exits in the file against those made.
	got=$(trace-cmd report -i /tmp/tc.dat 2>/dev/null |
		grep -c 'sys_e[a-z]*: *NR 110 ' || true)
	echo "getppid events in the file: $got of $((2 * n))" >>/tmp/tc.out
	[ "$got" -ge $((2 * n)) ] || lost=$((lost + 2 * n - got))
	bytes=$(stat -c %s /tmp/tc.dat 2>/dev/null || echo 0)
	rm -f /tmp/tc.dat
	echo "trace-cmd batch=$b syscalls=$n lost=$lost bytes=$bytes" |
		tee -a "$KTRACE_OUT/results"
	tail -n 20 /tmp/tc.out >"$KTRACE_OUT/trace-cmd-$b.out"
done
unload_ktrace
