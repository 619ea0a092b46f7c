# What the LTTng tool chain needs from a snapshot: a session records the
# per-syscall events of getppid, the scheduler events and the statedump;
# the getppid-loop thread calls getppid() a known number of times; a
# snapshot is written. The channel records the procname, pid and tid
# contexts, as LTTng's documentation sets up a session for
# lttng-analyses: they name a thread from its exec on. analyses.host then runs lttng-syscallstats and
# lttng-cputop (Debian's python3-lttnganalyses) and babeltrace2 on it.
. /scenarios/lib.sh

COUNT=1000
NAME=getppid-loop

load_ktrace
ktracectl create an --snapshot -o "$KTRACE_OUT/traces" ||
	fail "create"
ktracectl enable-channel --subbuf-size 1M --num-subbuf 4 k || fail "channel"
ktracectl add-context -c k -t procname -t pid -t tid || fail "add-context"
ktracectl enable-event -c k syscall_entry_getppid,syscall_exit_getppid ||
	fail "enable-event getppid"
ktracectl enable-event -c k 'lttng_statedump_*' || fail "enable statedump"
ktracectl enable-event -c k sched_switch,sched_wakeup,sched_waking,sched_process_fork,sched_process_exec,sched_process_exit ||
	fail "enable sched"
ktracectl start || fail "start"
tid=$(getppid-loop "$COUNT") || fail "getppid-loop"
ktracectl stop || fail "stop"
ktracectl snapshot || fail "snapshot"
ktracectl destroy an || fail "destroy"
unload_ktrace
printf 'count %s\nname %s\ntid %s\n' "$COUNT" "$NAME" "$tid" \
	>"$KTRACE_OUT/expect"
echo "analyses: snapshot written"
