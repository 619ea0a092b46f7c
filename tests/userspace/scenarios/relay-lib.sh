# A helper of the scenarios that run ktrace-relayd in the VM (relay,
# stream-net); sourced after lib.sh.

# relayd NAME ARGS...: start a receiver, wait until it listens.
relayd() {
	log=/tmp/$1.log
	shift
	ktrace-relayd "$@" 2>"$log" &
	rpid=$!
	i=0
	until grep -q "receiving into" "$log"; do
		i=$((i + 1))
		[ $i -lt 50 ] || fail "ktrace-relayd did not start: $(cat "$log")"
		sleep 0.1
	done
}
