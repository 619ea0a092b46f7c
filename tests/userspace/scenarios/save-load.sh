# ktracectl save and load: a session with non-default channels, contexts,
# enabled and disabled events and two snapshot outputs is saved, destroyed
# and loaded again; `list NAME --json` then shows the same session (its
# global id aside), a second save writes the same file byte for byte, and
# the loaded session starts and snapshots into its outputs. Broken files
# and refusals give their exact one-line messages and exit status, and a
# file the module refuses a part of leaves no session behind.
. /scenarios/lib.sh

# session_json NAME FILE: `list NAME --json` without the session's id,
# which a new session never shares with the old one.
session_json() {
	ktracectl list "$1" --json | sed '/^      "id": [0-9]*,$/d' >"$2" ||
		fail "list $1 --json"
}

load_ktrace
cd /tmp
mkdir -p /etc/ktrace /tmp/traces /tmp/traces2

k() { ktracectl "$@" >/dev/null || fail "ktracectl $*"; }
k create boot --snapshot -o /tmp/traces
k enable-channel -s boot --overwrite --subbuf-size 64k --num-subbuf 8 \
	--switch-timer 200000 --output mmap big
k enable-channel -s boot --discard --subbuf-size 4k --num-subbuf 2 small
k add-context -s boot -c big -t pid -t procname
k add-context -s boot -c small -t cpu_id
k enable-event -s boot -c big sched_switch,sched_wakeup,sched_process_exit
k disable-event -s boot -c big sched_wakeup
k enable-event -s boot -c small irq_handler_entry
k snapshot add-output -s boot -m 1M -n second /tmp/traces2
session_json boot /tmp/before.json
grep -q '"pid"' /tmp/before.json || fail "list --json shows no contexts: $(cat /tmp/before.json)"

exits 0 ktracectl save boot -o /etc/ktrace/boot.json
expect_eq "save -o" "Session boot saved to /etc/ktrace/boot.json." "$(cat /tmp/stdout)"
sed 's/^/  | /' /etc/ktrace/boot.json
exits 0 ktracectl save -s boot
cmp -s /tmp/stdout /etc/ktrace/boot.json || fail "save to stdout differs from save -o"
echo "ok: save to stdout is the file"

k destroy boot
exits 0 ktracectl load /etc/ktrace/boot.json
expect_eq "load" "Session boot loaded from /etc/ktrace/boot.json." "$(cat /tmp/stdout)"
session_json boot /tmp/after.json
if ! cmp -s /tmp/before.json /tmp/after.json; then
	diff /tmp/before.json /tmp/after.json || true
	fail "the loaded session's list --json differs"
fi
echo "ok: list boot --json is the same after save, destroy, load"
ktracectl save boot -o /tmp/again.json >/dev/null || fail "save again"
cmp -s /etc/ktrace/boot.json /tmp/again.json || fail "a second save differs"
echo "ok: saving the loaded session gives the same file"

k start boot
sleep 1
k snapshot -s boot
k stop boot
ls /tmp/traces/*/kernel/metadata /tmp/traces2/*/kernel/metadata >/dev/null 2>&1 ||
	fail "the loaded session's snapshot wrote no trace in both outputs"
echo "ok: the loaded session records snapshots into both outputs"

# --override-name: the same session under another name.
exits 0 ktracectl load /etc/ktrace/boot.json --override-name copy
expect_eq "load --override-name" "Session copy loaded from /etc/ktrace/boot.json." "$(cat /tmp/stdout)"
ktracectl list copy --json | sed '/^      "id": [0-9]*,$/d; s/"copy"/"boot"/' >/tmp/copy.json
cmp -s /tmp/before.json /tmp/copy.json || fail "the copy's list --json differs"
echo "ok: the copy has the same channels and events"
k destroy copy

# --- Errors: exact messages and exit status.
err 2 "ktracectl: load: missing session file" ktracectl load
err 1 "ktracectl: load: /nonexistent.json: No such file or directory" \
	ktracectl load /nonexistent.json
err 1 "ktracectl: load: boot: a session of that name exists" \
	ktracectl load /etc/ktrace/boot.json
err 2 "ktracectl: load: invalid session name 'a b': use 1 to 64 characters from A-Z a-z 0-9 _ . -" \
	ktracectl load /etc/ktrace/boot.json --override-name "a b"
printf '{\n  "format": 1,\n}\n' >/tmp/bad.json
err 1 "ktracectl: load: /tmp/bad.json:3:1: string or '}' expected near '}'" \
	ktracectl load /tmp/bad.json
printf '{"format": 1, "name": "x", "colour": "red"}\n' >/tmp/bad.json
err 1 "ktracectl: load: /tmp/bad.json: unknown key 'colour' at the top level" \
	ktracectl load /tmp/bad.json
printf '{"format": 2, "name": "x"}\n' >/tmp/bad.json
err 1 "ktracectl: load: /tmp/bad.json: format: version 2 is not supported (this ktracectl reads version 1)" \
	ktracectl load /tmp/bad.json
printf '{"format": 1, "name": "x", "channels": [{"name": "c", "num_subbuf": 3}]}\n' >/tmp/bad.json
err 1 "ktracectl: load: /tmp/bad.json: channels[0].num_subbuf: must be a power of two from 2 to 2147483648, not 3" \
	ktracectl load /tmp/bad.json
# Valid, but the module refuses its event: no session is left.
printf '{"format": 1, "name": "x", "channels": [{"name": "c", "events": [{"name": "sched_switch"}, {"name": "no_such_event"}]}]}\n' >/tmp/bad.json
err 1 "ktracectl: load: channel c: event no_such_event: no event matches" \
	ktracectl load /tmp/bad.json
ktracectl list x >/dev/null 2>&1 && fail "a refused load left session x behind"
echo "ok: a refused load leaves no session"

# What ktrace-recorder@boot.service runs when systemd starts and stops it
# (tests/install/systemd.sh checks that these are the unit's commands).
k destroy boot
# unit start commands begin
ktracectl load /etc/ktrace/boot.json --override-name boot
ktracectl start boot
# unit start commands end
ktracectl list --json | grep -q '"state": "active"' ||
	fail "the unit's start commands left boot inactive: $(ktracectl list)"
echo "ok: the unit's start commands load and start boot"
# unit stop commands begin
ktracectl destroy boot
# unit stop commands end
err 1 "ktracectl: save: no session exists: create one with 'ktracectl create NAME'" ktracectl save
unload_ktrace
echo "save-load: all checks passed"
