# A normal session streamed to ktrace-relayd (issue 16), end to end over
# loopback in the VM: create -o net://127.0.0.1, N ktrace_test events over
# two start/stop runs (the second consumer continues the trace on the
# receiver), destroy; the bytes stop reports are the bytes received, the
# receiver's files are whole packets (stream-net.host reads them with
# babeltrace2: exactly N ktrace_test events, in order). Rotation
# (--tracefile-size/count) on the receiver; record -o net://; view says
# where the trace is. Failures, each one line naming the output: nothing
# listening, a wrong token, an existing trace, a full receiver, a silent
# one (SIGSTOP), one stopped then killed mid-stream: stop and destroy
# return promptly, the session starts again.
. /scenarios/lib.sh
. /scenarios/relay-lib.sh

N=${STREAM_NET_EVENTS:-20000}
PAYLOAD=0x6b74726163650020
TOKEN=/tmp/relay.token
RECV=/tmp/recv
PORT=5390
HOST=ktrace-vm

# fire SEQ COUNT: COUNT ktrace_test events from SEQ on, on CPU 0.
fire() {
	snapshot-load fire 0 "$1" 500 $PAYLOAD $(($2 / 500)) 2000 ||
		fail "fire $1 $2"
}

# whole DIR: every stream file in DIR is whole packets (magic, size).
whole() {
	for f in "$1"/channel0_*; do
		[ -s "$f" ] || continue
		size=$(stat -c %s "$f")
		off=0
		while [ "$off" -lt "$size" ]; do
			magic=$(od -An -tx4 -j "$off" -N4 "$f" | tr -d ' ')
			[ "$magic" = c1fc1fc1 ] || fail "$f: no packet at byte $off"
			bits=$(od -An -tu8 -j $((off + 56)) -N8 "$f" | tr -d ' ')
			off=$((off + bits / 8))
		done
		[ "$off" = "$size" ] || fail "$f: a partial packet at its end"
	done
	echo "ok: $1: whole packets only"
}

# secs CMD...: runs CMD, prints how long it took (s) to /tmp/secs.
secs() {
	t0=$(date +%s)
	rc=0
	"$@" || rc=$?
	echo $(($(date +%s) - t0)) >/tmp/secs
	return $rc
}

ip link set lo up 2>/dev/null || ifconfig lo 127.0.0.1 up ||
	fail "cannot bring loopback up"
load_ktrace
echo "stream-net-vm-token-0123456789" >$TOKEN
export KTRACE_RELAY_TOKEN_FILE=$TOKEN
relayd good --listen 127.0.0.1:$PORT --output-dir $RECV --token-file $TOKEN
good=$rpid

# --- N events over two runs: the second consumer continues the trace.
ktracectl create s -o net://127.0.0.1 >/tmp/out || fail "create -o net://"
grep -qx "Traces will be written in net://127.0.0.1" /tmp/out ||
	fail "create: $(cat /tmp/out)"
ktracectl enable-channel -s s --subbuf-size 64K --num-subbuf 8 channel0 >/dev/null
ktracectl enable-event -s s ktrace_test >/dev/null
ktracectl start s >/tmp/out || fail "start s"
grep -q "^Consumer [0-9]* writes the trace to net://127.0.0.1\$" /tmp/out ||
	fail "start: $(cat /tmp/out)"
grep -q "new stream $HOST/s " /tmp/good.log || fail "the receiver saw no stream"
fire 1 $((N / 2))
ktracectl stop s >/tmp/stop1.out || fail "stop: $(cat /tmp/stop1.out)"
cat /tmp/stop1.out
ktracectl start s >/dev/null || fail "start again"
fire $((N / 2 + 1)) $((N / 2))
ktracectl stop s >/tmp/stop2.out || fail "stop 2: $(cat /tmp/stop2.out)"
cat /tmp/stop2.out
grep -q "continuing stream $HOST/s " /tmp/good.log ||
	fail "the second consumer did not continue the trace"
e1=$(sed -n 's/^Trace written to .* packets, \([0-9]*\) events\.$/\1/p' /tmp/stop1.out)
e2=$(sed -n 's/^Trace written to .* packets, \([0-9]*\) events\.$/\1/p' /tmp/stop2.out)
expect_eq "events the consumers sent = events fired" "$N" $((e1 + e2))
b1=$(sed -n 's/^Trace written to .*: \([0-9]*\) bytes.*/\1/p' /tmp/stop1.out)
b2=$(sed -n 's/^Trace written to .*: \([0-9]*\) bytes.*/\1/p' /tmp/stop2.out)
received=$(cat $RECV/$HOST/s/kernel/channel0_* | wc -c)
expect_eq "bytes stop reports = bytes received" $((b1 + b2)) "$received"
grep -qx "Discarded events: 0" /tmp/stop2.out || fail "stop: events discarded"
must_fail_line "view" \
	"ktracectl: view: session s sends its trace to net://127.0.0.1: it is on that host, under ktrace-relayd's output directory, in $HOST/s/" \
	ktracectl view -s s
