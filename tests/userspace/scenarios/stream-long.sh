# A long streaming run (issue 14): STREAM_LONG_S seconds (60 in make
# check) of ktrace_test events on CPU 0 at a steady pace, plus syscalls
# on every CPU, streamed by the consumer. stop must report 0 discarded
# events; stream-long.host counts what babeltrace2 reads: offered =
# written + discarded, exactly.
. /scenarios/lib.sh

SECONDS_=${STREAM_LONG_S:-60}
PAYLOAD=0x6b74726163650016
T=/tmp/long

load_ktrace
ktracectl create l -o $T >/dev/null
ktracectl enable-channel -s l --subbuf-size 256K --num-subbuf 8 channel0 >/dev/null
ktracectl enable-event -s l ktrace_test >/dev/null
ktracectl start l >/dev/null || fail "start l"
end=$(($(date +%s) + SECONDS_))
seq=1
lag=0
while [ "$(date +%s)" -lt $end ]; do
	snapshot-load fire 0 $seq 500 $PAYLOAD 10 10000 || fail "fire"
	seq=$((seq + 5000))
	l=$(ktracectl list --json l | sed -n 's/^ *"lag": \([0-9]*\),*$/\1/p')
	[ "${l:-0}" -le "$lag" ] || lag=$l
done
offered=$((seq - 1))
ktracectl stop l >/tmp/stop.out || fail "stop l: $(cat /tmp/stop.out)"
cat /tmp/stop.out
discarded=$(sed -n 's/^Discarded events: \([0-9]*\).*/\1/p' /tmp/stop.out)
echo "long run: $offered events offered in $SECONDS_ s, $discarded discarded, highest lag seen $lag bytes"
ktracectl list l | grep '^Consumer'
ktracectl destroy l >/dev/null
du -sk $T
cp -r $T "$KTRACE_OUT/long"
unload_ktrace
printf 'offered %s\ndiscarded %s\n' "$offered" "$discarded" >"$KTRACE_OUT/expect"
expect_eq "discarded events" 0 "$discarded"
echo "stream-long: all checks passed"
