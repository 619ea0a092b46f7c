# The example agent (tools/examples/ktrace-agent) on a session that
# ktracectl made: two channels (splice and mmap output, different
# contexts), ktrace_test and sched_switch. N ktrace_test events fired on
# CPU 0 fit in that CPU's newest packet of channel0: the agent counts
# exactly N. Run twice on the stopped session, it prints the same; after a
# ktracectl snapshot too (it consumes nothing). agent.host compares what
# it counts in every packet (-a) with what babeltrace2 reads in the
# snapshot.
. /scenarios/lib.sh

N=200
PAYLOAD=0x6167656e74000001

# count FILE EVENT: the count the agent printed for EVENT (0 if none).
count() {
	awk -v e="$2" '$1 == e { n = $2 } END { print n + 0 }' "$1"
}

# A scenario that failed before this one may have left the module loaded.
if grep -q '^ktrace ' /proc/modules; then
	echo "ktrace was left loaded: unloading it first"
	rmmod ktrace || fail "rmmod of a leftover ktrace"
fi
load_ktrace
ktracectl create ag --snapshot -o /tmp/agent-traces
# 128 KiB: room for the N events and the scheduler's until the stop, even
# on PREEMPT_RT, whose interrupt threads switch far more often.
ktracectl enable-channel -s ag --subbuf-size 128K --num-subbuf 4 channel0
ktracectl enable-channel -s ag --subbuf-size 32K --num-subbuf 4 --output mmap ch1
ktracectl enable-event -s ag ktrace_test,sched_switch
ktracectl enable-event -s ag -c ch1 sched_switch,sched_wakeup
ktracectl add-context -s ag -t pid -t procname
ktracectl add-context -s ag -c ch1 -t tid -t hostname -t prio
ktracectl start ag

# A first run flushes every stream: CPU 0's next packet starts empty,
# with room for the N events (40 bytes each) and the scheduler's.
ktrace-agent ag >/tmp/agent.pre || fail "ktrace-agent on the active session: exit $?"
echo "active session, newest packets:"
sed 's/^/  | /' /tmp/agent.pre
snapshot-load fire 0 1 $N $PAYLOAD
ktracectl stop ag

ktrace-agent -v ag >/tmp/agent.1 || fail "ktrace-agent: exit $?"
sed 's/^/  | /' /tmp/agent.1
expect_eq "ktrace_test events in the newest packets" $N "$(count /tmp/agent.1 ktrace_test)"
ktrace-agent ag >/tmp/agent.2 || fail "ktrace-agent (second run): exit $?"
cmp /tmp/agent.1 /tmp/agent.2 || fail "two runs on a stopped session differ"
echo "ok: two runs print the same"

ktrace-agent -a ag >/tmp/agent.all || fail "ktrace-agent -a: exit $?"
sed 's/^/  | /' /tmp/agent.all
expect_eq "ktrace_test events in every packet" $N "$(count /tmp/agent.all ktrace_test)"
[ "$(count /tmp/agent.all sched_switch)" -gt 0 ] || fail "no sched_switch in any packet"

# ktracectl snapshot reads the same packets; the agent still sees them.
ktracectl snapshot -s ag || fail "ktracectl snapshot: exit $?"
ktrace-agent ag >/tmp/agent.3 || fail "ktrace-agent after a snapshot: exit $?"
cmp /tmp/agent.1 /tmp/agent.3 || fail "the agent's counts changed after ktracectl snapshot"
ktrace-agent -a ag >/tmp/agent.all2 || fail "ktrace-agent -a after a snapshot: exit $?"
cmp /tmp/agent.all /tmp/agent.all2 || fail "the agent's -a counts changed after ktracectl snapshot"
echo "ok: the same counts after ktracectl snapshot"
cp -r /tmp/agent-traces/*/kernel "$KTRACE_OUT/trace"
cp /tmp/agent.all "$KTRACE_OUT/agent-all"
echo "test_events $N" >"$KTRACE_OUT/expect"

must_fail "unknown session" "session not found" ktrace-agent nosuch

ktracectl destroy ag
unload_ktrace
echo "agent: all checks passed"