ktracectl destroy s >/dev/null || fail "destroy s"
grep -q "received stream $HOST/s: " /tmp/good.log ||
	fail "the receiver did not log the stream's end"
[ ! -e $RECV/$HOST/s/INTERRUPTED ] || fail "a complete stream marked INTERRUPTED"
whole $RECV/$HOST/s/kernel
ls -l $RECV/$HOST/s/kernel
mkdir -p "$KTRACE_OUT/s"
cp -r $RECV/$HOST/s/kernel "$KTRACE_OUT/s/"

# --- Rotation on the receiver: 64 KiB files, 3 kept.
ktracectl create rot -o net://127.0.0.1:$PORT >/dev/null
ktracectl enable-channel -s rot --subbuf-size 16K --num-subbuf 8 \
	--tracefile-size 64K --tracefile-count 3 channel0 >/dev/null ||
	fail "enable-channel --tracefile-size"
ktracectl enable-event -s rot ktrace_test >/dev/null
ktracectl start rot >/dev/null || fail "start rot"
fire 1 20000
ktracectl destroy rot >/tmp/rot.out || fail "destroy rot: $(cat /tmp/rot.out)"
ls -l $RECV/$HOST/rot/kernel
n0=$(ls $RECV/$HOST/rot/kernel | grep -c '^channel0_0_[0-9]*$')
expect_eq "rotated files kept on CPU 0" 3 "$n0"
for f in $RECV/$HOST/rot/kernel/channel0_*_*; do
	[ "$(stat -c %s "$f")" -le 65536 ] || fail "$f: over the tracefile size"
done
whole $RECV/$HOST/rot/kernel
echo "ok: rotation honoured on the receiver"
cp -r $RECV/$HOST/rot/kernel "$KTRACE_OUT/rot"

# --- record -o net://.
ktracectl record -o net://127.0.0.1 -e ktrace_test -- \
	snapshot-load fire 0 1 1000 $PAYLOAD >/tmp/rec.out || fail "record -o net://"
cat /tmp/rec.out
rec=$(sed -n "s|^Trace: net://127.0.0.1/$HOST/\\(record-[0-9-]*\\) (on the receiver, under its output directory)\$|\\1|p" /tmp/rec.out)
[ -n "$rec" ] || fail "record printed no net:// trace line"
[ -s $RECV/$HOST/$rec/kernel/metadata ] || fail "record: nothing received"
cp -r $RECV/$HOST/$rec/kernel "$KTRACE_OUT/rec"

# --- Failures at start: nothing listening, a wrong token, an existing trace.
ktracectl create f -o net://127.0.0.1:5399 >/dev/null
ktracectl enable-event -s f ktrace_test >/dev/null
must_fail_line "connection refused" \
	"ktracectl: start: output net://127.0.0.1:5399: connection refused" \
	ktracectl start f
ktracectl destroy f >/dev/null
ktracectl create t -o net://127.0.0.1 >/dev/null
ktracectl enable-event -s t ktrace_test >/dev/null
head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' >/tmp/bad.token
KTRACE_RELAY_TOKEN_FILE=/tmp/bad.token must_fail_line "wrong token" \
	"ktracectl: start: output net://127.0.0.1: authentication failed: wrong token" \
	ktracectl start t
ktracectl destroy t >/dev/null
ktracectl create s -o net://127.0.0.1 >/dev/null
ktracectl enable-event -s s ktrace_test >/dev/null
must_fail_line "an existing trace" \
	"ktracectl: start: output net://127.0.0.1: exists on the receiver: $HOST/s holds a trace already" \
	ktracectl start s
ktracectl destroy s >/dev/null

# --- A full receiver mid-stream: stop says so, the session is not stuck.
relayd small --listen 127.0.0.1:5391 --output-dir /tmp/small \
	--token-file $TOKEN --max-bytes 40K
small=$rpid
ktracectl create full -o net://127.0.0.1:5391 >/dev/null
ktracectl enable-channel -s full --subbuf-size 16K --num-subbuf 8 channel0 >/dev/null
ktracectl enable-event -s full ktrace_test >/dev/null
ktracectl start full >/dev/null || fail "start full"
fire 1 4000
must_fail_line "receiver full" \
	"ktracectl: stop: output net://127.0.0.1:5391: receiver full; the received trace ends there, what came after was discarded" \
	ktracectl stop full
