# Autoload on an installed system: with ktrace.ko in a depmod'ed module
# tree (/lib/modules/<release>/updates/, as make install and DKMS put it)
# and the kernel's modprobe helper pointing at busybox modprobe, the first
# ktracectl command loads the module through its genl family alias, and
# rmmod afterwards is clean. Without the tree, the command says how to
# load the module, exit 3. The scenario leaves no tree behind, so later
# scenarios see an unloaded module that nothing autoloads.
. /scenarios/lib.sh

NL="the ktrace module is not loaded (modprobe ktrace, or insmod module/ktrace.ko from a build tree)"
rel=$(uname -r)
tree=/lib/modules/$rel

[ ! -d /sys/module/ktrace ] || fail "ktrace is loaded before the scenario"
old_helper=$(cat /proc/sys/kernel/modprobe)
restore() {
	echo "$old_helper" >/proc/sys/kernel/modprobe
	rm -rf "$tree"
}
trap restore EXIT
echo /bin/modprobe >/proc/sys/kernel/modprobe

# No module installed: the kernel's modprobe finds nothing.
err 3 "ktracectl: list: $NL" ktracectl list

mkdir -p "$tree/updates"
cp "$KTRACE_MODULES/ktrace.ko" "$tree/updates/"
depmod || fail "depmod"
grep -q '^updates/ktrace.ko:' "$tree/modules.dep" || fail "modules.dep lacks ktrace"
expect_eq "genl family alias" "alias net-pf-16-proto-16-family-ktrace ktrace" \
	"$(grep -- '-family-ktrace ' "$tree/modules.alias")"
modinfo -F version "$tree/updates/ktrace.ko" >/tmp/version
[ -s /tmp/version ] || fail "no MODULE_VERSION"
echo "ok: module version $(cat /tmp/version)"

[ ! -d /sys/module/ktrace ] || fail "ktrace loaded before any command"
ktracectl list >/tmp/stdout 2>/tmp/stderr || fail "list did not autoload: $(cat /tmp/stderr)"
[ ! -s /tmp/stderr ] || fail "list: stderr: $(cat /tmp/stderr)"
sed 's/^/  | /' /tmp/stdout
[ -d /sys/module/ktrace ] || fail "list succeeded but ktrace is not loaded"
[ -c /dev/ktrace ] || fail "/dev/ktrace missing after autoload"
echo "ok: ktracectl list autoloaded ktrace"

# The autoloaded module works: README.md's "On a real machine" commands,
# as they are there (tests/install/install.sh checks that they are).
mkdir -p /var/tmp
# README commands begin
ktracectl create demo --snapshot -o /var/tmp/traces
ktracectl enable-event sched_switch,sched_wakeup,irq_*
ktracectl start
ktracectl snapshot -m 8M
ktracectl destroy
# README commands end
ls /var/tmp/traces/snapshot-1-*-0/kernel/metadata >/dev/null ||
	fail "the README's snapshot wrote no trace"
echo "ok: the README's commands ran"

unload_ktrace
[ ! -d /sys/module/ktrace ] || fail "ktrace still loaded after rmmod"
[ ! -e /dev/ktrace ] || fail "/dev/ktrace still exists after rmmod"
echo "autoload: all checks passed"
