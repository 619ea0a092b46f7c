# ktracectl snapshot record, end to end: a snapshot session with small
# buffers (4 x 64 KiB per CPU) overwritten many times by a syscall load on
# every CPU, then known ktrace_test events, recorded with --max-size. In
# the VM: the size limits, byte-identical records of a stopped session,
# every error path (max-size too small, before the first start, a normal
# session, an unknown session, an unwritable path, a full disk, SIGINT),
# each leaving the session usable, several outputs, and the window policy
# against the equal one on a load skewed onto one CPU. snapshot.host then
# reads what was written with babeltrace2 and babeltrace 1.
. /scenarios/lib.sh

SUBBUF=65536
NSUB=4
MAX=524288		# --max-size 512K
TESTS=1000
PAYLOAD=0x6b74726163650002
OUT=/tmp/out
LOAD_MS=${SNAPSHOT_LOAD_MS:-1500}

# json KEY FILE: the first number or string of KEY in FILE (ktracectl's
# --json: one member per line).
json() {
	sed -n -e "s/^ *\"$1\": \"\(.*\)\",\{0,1\}$/\1/p" \
		-e "s/^ *\"$1\": \([0-9]*\),\{0,1\}$/\1/p" "$2" | head -n 1
}

# record NAME ARGS...: a snapshot of session NAME that must succeed; its
# JSON summary in /tmp/NAME.json, the snapshot number checked.
last_n=
record() {
	session=$1
	shift
	ktracectl snapshot -s "$session" --json "$@" >/tmp/rec.json ||
		fail "snapshot -s $session $*: exit $?"
	n=$(json snapshot /tmp/rec.json)
	if [ "$session" = s ]; then
		if [ -n "$last_n" ]; then
			expect_eq "snapshot number after $last_n" $((last_n + 1)) "$n"
		fi
		last_n=$n
	fi
	dir=$(json path /tmp/rec.json)
	[ -f "$dir/kernel/metadata" ] || fail "no $dir/kernel/metadata"
	echo "recorded: $dir"
}

# fmt_size BYTES: as ktracectl prints exact sizes ("256 KiB", "1 MiB").
fmt_size() {
	if [ $(($1 % 1048576)) = 0 ]; then echo "$(($1 / 1048576)) MiB"
	else echo "$(($1 / 1024)) KiB"; fi
}

load_ktrace

ktracectl create s --snapshot -o $OUT
ktracectl enable-channel -s s --subbuf-size $SUBBUF --num-subbuf $NSUB channel0
ktracectl enable-event -s s sched_switch,syscall_entry,syscall_exit,ktrace_test

must_fail "before the first start" "never been started" \
	ktracectl snapshot -s s /tmp/early
[ ! -e /tmp/early ] || fail "a failed record left /tmp/early"

# The load, then the known events last, on CPU 0; recorded while active.
ktracectl start s
# Enough load to overwrite the buffers many times over (snapshot.host
# wants 10x), however slow the host: rounds until 250 000 syscalls, about
# 20x on the slowest kernel here.
rounds=0 syscalls=0
while [ $syscalls -lt 250000 ] && [ $rounds -lt 12 ]; do
	c=$(snapshot-load busy all "$LOAD_MS" |
		sed -n 's/^busy: \([0-9]*\) syscalls.*/\1/p')
	[ -n "$c" ] || fail "snapshot-load busy printed no count"
	syscalls=$((syscalls + c))
	rounds=$((rounds + 1))
done
echo "load: $syscalls syscalls in $rounds rounds of $LOAD_MS ms"
snapshot-load fire 0 1 $TESTS $PAYLOAD
record s --max-size 512K
cp /tmp/rec.json "$KTRACE_OUT/record.json"
cp -r "$dir/kernel" "$KTRACE_OUT/trace"
streams=$(ls "$dir/kernel" | grep -c '^channel0_')
total=0
for f in "$dir"/kernel/channel0_*; do
	size=$(stat -c %s "$f")
	[ "$size" -le $((MAX / streams)) ] ||
		fail "$f: $size bytes, over its share $((MAX / streams))"
	total=$((total + size))
done
[ "$total" -le $MAX ] || fail "stream files: $total bytes, over $MAX"
echo "ok: $streams stream files, $total bytes <= $MAX, each <= $((MAX / streams))"
cat >"$KTRACE_OUT/expect" <<EOF
test_events $TESTS
payload $PAYLOAD
max_size $MAX
subbuf_size $SUBBUF
num_subbuf $NSUB
streams $streams
EOF