grep -q "^Trace sent to net://127.0.0.1:5391: [0-9]* bytes in [0-9]* packets, then sending stopped.\$" /tmp/must_fail.out ||
	fail "stop, full: $(cat /tmp/must_fail.out)"
[ -e /tmp/small/$HOST/full/INTERRUPTED ] || fail "the full stream is not marked INTERRUPTED"
cat /tmp/small/$HOST/full/INTERRUPTED
whole /tmp/small/$HOST/full/kernel
secs ktracectl destroy full >/dev/null || fail "destroy full"
[ "$(cat /tmp/secs)" -le 5 ] || fail "destroy after a full receiver took $(cat /tmp/secs) s"
kill $small

# --- A receiver that stops answering (SIGSTOP): timed out, within
# KTRACE_RELAY_TIMEOUT (the consumer's, from start's environment).
relayd frozen --listen 127.0.0.1:5394 --output-dir /tmp/frozen --token-file $TOKEN
frozen=$rpid
ktracectl create z -o net://127.0.0.1:5394 >/dev/null
ktracectl enable-event -s z ktrace_test >/dev/null
KTRACE_RELAY_TIMEOUT=2 ktracectl start z >/dev/null || fail "start z"
fire 1 1000
kill -STOP $frozen
fire 1001 1000
must_fail_line "silent receiver" \
	"ktracectl: stop: output net://127.0.0.1:5394: timed out; the received trace ends there, what came after was discarded" \
	secs ktracectl stop z
[ "$(cat /tmp/secs)" -le 6 ] || fail "stop with a silent receiver took $(cat /tmp/secs) s"
echo "ok: stop returned in $(cat /tmp/secs) s"
secs ktracectl destroy z >/dev/null || fail "destroy z"
[ "$(cat /tmp/secs)" -le 5 ] || fail "destroy z took $(cat /tmp/secs) s"
kill -KILL $frozen
wait $frozen 2>/dev/null || true

# --- The receiver stopped, then killed, mid-stream.
relayd victim --listen 127.0.0.1:5392 --output-dir /tmp/victim --token-file $TOKEN
victim=$rpid
ktracectl create k -o net://127.0.0.1:5392 >/dev/null
ktracectl enable-channel -s k --subbuf-size 16K --num-subbuf 8 channel0 >/dev/null
ktracectl enable-event -s k ktrace_test >/dev/null
KTRACE_RELAY_TIMEOUT=3 ktracectl start k >/dev/null || fail "start k"
pid=$(ktracectl list k | sed -n 's/^Consumer: pid \([0-9]*\),.*/\1/p')
fire 1 1000
kill -STOP $victim
fire 1001 2000
sleep 1
kill -KILL $victim
wait $victim 2>/dev/null || true
fire 3001 1000
must_fail_line "receiver killed" \
	"ktracectl: stop: output net://127.0.0.1:5392: connection lost; the received trace ends there, what came after was discarded" \
	secs ktracectl stop k
[ "$(cat /tmp/secs)" -le 5 ] || fail "stop after the receiver died took $(cat /tmp/secs) s"
echo "ok: stop returned in $(cat /tmp/secs) s"
whole /tmp/victim/$HOST/k/kernel
# No sub-buffer held: a new receiver, the session streams again, whole.
relayd back --listen 127.0.0.1:5392 --output-dir /tmp/back --token-file $TOKEN
back=$rpid
ktracectl start k >/dev/null || fail "start k after the receiver died"
[ "$(ktracectl list k | sed -n 's/^Consumer: pid \([0-9]*\),.*/\1/p')" != "$pid" ] ||
	fail "the consumer was not replaced"
fire 5001 2000
ktracectl stop k >/tmp/stopk.out || fail "stop k with a new receiver: $(cat /tmp/stopk.out)"
grep -qx "Discarded events: 0" /tmp/stopk.out || fail "stop k: events discarded"
secs ktracectl destroy k >/dev/null || fail "destroy k"
[ "$(cat /tmp/secs)" -le 5 ] || fail "destroy k took $(cat /tmp/secs) s"
whole /tmp/back/$HOST/k/kernel
cp -r /tmp/back/$HOST/k/kernel "$KTRACE_OUT/k"
kill $back $good

unload_ktrace
cat >"$KTRACE_OUT/expect" <<EOF
events $N
payload $PAYLOAD
EOF
echo "stream-net: all checks passed"
