# net:// snapshot outputs, end to end, over loopback: ktrace-relayd in the
# VM and a snapshot session with a local output and a net:// one. The files
# received are byte-identical to the local ones (relay.host then reads
# them with babeltrace2); IPv6 works; a wrong token, a refused connection,
# a full receiver, a silent one, one killed in the handshake and one
# killed mid-transfer (stopped while it writes, then killed) are each one
# line naming the output and the reason, exit 1, without stopping the
# local output or leaving the session stuck.
. /scenarios/lib.sh
. /scenarios/relay-lib.sh

TOKEN=/tmp/relay.token
RECV=/tmp/recv
LOCAL=/tmp/local
PORT=5390
TESTS=200
PAYLOAD=0x6b74726163650016

# same_files A B: the same file names in A and B, each byte-identical.
same_files() {
	[ "$(ls "$1")" = "$(ls "$2")" ] ||
		fail "files differ: $(ls "$1" | tr '\n' ' ') vs $(ls "$2" | tr '\n' ' ')"
	for f in "$1"/*; do
		cmp "$f" "$2/${f##*/}" || fail "${f##*/} differs"
	done
	echo "ok: $(ls "$1" | wc -l) files byte-identical: $1 and $2"
}

ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up ||
	fail "cannot bring loopback up"
load_ktrace
echo "relay-vm-token-0123456789" >$TOKEN
export KTRACE_RELAY_TOKEN_FILE=$TOKEN
relayd good --listen 127.0.0.1:$PORT --listen "[::1]:$PORT" \
	--output-dir $RECV --token-file $TOKEN
good=$rpid

ktracectl create r --snapshot -o $LOCAL
ktracectl enable-channel -s r --subbuf-size 16384 --num-subbuf 4 channel0
ktracectl enable-event -s r sched_switch,syscall_entry,syscall_exit,ktrace_test
ktracectl snapshot add-output -s r -n remote net://127.0.0.1:$PORT
ktracectl start r
snapshot-load busy all 300 >/dev/null
snapshot-load fire 0 1 $TESTS $PAYLOAD
# Stopped: every output gets the same packets.
ktracectl stop r

# Tee: one snapshot to the local path and to the receiver.
ktracectl snapshot -s r >/tmp/tee.out || fail "tee snapshot: exit $?"
cat /tmp/tee.out
expect_eq "summary lines" 2 "$(wc -l </tmp/tee.out)"
grep -q "^net://127.0.0.1:$PORT/ktrace-vm/r/remote-[0-9-]*: " /tmp/tee.out ||
	fail "no net:// summary line"
local_dir=$(ls -d $LOCAL/snapshot-1-*)
remote_dir=$(ls -d $RECV/ktrace-vm/r/remote-*)
same_files "$local_dir/kernel" "$remote_dir/kernel"
[ -z "$(find $RECV -name '*.partial')" ] || fail "a .partial directory left"
grep -q "received ktrace-vm/r/remote-" /tmp/good.log ||
	fail "the receiver did not log the snapshot"
