# Normal sessions record to disk through their consumer (issue 14), end to
# end in the VM: create -o, start (status shows the consumer), N known
# ktrace_test events, stop (waits for the consumer, prints what it
# wrote); enable-event while active (the new event in the data and in the
# metadata on disk); the consumer SIGKILLed mid-run (stop says so and
# fails, start again appends); clear and disable-channel; a second
# consumer refused; `record -- sh -c 'exit 3'` exits 3; record stopped by
# SIGINT. stream.host reads every trace with babeltrace2. About 15 s.
. /scenarios/lib.sh

N=${STREAM_EVENTS:-20000}
PAYLOAD=0x6b74726163650014
T=/tmp/s

# consumer_pid SESSION: the consumer pid status shows, or nothing.
consumer_pid() {
	ktracectl list "$1" | sed -n 's/^Consumer: pid \([0-9]*\),.*/\1/p'
}

# fire SEQ COUNT: COUNT ktrace_test events from SEQ on, on CPU 0, in
# batches of 500 with a pause, at a rate the consumer keeps up with.
fire() {
	snapshot-load fire 0 "$1" 500 $PAYLOAD $(($2 / 500)) 2000 ||
		fail "fire $1 $2"
}

load_ktrace

# --- Every event recorded.
ktracectl create s -o $T >/tmp/out || fail "create s -o $T"
grep -qx "Traces will be written in $T" /tmp/out || fail "create: $(cat /tmp/out)"
ktracectl enable-channel -s s --subbuf-size 64K --num-subbuf 8 channel0 >/dev/null
ktracectl enable-event -s s ktrace_test >/dev/null
ktracectl start s >/tmp/out || fail "start s"
grep -q "^Consumer [0-9]* writes the trace to $T\$" /tmp/out || fail "start: $(cat /tmp/out)"
pid=$(consumer_pid s)
[ -n "$pid" ] && [ -d "/proc/$pid" ] || fail "status shows no live consumer: $(ktracectl list s)"
echo "ok: status shows consumer pid $pid"
ktracectl list s >"$KTRACE_OUT/status-active"
must_fail "start while active" "already active" ktracectl start s
[ "$(consumer_pid s)" = "$pid" ] || fail "a second start changed the consumer"
fire 1 "$N"
ktracectl stop s >/tmp/stop.out || fail "stop: $(cat /tmp/stop.out)"
cat /tmp/stop.out
grep -q "^Trace written to $T: [0-9]* bytes in [0-9]* packets, [0-9]* events.\$" /tmp/stop.out ||
	fail "stop printed no summary"
# Only ktrace_test is enabled: the events written are exactly the N fired.
events=$(sed -n 's/^Trace written to .* packets, \([0-9]*\) events\.$/\1/p' /tmp/stop.out)
expect_eq "events stop reports = events fired" "$N" "$events"
grep -qx "Discarded events: 0" /tmp/stop.out || fail "stop: events discarded"
[ -s $T/kernel/metadata ] || fail "no $T/kernel/metadata"
[ -s $T/kernel/channel0_0 ] || fail "no $T/kernel/channel0_0"
bytes=$(sed -n 's/^Trace written to .*: \([0-9]*\) bytes.*/\1/p' /tmp/stop.out)
ondisk=$(cat $T/kernel/channel0_* | wc -c)
expect_eq "bytes stop reports = bytes of the stream files" "$ondisk" "$bytes"

# --- enable-event while active: data and metadata.
ktracectl start s >/dev/null || fail "start again"
ktracectl enable-event -s s sched_switch >/dev/null || fail "enable-event while active"
snapshot-load busy all 300 >/dev/null
ktracectl stop s >/dev/null || fail "stop after enable-event"
grep -q 'name = "sched_switch"' $T/kernel/metadata ||
	fail "sched_switch is not in the metadata on disk"
echo "ok: sched_switch described in $T/kernel/metadata"