# Stopped: two records in a row write the same bytes.
ktracectl stop s
record s -m 512K
first=$dir
record s -m 512K
for f in "$first"/kernel/*; do
	cmp "$f" "$dir/kernel/${f##*/}" || fail "${f##*/} differs between two records"
done
echo "ok: two records in a row are byte-identical ($(ls "$dir/kernel" | wc -l) files)"

# Too small: the exact message, nothing written.
before=$(ls $OUT | wc -l)
msg="ktracectl: snapshot: max-size 128 KiB is too small: $streams streams of 64 KiB sub-buffers need at least $(fmt_size $((streams * SUBBUF)))"
must_fail "max-size too small" "$msg" ktracectl snapshot -s s --max-size 128K
expect_eq "the whole message" "$msg" "$(cat /tmp/must_fail.err)"
must_fail "max-size too small for the window policy" "is too small: the newest packets of" \
	ktracectl snapshot -s s --max-size 4K --policy window
expect_eq "snapshots after the too-small ones" "$before" "$(ls $OUT | wc -l)"
record s -m 512K

# A normal session, an unknown session.
ktracectl create n
ktracectl enable-event -s n sched_switch
ktracectl start n
must_fail "normal-mode session" "not in snapshot mode" \
	ktracectl snapshot -s n /tmp/normal
[ ! -e /tmp/normal ] || fail "a failed record left /tmp/normal"
ktracectl stop n
ktracectl destroy n
must_fail "unknown session" "nosuch" ktracectl snapshot -s nosuch /tmp/nosuch
[ ! -e /tmp/nosuch ] || fail "a failed record left /tmp/nosuch"
record s -m 512K

# Unwritable paths: a read-only file system, a file in the way.
mkdir -p /tmp/ro
mount -t tmpfs -o ro tmpfs /tmp/ro
must_fail "read-only path" "Read-only file system" \
	ktracectl snapshot -s s /tmp/ro/traces
: >/tmp/afile
must_fail "a file in the path" "not a directory" \
	ktracectl snapshot -s s /tmp/afile/traces
record s -m 512K

# A full disk: the partial snapshot is removed.
mkdir -p /tmp/full
mount -t tmpfs -o size=64k tmpfs /tmp/full
must_fail "full disk" "No space left on device" ktracectl snapshot -s s /tmp/full
[ -z "$(ls -A /tmp/full)" ] || fail "full disk: left $(find /tmp/full)"
echo "ok: full disk: nothing left in /tmp/full"
record s -m 512K

# SIGINT while the files are being written: either it finished first, or
# it stopped with nothing left behind; no sub-buffer stays held.
# (The record's own summary, when it wins the race, is not the verdict.)
res=$(snapshot-load interrupt /tmp/intr -- ktracectl snapshot -s s /tmp/intr |
	tail -n 1)
echo "interrupt: $res"
case $res in
"caught=1 status=1")
	[ -z "$(ls -A /tmp/intr 2>/dev/null)" ] ||
		fail "interrupted: left $(find /tmp/intr)"
	echo "ok: interrupted while writing: nothing left" ;;
"caught=0 status=0"|"caught=1 status=0")
	# A finished record took the next snapshot number.
	last_n=$((last_n + 1))
	[ -f /tmp/intr/snapshot-0-*-$last_n/kernel/metadata ] ||
		fail "no complete snapshot $last_n in $(find /tmp/intr)"
	echo "ok: finished before the signal took effect (snapshot $last_n)" ;;
*)	fail "interrupt: $res" ;;
esac
record s -m 512K

# Several outputs: each gets the snapshot, under the same number.
ktracectl snapshot add-output -s s -n second /tmp/second
ktracectl snapshot -s s --json >/tmp/two.json || fail "two outputs: exit $?"
expect_eq "summaries of two outputs" 2 "$(grep -c '^{' /tmp/two.json)"
for d in $OUT/snapshot-1-*-$((last_n + 1)) /tmp/second/second-*-$((last_n + 1)); do
	[ -f "$d/kernel/metadata" ] || fail "no snapshot $d"
done
last_n=$((last_n + 1))
echo "ok: both outputs got snapshot $last_n"
ktracectl snapshot del-output -s s second

# No output at all: the default place under $HOME, which must be set.
ktracectl snapshot del-output -s s snapshot-1
export HOME=/tmp/home
record s
case $dir in
/tmp/home/ktrace-traces/s-*/snapshot-0-*-$last_n) echo "ok: default place $dir" ;;
*) fail "default place: $dir" ;;
esac
must_fail "no output, no HOME" "give a PATH" env -u HOME ktracectl snapshot -s s
ktracectl destroy s

# A load skewed onto CPU 1: the window policy covers a longer common
# time window than the equal policy within the same max-size (two packets
# per stream for the equal one, of 8 streams: channel0 and a second
# channel that records only sched_switch). Both record while the
# load runs, so that every packet's time is busy time. The load is
# ktrace_test events fired on CPU 1 at a steady pace; syscalls are not
# traced here, so the recorder itself adds next to nothing on the idle
# CPUs.
SKEW_MAX=$((2 * 2 * streams * SUBBUF))
ktracectl create k --snapshot -o /tmp/k
ktracectl enable-channel -s k --subbuf-size $SUBBUF --num-subbuf 32 channel0
ktracectl enable-channel -s k --subbuf-size $SUBBUF --num-subbuf 4 quiet
ktracectl enable-event -s k -c channel0 sched_switch,ktrace_test
ktracectl enable-event -s k -c quiet sched_switch
ktracectl start k
# 1000 events every 10 ms for about 6 s, from one process.
snapshot-load fire 1 0 1000 0 600 10000 >/tmp/busy.log &
busy=$!
sleep 2
for policy in equal window; do
	record k --max-size $SKEW_MAX --policy $policy
	cp /tmp/rec.json "$KTRACE_OUT/skew-$policy.json"
	cp -r "$dir/kernel" "$KTRACE_OUT/skew-$policy"
done
wait $busy || fail "the skewed load failed"
ktracectl stop k
eq=$(json duration_ns "$KTRACE_OUT/skew-equal.json")
win=$(json duration_ns "$KTRACE_OUT/skew-window.json")
echo "skewed load, max-size $SKEW_MAX: window policy $win ns, equal policy $eq ns"
[ "$win" -ge $((2 * eq)) ] || fail "the window policy's window is not twice the equal one's"
echo "ok: window $win ns >= 2 x equal $eq ns"
ktracectl destroy k

unload_ktrace
echo "snapshot: all checks passed"
