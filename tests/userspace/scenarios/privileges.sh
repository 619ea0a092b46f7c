# Privileges: uid 0 with every capability dropped cannot open /dev/ktrace
# (the mode bits let it through, the module's capability check does not)
# nor use the netlink family, and ktracectl says what is missing; uid 0
# with CAP_PERFMON alone may do both. setpriv is util-linux's (busybox's
# cannot clear the bounding set, which root's exec would otherwise refill
# the capabilities from); its full path, since busybox sh runs its own
# applet for a bare "setpriv".
. /scenarios/lib.sh

PERM="ktrace needs CAP_PERFMON or CAP_SYS_ADMIN"

# Run as uid 0 with no capability at all, or with CAP_PERFMON only.
no_caps() {
	/bin/setpriv --inh-caps=-all --ambient-caps=-all --bounding-set=-all "$@"
}
perfmon_only() {
	/bin/setpriv --inh-caps=-all,+perfmon --ambient-caps=-all,+perfmon \
		--bounding-set=-all,+perfmon "$@"
}

# The effective capability set of the command's own process.
cap_eff() {
	"$@" awk '/^CapEff:/ { print $2 }' /proc/self/status
}

load_ktrace
expect_eq "uid under no_caps" 0 "$(no_caps id -u)"
expect_eq "CapEff under no_caps" 0000000000000000 "$(cap_eff no_caps)"
# CAP_PERFMON is bit 38.
expect_eq "CapEff under perfmon_only" 0000004000000000 "$(cap_eff perfmon_only)"

# /dev/ktrace: refused without a capability, whatever the mode bits say.
rc=0
no_caps sh -c 'exec 3<>/dev/ktrace' 2>/tmp/stderr || rc=$?
[ "$rc" != 0 ] || fail "uid 0 without capabilities opened /dev/ktrace"
grep -q "Operation not permitted" /tmp/stderr ||
	fail "open of /dev/ktrace without capabilities: $(cat /tmp/stderr)"
echo "ok: uid 0 without capabilities: open(/dev/ktrace): EPERM"
err 1 "ktracectl: version: /dev/ktrace: $PERM" no_caps ktracectl version

# The netlink family refuses the same caller.
ktracectl create priv --snapshot -o /tmp/priv >/dev/null ||
	fail "ktracectl create as root"
ktracectl start priv >/dev/null || fail "ktracectl start as root"
err 1 "ktracectl: list: $PERM" no_caps ktracectl list
err 1 "ktracectl: snapshot: session 'priv': $PERM" no_caps ktracectl snapshot -s priv
[ ! -e /tmp/priv ] || fail "a refused snapshot wrote $(ls /tmp/priv)"

# CAP_PERFMON is enough for both.
err 0 "" perfmon_only ktracectl version
# The module answered its API ioctl: "module V, ABI N, features 0x...".
grep -q '^module [^ ]*, ABI [0-9]*, features 0x' /tmp/stdout ||
	fail "version: $(cat /tmp/stdout)"
err 0 "" perfmon_only ktracectl snapshot -s priv
ls /tmp/priv/snapshot-1-*/kernel/metadata >/dev/null ||
	fail "no snapshot from the CAP_PERFMON caller: $(ls -R /tmp/priv)"
echo "ok: uid 0 with CAP_PERFMON only records a snapshot"

ktracectl destroy priv >/dev/null || fail "ktracectl destroy"
unload_ktrace
echo "privileges: all checks passed"
