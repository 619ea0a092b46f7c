# make demo: what a user does on a real machine, narrated: load the
# module, set up a flight-recorder session, run a workload, take an 8 MiB
# snapshot. The snapshot lands in $KTRACE_OUT/traces; tests/vm/demo reads
# it with babeltrace2 on the host.
. /scenarios/lib.sh

run() {
	echo "# $*"
	"$@"
	echo
}

run uname -r
run insmod "$KTRACE_MODULES/ktrace.ko"
run ktracectl create demo --snapshot -o "$KTRACE_OUT/traces"
run ktracectl enable-event sched_switch,sched_process_exec,syscall_entry,syscall_exit
run ktracectl add-context -t tid -t procname
run ktracectl start
echo "# (a workload: 20 short processes and a directory walk)"
for i in $(seq 20); do /bin/true; done
find / -xdev >/dev/null 2>&1 || true
echo
run ktracectl list demo
run ktracectl snapshot --max-size 8M
run ktracectl stop
run ktracectl destroy demo
run rmmod ktrace
run ktracectl version || true
