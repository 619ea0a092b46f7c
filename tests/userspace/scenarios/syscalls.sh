# The per-syscall events and the statedump, as LTTng's documentation uses
# them, end to end (syscalls.host reads the snapshots with babeltrace2
# and babeltrace 1.5):
# - statedump at every snapshot record: a session whose statedump events
#   are enabled only after its first start (so that no first-start
#   statedump is in its buffers) takes a snapshot with --no-statedump
#   (no statedump in it), one without (a statedump listing a sleep task
#   started before, with its namespaces as the lttng_statedump_process_
#   <kind>_ns events of LTTng 2.13 record them, compared with
#   /proc/PID/ns), then `regenerate statedump` and one more with
#   --no-statedump (two statedumps: the snapshot's and the regenerated);
# - the 20-syscall table: syscall-table issues 22 system calls with known
#   arguments, recorded with `enable-event -k --syscall NAME,...`, and
#   prints what each entry and exit event must hold.
. /scenarios/lib.sh

load_ktrace
sleep 600 &
sleeper=$!
# Its namespaces, as /proc names them: "uts:[4026531838]".
for kind in pid cgroup ipc net user uts time; do
	link=$(readlink "/proc/$sleeper/ns/$kind") || fail "readlink ns/$kind"
	inum=${link#*[}
	echo "ns $kind ${inum%]}"
done >"$KTRACE_OUT/ns"
# A sleep in a pid and a uts namespace of its own: two pid namespace
# levels (it is pid 1 in the inner one).
unshare -p -u -f sleep 600 &
unshared=$!
nested=
for i in $(seq 50); do
	for stat in /proc/[0-9]*/stat; do
		set -- $(cat "$stat" 2>/dev/null)
		[ "${4:-}" = "$unshared" ] && nested=$1
	done
	[ -n "$nested" ] && [ "$(readlink /proc/$nested/exe)" = /bin/busybox ] &&
		[ "$(cat /proc/$nested/comm)" = sleep ] && break
	nested=
	sleep 0.1
done
[ -n "$nested" ] || fail "no sleep under unshare"
{
	echo "nested $nested"
	for kind in pid uts; do
		link=$(readlink "/proc/$nested/ns/$kind") || fail "readlink nested ns/$kind"
		inum=${link#*[}
		echo "nested_ns $kind ${inum%]}"
	done
	link=$(readlink /proc/self/ns/pid)
	inum=${link#*[}
	echo "init_pid_ns ${inum%]}"
} >>"$KTRACE_OUT/ns"

# --- Statedump at snapshot record.
ktracectl create sd --snapshot -o "$KTRACE_OUT/sd" || fail "create sd"
ktracectl enable-channel -k --subbuf-size 64k --num-subbuf 4 c ||
	fail "enable-channel"
ktracectl enable-event -k -c c --syscall getppid || fail "enable getppid"
ktracectl start || fail "start sd"
# Enabled after the first start: its statedump recorded none of them.
ktracectl enable-event -k -c c 'lttng_statedump_*' || fail "enable statedump"
getppid-loop 10 >/dev/null || fail "getppid-loop"
ktracectl snapshot --no-statedump -n nosd || fail "snapshot --no-statedump"
ktracectl snapshot -n withsd || fail "snapshot"
out=$(ktracectl regenerate statedump) || fail "regenerate statedump"
expect_eq "regenerate statedump" "State dump recorded in session sd." "$out"
ktracectl snapshot --no-statedump -n regen || fail "snapshot after regenerate"
ktracectl stop || fail "stop sd"
# A stopped session: no statedump (its buffers take no events), no error.
err=$(ktracectl snapshot -n stopped 2>&1 >/dev/null) || fail "snapshot of a stopped session"
expect_eq "snapshot of a stopped session: stderr" "" "$err"
ktracectl destroy sd || fail "destroy sd"
kill "$sleeper" "$nested" "$unshared" 2>/dev/null || true

# --- The 20-syscall table.
mkdir -p /tmp/sc
ktracectl create tbl --snapshot -o "$KTRACE_OUT/tbl" || fail "create tbl"
ktracectl enable-channel -k --subbuf-size 256k --num-subbuf 4 c ||
	fail "enable-channel tbl"
ktracectl add-context -k -c c -t tid -t procname || fail "add-context"
ktracectl enable-event -k -c c --syscall getppid,openat,write,lseek,read,newfstat,dup,dup3,close,pipe2,clock_gettime,nanosleep,getpid,unknown,munmap,brk,faccessat,mkdirat,unlinkat,kill,newuname,wait4 ||
	fail "enable-event --syscall"
ktracectl start || fail "start tbl"
syscall-table /tmp/sc >"$KTRACE_OUT/expect" || fail "syscall-table"
ktracectl stop || fail "stop tbl"
ktracectl snapshot --no-statedump -n table || fail "snapshot tbl"
ktracectl destroy tbl || fail "destroy tbl"
unload_ktrace
echo "sleeper $sleeper" >>"$KTRACE_OUT/expect"
echo "syscalls: snapshots written"