mkdir -p "$KTRACE_OUT/received"
cp "$remote_dir"/kernel/* "$KTRACE_OUT/received/"
echo "test_events $TESTS" >"$KTRACE_OUT/expect"
echo "payload $PAYLOAD" >>"$KTRACE_OUT/expect"

# The same budget and policy: -m 96K --policy window, both outputs
# (96 KiB: more than the newest packet of each of the 4 streams, 16 KiB
# sub-buffers, and the metadata, whatever the CPUs recorded).
ktracectl snapshot -s r -n budget -m 96K --policy window >/tmp/budget.out ||
	fail "budget snapshot: exit $?"
b_local=$(ls -d $LOCAL/budget-*)
b_remote=$(ls -d $RECV/ktrace-vm/r/budget-*)
same_files "$b_local/kernel" "$b_remote/kernel"
total=$(cat "$b_remote"/kernel/channel0_* | wc -c)
[ "$total" -le 98304 ] || fail "received stream files: $total bytes, over 96 KiB"
echo "ok: window policy within 96 KiB on the receiver: $total bytes"

# IPv6, as a snapshot PATH: a temporary output, named snapshot-0.
ktracectl snapshot -s r "net://[::1]:$PORT" >/tmp/v6.out ||
	fail "net://[::1]: exit $?"
v6_dir=$(ls -d $RECV/ktrace-vm/r/snapshot-0-*)
same_files "$local_dir/kernel" "$v6_dir/kernel"

# A wrong token: the receiver refuses, the local output still records,
# though it comes after the failing one now (outputs go in id order).
ktracectl snapshot del-output -s r snapshot-1
ktracectl snapshot add-output -s r -n local $LOCAL
expect_eq "output order" "remote local" \
	"$(ktracectl snapshot list-output -s r | sed -n 's/^ *\[[0-9]*\] \([a-z-]*\):.*/\1/p' | tr '\n' ' ' | sed 's/ $//')"
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >/tmp/bad.token
before=$(ls $LOCAL | wc -l)
KTRACE_RELAY_TOKEN_FILE=/tmp/bad.token must_fail_line "wrong token" \
	"ktracectl: snapshot: output 'remote' (net://127.0.0.1:$PORT): authentication failed: wrong token" \
	ktracectl snapshot -s r
grep -qxF "ktracectl: snapshot: 1 of 2 outputs failed" /tmp/must_fail.err ||
	fail "no '1 of 2 outputs failed' line"
expect_eq "local snapshots after the wrong token" $((before + 1)) "$(ls $LOCAL | wc -l)"
[ -f $LOCAL/local-*/kernel/metadata ] || fail "no local-* snapshot after the wrong token"
grep -q "refused: authentication failed: wrong token" /tmp/good.log ||
	fail "the receiver did not log the wrong token"
# No token file at all.
KTRACE_RELAY_TOKEN_FILE=/tmp/none must_fail_line "no token" \
	"ktracectl: snapshot: output 'snapshot-0' (net://127.0.0.1:$PORT): authentication failed: the receiver wants a token: no token file /tmp/none (KTRACE_RELAY_TOKEN_FILE)" \
	ktracectl snapshot -s r net://127.0.0.1:$PORT

# Nothing listening.
must_fail_line "connection refused" \
	"ktracectl: snapshot: output 'snapshot-0' (net://127.0.0.1:5399): connection refused" \
	ktracectl snapshot -s r net://127.0.0.1:5399

# A full receiver: refused in the middle of the snapshot.
relayd small --listen 127.0.0.1:5391 --output-dir /tmp/small \
	--token-file $TOKEN --max-bytes 20000
small=$rpid
must_fail_line "receiver full" \
	"ktracectl: snapshot: output 'snapshot-0' (net://127.0.0.1:5391): receiver full: more than 20000 bytes from this sender" \
	ktracectl snapshot -s r net://127.0.0.1:5391
[ -z "$(find /tmp/small -type f)" ] || fail "full receiver kept $(find /tmp/small -type f)"
kill $small

# A receiver that stops answering: timed out. Then killed while a
# snapshot waits on it: the connection is lost.
relayd stuck --listen 127.0.0.1:5392 --output-dir /tmp/stuck --token-file $TOKEN
stuck=$rpid
kill -STOP $stuck
KTRACE_RELAY_TIMEOUT=2 must_fail_line "silent receiver" \
	"ktracectl: snapshot: output 'snapshot-0' (net://127.0.0.1:5392): timed out" \
	ktracectl snapshot -s r net://127.0.0.1:5392
ktracectl snapshot -s r net://127.0.0.1:5392 >/tmp/killed.out 2>/tmp/killed.err &
rec=$!
sleep 1
kill -KILL $stuck
rc=0
wait $rec || rc=$?
expect_eq "exit status after the receiver was killed" 1 "$rc"
grep -qxF "ktracectl: snapshot: output 'snapshot-0' (net://127.0.0.1:5392): connection lost: the receiver closed it" /tmp/killed.err ||
	fail "killed receiver: '$(cat /tmp/killed.err)'"
echo "ok: killed receiver: $(cat /tmp/killed.err)"

