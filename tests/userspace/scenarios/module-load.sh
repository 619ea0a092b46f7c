# The module loads, exposes /dev/ktrace as root-only, answers the API ioctl
# through ktracectl, binds its events to the kernel's tracepoints without
# registering probes nobody needs, and unloads.
. /scenarios/lib.sh

ktracectl version >ver.out 2>&1 && fail "ktracectl version succeeded without the module"
expect_eq "error without module" \
	"ktracectl: version: the ktrace module is not loaded (modprobe ktrace, or insmod module/ktrace.ko from a build tree)" \
	"$(tail -n 1 ver.out)"

load_ktrace
[ -c /dev/ktrace ] || fail "/dev/ktrace is not a character device"
expect_eq "/dev/ktrace mode" 600 "$(stat -c %a /dev/ktrace)"
expect_eq "/dev/ktrace owner" 0 "$(stat -c %u /dev/ktrace)"

ktracectl version >ver.out || fail "ktracectl version failed"
cat ver.out
grep -qx "module $(cat /sys/module/ktrace/version), ABI 3, features 0x[0-9a-f]*" ver.out ||
	fail "module version and ABI not reported"

expect_eq "sched_process_exec state" available \
	"$(awk '$1 == "sched_process_exec" { print $2 }' /sys/kernel/debug/ktrace/probes)"
# No session records it, so its probe is not even registered.
for i in 1 2 3 4 5 6 7 8 9 10; do /bin/true; done
expect_eq "sched_process_exec hits with no session" 0 \
	"$(probe_hits sched_process_exec)"

unload_ktrace
[ ! -e /dev/ktrace ] || fail "/dev/ktrace still exists after rmmod"
echo "module-load: all checks passed"