# --- The consumer killed mid-run.
ktracectl start s >/dev/null || fail "start before the kill"
pid=$(consumer_pid s)
snapshot-load busy all 1000 >/dev/null &
busy=$!
fire $((N + 1)) 2000
kill -9 "$pid"
wait $busy
fire $((N + 2001)) 1000
must_fail "stop after SIGKILL" "died" timeout 60 ktracectl stop s
cat /tmp/must_fail.out
grep -q "^Events read from the buffers by the consumer: [0-9]* (not all of them written)\$" /tmp/must_fail.out ||
	fail "stop after the death does not say the events read: $(cat /tmp/must_fail.out)"
ls -l $T/kernel
ktracectl start s >/dev/null || fail "start after the consumer died"
[ -n "$(consumer_pid s)" ] || fail "no new consumer"
fire $((N + 3001)) 1000
ktracectl stop s >/dev/null || fail "stop with the new consumer"

# --- disable-channel: nothing recorded; clear.
ktracectl disable-channel -s s channel0 >/dev/null || fail "disable-channel"
ktracectl list s | grep -q "channel0: .*\[disabled\]" || fail "list shows no disabled channel"
ktracectl start s >/dev/null
fire $((N + 10001)) 500
ktracectl stop s >/tmp/stop.out || fail "stop, channel disabled"
# A new consumer: its events, not the earlier consumers'.
grep -q "^Trace written to $T: 0 bytes in 0 packets, 0 events.\$" /tmp/stop.out ||
	fail "stop, channel disabled: $(cat /tmp/stop.out)"
ktracectl enable-channel -s s channel0 >/dev/null || fail "enable-channel of a disabled channel"
ktracectl clear s >/dev/null || fail "clear"
pid=$(consumer_pid s)
ktracectl destroy s >/dev/null || fail "destroy s"
# destroy returns once the consumer detached: it is exiting, or gone.
i=0
while [ -d /proc/$pid ] && ! grep -q "^State:.*Z" /proc/$pid/status 2>/dev/null; do
	i=$((i + 1))
	[ $i -lt 50 ] || fail "consumer $pid outlived its session"
	sleep 0.1
done
echo "ok: consumer $pid ended with its session"
ls -l $T/kernel
cp -r $T "$KTRACE_OUT/s"

# --- A session without an output says so at start; with no event, start fails.
ktracectl create n --no-output >/dev/null
ktracectl enable-event -s n ktrace_test >/dev/null
ktracectl start n | grep -q "no output" || fail "start of a --no-output session"
ktracectl destroy n >/dev/null
ktracectl create e -o /tmp/e >/dev/null
must_fail "start without an event" "no enabled event" ktracectl start e
ktracectl destroy e >/dev/null

# --- record -- COMMAND: its exit status, a readable trace.
rc=0
ktracectl record -o /tmp/rec -e ktrace_test -- \
	sh -c "snapshot-load fire 0 1 1000 $PAYLOAD; exit 3" >/tmp/rec.out || rc=$?
cat /tmp/rec.out
expect_eq "record -- sh -c 'exit 3': exit status" 3 "$rc"
grep -q "^Trace: /tmp/rec " /tmp/rec.out || fail "record printed no path"
cp -r /tmp/rec "$KTRACE_OUT/rec"

# --- record until SIGINT.
ktracectl record -o /tmp/recint -e ktrace_test >/tmp/recint.out &
rec=$!
i=0
while ! ktracectl list 2>/dev/null | grep -q "^record-"; do
	i=$((i + 1))
	[ $i -lt 100 ] || fail "record created no session"
	sleep 0.1
done
sleep 0.5
snapshot-load fire 0 1 1000 $PAYLOAD
kill -INT $rec
rc=0
wait $rec || rc=$?
expect_eq "record stopped by SIGINT: exit status" 0 "$rc"
grep -q "^Trace: /tmp/recint " /tmp/recint.out || fail "record (SIGINT): $(cat /tmp/recint.out)"
cp -r /tmp/recint "$KTRACE_OUT/recint"
ktracectl list | grep -q "No sessions" || fail "record left a session"

unload_ktrace
cat >"$KTRACE_OUT/expect" <<EOF
events $N
payload $PAYLOAD
EOF
echo "stream: all checks passed"
