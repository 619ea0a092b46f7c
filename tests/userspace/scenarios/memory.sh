# Buffer memory. The max_buffer_mib module parameter bounds every
# channel's buffers together: a channel over it is refused at once, with
# the limit in the message, and nothing is allocated. Buffers exist only
# for CPUs that have been online since the channel was made: in a VM with
# more possible than present CPUs (-smp 4,maxcpus=8) the module's memory
# counter shows buffers for the online CPUs only. A CPU that comes online
# after start gets a buffer and records events; a CPU that goes offline
# keeps its events for snapshots (memory.host reads them with
# babeltrace2).
. /scenarios/lib.sh

MEM=/sys/kernel/debug/ktrace/memory
CPU=/sys/devices/system/cpu
KIB64=65536

# count_cpus LIST: the number of CPUs in a list like 0-3,5.
count_cpus() {
	echo "$1" | tr ',' '\n' | awk -F- '{ n += NF == 2 ? $2 - $1 + 1 : 1 } END { print n }'
}
# buffers: bytes of every channel's buffers, from the module's counter.
buffers() {
	awk '$1 == "buffers" { print $2 }' $MEM
}

possible=$(count_cpus "$(cat $CPU/possible)")
present=$(count_cpus "$(cat $CPU/present)")
echo "CPUs: possible $(cat $CPU/possible) ($possible), present $(cat $CPU/present) ($present), online $(cat $CPU/online)"

if grep -q '^ktrace ' /proc/modules; then
	rmmod ktrace || fail "rmmod of a leftover ktrace"
fi
insmod "$KTRACE_MODULES/ktrace.ko" max_buffer_mib=16 || fail "insmod ktrace.ko max_buffer_mib=16"
expect_eq "max_buffer_mib" 16 "$(cat /sys/module/ktrace/parameters/max_buffer_mib)"
expect_eq "limit in debugfs" $((16 << 20)) "$(awk '$1 == "limit" { print $2 }' $MEM)"
expect_eq "buffers before any channel" 0 "$(buffers)"

# --- The bound: 4 x 1 MiB + the reader's 1 MiB per CPU, over 16 MiB.
ktracectl create m --snapshot >/dev/null || fail "create m"
must_fail "enable-channel over the bound" "max_buffer_mib" \
	ktracectl enable-channel -s m --subbuf-size 1M --num-subbuf 4 big
case $(uname -r) in
6.1.*) ;;
*) grep -qF "ktracectl: enable-channel: big: buffers would pass max_buffer_mib=16 (0 MiB in use)" /tmp/must_fail.err ||
	fail "refusal: $(cat /tmp/must_fail.err)" ;;
esac
expect_eq "buffers after the refusal" 0 "$(buffers)"

# --- Within it: 4 x 64 KiB + 64 KiB per online CPU, not per possible CPU.
online=$(count_cpus "$(cat $CPU/online)")
ktracectl enable-channel -s m --subbuf-size 64K --num-subbuf 4 small >/dev/null ||
	fail "enable-channel within the bound"
expect_eq "buffers of one channel on $online online CPUs" \
	$((5 * KIB64 * online)) "$(buffers)"
if [ "$possible" -gt "$present" ]; then
	echo "ok: $possible possible CPUs, buffers for $online only"
else
	echo "(possible = present here: run with -smp 4,maxcpus=8 to see the difference)"
fi
ktracectl destroy m >/dev/null || fail "destroy m"
expect_eq "buffers after destroy" 0 "$(buffers)"

# --- Hotplug: CPU 2 offline when the channel is made, CPU 3 goes
# offline after recording.
[ -w $CPU/cpu2/online ] && [ -w $CPU/cpu3/online ] ||
	fail "CPUs 2 and 3 cannot be taken offline"
echo 0 >$CPU/cpu2/online || fail "offline cpu2"
ktracectl create h --snapshot -o "$KTRACE_OUT/traces" >/dev/null || fail "create h"
ktracectl enable-channel -s h --subbuf-size 64K --num-subbuf 4 channel0 >/dev/null ||
	fail "enable-channel h"
expect_eq "buffers with CPU 2 offline" $((5 * KIB64 * (online - 1))) "$(buffers)"
ktracectl enable-event -s h ktrace_test >/dev/null || fail "enable-event"
ktracectl start h >/dev/null || fail "start h"

snapshot-load fire 3 1000 50 0x33 || fail "fire on CPU 3"
echo 0 >$CPU/cpu3/online || fail "offline cpu3"
echo 1 >$CPU/cpu2/online || fail "online cpu2"
expect_eq "buffers once CPU 2 is back" $((5 * KIB64 * online)) "$(buffers)"
snapshot-load fire 2 2000 50 0x22 || fail "fire on CPU 2"
ktracectl stop h >/dev/null || fail "stop h"
ktracectl snapshot -s h >/tmp/mem.snap || fail "snapshot: $(cat /tmp/mem.snap)"
cat /tmp/mem.snap
echo 1 >$CPU/cpu3/online || fail "online cpu3"
ls -R "$KTRACE_OUT/traces"
printf 'cpu2 2000 50\ncpu3 1000 50\n' >"$KTRACE_OUT/expect"

ktracectl destroy h >/dev/null || fail "destroy h"
expect_eq "buffers at the end" 0 "$(buffers)"
unload_ktrace
echo "memory: all checks passed"
