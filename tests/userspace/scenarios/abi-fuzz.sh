# Abuse of the ABI (abi-fuzz: the uapi header and libnl): an unprivileged
# user is refused, 10 000 random ioctls, netlink messages and memory and
# data calls on live fds, then 4 000 more from 4 threads sharing stream,
# metadata and /dev/ktrace fds (closing and reopening them too), leave a
# working session, a reader killed while holding a sub-buffer leaves its
# stream usable, and the module unloads afterwards (no fd, file or
# session reference leaked). It runs in the
# Debian VMs and in the KASAN + lockdep KUnit VM, whose kernel-log check
# fails on any report; with kmemleak in the kernel, a leak fails it too.
# The seed changes every run: the log's first line says how to replay it.
. /scenarios/lib.sh

meminfo() {
	awk '/^(MemFree|SUnreclaim|VmallocUsed):/ { printf "%s %s kB  ", $1, $2 }' /proc/meminfo
}

# A scenario that failed before this one may have left the module loaded.
if grep -q '^ktrace ' /proc/modules; then
	echo "ktrace was left loaded: unloading it first"
	rmmod ktrace || fail "rmmod of a leftover ktrace"
fi
kmemleak=/sys/kernel/debug/kmemleak
[ -w $kmemleak ] && echo clear >$kmemleak
echo "before: $(meminfo)"
load_ktrace
start=$(date +%s)
abi-fuzz || fail "abi-fuzz reported failures"
echo "abi-fuzz took $(($(date +%s) - start)) s"
unload_ktrace
echo "ok: ktrace unloads after the fuzz"
echo "after: $(meminfo)"
if [ -w $kmemleak ]; then
	echo scan >$kmemleak
	echo scan >$kmemleak
	if grep -q . $kmemleak; then
		head -n 40 $kmemleak
		fail "kmemleak reports unreferenced objects"
	fi
	echo "ok: kmemleak reports nothing"
else
	echo "(no kmemleak in this kernel)"
fi
echo "abi-fuzz: all checks passed"
