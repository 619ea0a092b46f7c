# The generic netlink family end to end: genl-e2e (uapi header and libnl
# only) drives sessions, channels, events, contexts, outputs and
# notifications, checks extended-ack refusals and EPERM for an
# unprivileged process; ktnl-e2e checks ktracectl's client library.
. /scenarios/lib.sh

# A scenario that failed before this one may have left the module loaded.
if grep -q '^ktrace ' /proc/modules; then
	echo "ktrace was left loaded: unloading it first"
	rmmod ktrace || fail "rmmod of a leftover ktrace"
fi
load_ktrace
genl-e2e || fail "genl-e2e reported failures"
ktnl-e2e || fail "ktnl-e2e reported failures"
unload_ktrace
echo "genl: all checks passed"
