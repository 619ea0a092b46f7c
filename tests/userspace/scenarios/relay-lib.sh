# Helpers of the scenarios that run ktrace-relayd in the VM (relay,
# stream-net); sourced after lib.sh.

# must_fail WHAT TEXT CMD...: CMD exits 1 and its stderr has the line TEXT.
must_fail() {
	what=$1 text=$2
	shift 2
	rc=0
	"$@" >/tmp/must_fail.out 2>/tmp/must_fail.err || rc=$?
	[ "$rc" = 1 ] || fail "$what: exit $rc, expected 1 ($(cat /tmp/must_fail.err))"
	grep -qxF -- "$text" /tmp/must_fail.err ||
		fail "$what: '$(cat /tmp/must_fail.err)' has no line '$text'"
	echo "ok: $what: $(tr '\n' '|' </tmp/must_fail.err)"
}

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
