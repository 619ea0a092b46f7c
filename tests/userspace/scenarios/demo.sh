# make demo: what a user does on a real machine, narrated.
. /scenarios/lib.sh

run() {
	echo "# $*"
	"$@"
	echo
}

run uname -r
run insmod "$KTRACE_MODULES/ktrace.ko"
run ls -l /dev/ktrace
run ktracectl version
echo "# (a workload: 20 short processes)"
for i in $(seq 20); do /bin/true; done
echo
run cat /sys/kernel/debug/ktrace/probes
run rmmod ktrace
run ktracectl version || true