# Killed mid-transfer: a snapshot of up to 16 MiB; the receiver stopped
# (SIGSTOP) once it writes the streams' files, then killed.
# The sender says so in one line; no complete-looking snapshot is left.
ktracectl create big --snapshot --no-output >/dev/null
ktracectl enable-channel -s big --subbuf-size 1M --num-subbuf 4 channel0 >/dev/null
ktracectl enable-event -s big sched_switch,syscall_entry,syscall_exit >/dev/null
ktracectl start big >/dev/null
snapshot-load busy all 3000 >/dev/null
ktracectl stop big >/dev/null
caught=
for try in 1 2 3 4 5; do
	relayd mid --listen 127.0.0.1:5393 --output-dir /tmp/mid$try \
		--token-file $TOKEN
	mid=$rpid
	ktracectl snapshot -s big net://127.0.0.1:5393 >/tmp/mid.out 2>/tmp/mid.err &
	rec=$!
	# A shell glob, no fork: fast enough to see the transfer under way.
	i=0
	while [ $i -lt 20000 ]; do
		set -- /tmp/mid$try/ktrace-vm/big/.snapshot-0-*.partial/kernel/channel0_*
		[ -f "$1" ] && break
		i=$((i + 1))
	done
	kill -STOP $mid
	if [ -f "$1" ] && kill -0 $rec 2>/dev/null; then
		caught=$try
		break
	fi
	# The transfer was over before the receiver stopped: again.
	kill -KILL $mid
	wait $rec || true
	echo "try $try: the snapshot was over before the receiver stopped"
done
[ -n "$caught" ] || fail "never caught a snapshot mid-transfer in 5 tries"
echo "ok: receiver stopped mid-transfer: $(cat "${1%/*}"/* | wc -c) bytes received"
sleep 1
kill -KILL $mid
rc=0
wait $rec || rc=$?
expect_eq "exit status after the receiver was killed mid-transfer" 1 "$rc"
grep -qxF "ktracectl: snapshot: output 'snapshot-0' (net://127.0.0.1:5393): connection lost: the receiver closed it" /tmp/mid.err ||
	fail "killed mid-transfer: '$(cat /tmp/mid.err)'"
echo "ok: killed mid-transfer: $(cat /tmp/mid.err)"
[ -z "$(ls /tmp/mid$caught/ktrace-vm/big)" ] ||
	fail "a complete-looking snapshot after the kill: $(ls /tmp/mid$caught/ktrace-vm/big)"
ktracectl snapshot -s big -n after net://127.0.0.1:$PORT >/dev/null ||
	fail "snapshot after the mid-transfer kill: exit $?"
echo "ok: the whole snapshot: $(cat $RECV/ktrace-vm/big/after-*/kernel/* | wc -c) bytes"
ktracectl destroy big >/dev/null

# Nothing stuck: the session records again, locally and to a receiver.
before=$(ls $LOCAL | wc -l)
ktracectl snapshot -s r $LOCAL >/dev/null || fail "local snapshot after the failures: exit $?"
expect_eq "local snapshots after the failures" $((before + 1)) "$(ls $LOCAL | wc -l)"
ktracectl snapshot -s r -n again net://127.0.0.1:$PORT >/dev/null ||
	fail "net:// snapshot after the failures: exit $?"
[ -f $RECV/ktrace-vm/r/again-*/kernel/metadata ] || fail "no snapshot 'again' received"
echo "ok: the session records again, locally and over the network"

# create -o net://: the session's one output is the receiver.
ktracectl create r2 --snapshot -o net://127.0.0.1:$PORT
ktracectl enable-event -s r2 sched_switch
ktracectl start r2
ktracectl snapshot -s r2 >/tmp/r2.out || fail "create -o net://: exit $?"
cat /tmp/r2.out
[ -f $RECV/ktrace-vm/r2/snapshot-1-*/kernel/metadata ] ||
	fail "create -o net://: nothing received"
echo "ok: create -o net:// records to the receiver"
ktracectl destroy r2

ktracectl destroy r
kill $good
unload_ktrace
echo "PASS"
