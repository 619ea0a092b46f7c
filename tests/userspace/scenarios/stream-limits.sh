# A normal session's trace within limits (issue 14): rotation with
# --tracefile-size 64K --tracefile-count 3 (at most 3 files per stream,
# each at most 64 KiB, the newest events kept), and a full disk (a 256 KiB
# tmpfs: the consumer stops writing, status and stop say why, the kernel
# goes on discarding and counting, nothing hangs, destroy works).
# stream-limits.host reads the rotated trace with babeltrace2. About 10 s.
. /scenarios/lib.sh

N=20000
PAYLOAD=0x6b74726163650015
T=/tmp/rot

load_ktrace

# --- Rotation.
ktracectl create r -o $T >/dev/null
ktracectl enable-channel -s r --subbuf-size 16K --num-subbuf 8 \
	--tracefile-size 64K --tracefile-count 3 channel0 >/tmp/out ||
	fail "enable-channel with rotation"
grep -q "trace files of at most 64 KiB, 3 kept" /tmp/out || fail "enable-channel: $(cat /tmp/out)"
ktracectl enable-event -s r ktrace_test >/dev/null
ktracectl start r >/dev/null || fail "start r"
snapshot-load fire 0 1 500 $PAYLOAD $((N / 500)) 2000 || fail "fire"
ktracectl stop r >/tmp/stop.out || fail "stop r: $(cat /tmp/stop.out)"
cat /tmp/stop.out
grep -qx "Discarded events: 0" /tmp/stop.out || fail "stop r: events discarded"
ktracectl destroy r >/dev/null
ls -l $T/kernel
[ -e $T/kernel/channel0_0_0 ] && fail "the oldest file channel0_0_0 was kept"
files=$(ls $T/kernel | grep -c '^channel0_0_')
[ "$files" -ge 2 ] && [ "$files" -le 3 ] || fail "CPU 0: $files files, expected 2 or 3"
for f in $T/kernel/channel0_*; do
	size=$(stat -c %s "$f")
	[ "$size" -le 65536 ] || fail "$f: $size bytes, over 64 KiB"
done
for cpu in $(ls $T/kernel | sed -n 's/^channel0_\([0-9]*\)_[0-9]*$/\1/p' | sort -u); do
	n=$(ls $T/kernel | grep -c "^channel0_${cpu}_")
	[ "$n" -le 3 ] || fail "CPU $cpu: $n files"
done
echo "ok: rotation: $files files on CPU 0, none over 64 KiB, at most 3 per stream"
cp -r $T "$KTRACE_OUT/rot"

# --- A full disk.
mkdir -p /tmp/full
mount -t tmpfs -o size=256k tmpfs /tmp/full
ktracectl create f -o /tmp/full/t >/dev/null
ktracectl enable-channel -s f --subbuf-size 64K --num-subbuf 4 channel0 >/dev/null
ktracectl enable-event -s f ktrace_test >/dev/null
ktracectl start f >/dev/null || fail "start f"
snapshot-load fire 0 1 500 $PAYLOAD 40 2000 || fail "fire on a full disk"
i=0
while ! ktracectl list f | grep -q "error: No space left on device"; do
	i=$((i + 1))
	[ $i -lt 50 ] || fail "status shows no error: $(ktracectl list f)"
	sleep 0.1
done
echo "ok: status: $(ktracectl list f | grep '^Consumer')"
# The kernel keeps going: more events, consumed and dropped, no hang.
snapshot-load fire 0 20001 500 $PAYLOAD 20 1000 || fail "fire after the disk filled"
must_fail "stop on a full disk" "No space left on device" timeout 60 ktracectl stop f
cat /tmp/must_fail.out
timeout 60 ktracectl destroy f >/dev/null 2>&1
ktracectl list | grep -q "No sessions" || fail "destroy f"
echo "ok: full disk: stop and destroy returned"
umount /tmp/full

unload_ktrace
cat >"$KTRACE_OUT/expect" <<EOF
events $N
payload $PAYLOAD
EOF
echo "stream-limits: all checks passed"
