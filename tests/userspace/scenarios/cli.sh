# ktracectl's command line, end to end: every command's success path and
# what it prints, every error path's exact message and exit status (2 for
# a wrong command line, 1 for a refusal, 3 without the module), choosing
# the session with and without -s, relative output paths made absolute,
# the --json outputs parsed by a JSON checker, and the permission error of
# an unprivileged user. snapshot record itself is the snapshot scenario's.
. /scenarios/lib.sh

NL="the ktrace module is not loaded (modprobe ktrace, or insmod module/ktrace.ko from a build tree)"
PERM="ktrace needs CAP_PERFMON or CAP_SYS_ADMIN"

# ok CMD...: CMD succeeds and prints nothing on stderr; its output goes
# to the log.
ok() {
	exits 0 "$@"
	[ ! -s /tmp/stderr ] || fail "$*: stderr: $(cat /tmp/stderr)"
	echo "ok: $*"
	sed 's/^/  | /' /tmp/stdout
}

# has LINE: stdout has exactly this line.
has() {
	grep -qxF -- "$1" /tmp/stdout ||
		fail "no line '$1' in the output of the last command: $(cat /tmp/stdout)"
}

# first LINE: stdout starts with this line.
first() {
	expect_eq "first line" "$1" "$(head -n 1 /tmp/stdout)"
}

# json_valid: stdout is one JSON value (RFC 8259), checked by a small
# recursive-descent parser (busybox has neither jq nor python).
json_valid() {
	awk '
	function fail(m) {
		if (!bad)
			printf "invalid JSON: %s at offset %d\n", m, pos > "/dev/stderr"
		bad = 1
		pos = n + 2
		return 0
	}
	function ws() {
		while (pos <= n && index(" \t\n\r", substr(s, pos, 1)))
			pos++
	}
	function str(   c) {
		pos++
		while (pos <= n) {
			c = substr(s, pos, 1)
			if (c == "\"") {
				pos++
				return 1
			}
			if (c == "\\") {
				c = substr(s, pos + 1, 1)
				if (c == "u") {
					if (substr(s, pos + 2, 4) !~ /^[0-9a-fA-F][0-9a-fA-F][0-9a-fA-F][0-9a-fA-F]$/)
						return fail("bad \\u escape")
					pos += 6
				} else if (index("\"\\/bfnrt", c)) {
					pos += 2
				} else {
					return fail("bad escape")
				}
				continue
			}
			if (c < " ")
				return fail("control character in a string")
			pos++
		}
		return fail("unterminated string")
	}
	function members(cl,   c) {
		pos++
		ws()
		if (substr(s, pos, 1) == cl) {
			pos++
			return 1
		}
		for (;;) {
			ws()
			if (cl == "}") {
				if (substr(s, pos, 1) != "\"")
					return fail("key expected")
				if (!str())
					return 0
				ws()
				if (substr(s, pos, 1) != ":")
					return fail("colon expected")
				pos++
			}
			if (!value())
				return 0
			ws()
			c = substr(s, pos, 1)
			pos++
			if (c == cl)
				return 1
			if (c != ",")
				return fail("comma or " cl " expected")
		}
	}
	function value(   c, rest) {
		ws()
		c = substr(s, pos, 1)
		if (c == "{")
			return members("}")
		if (c == "[")
			return members("]")
		if (c == "\"")
			return str()
		rest = substr(s, pos)
		if (rest ~ /^true/) { pos += 4; return 1 }
		if (rest ~ /^false/) { pos += 5; return 1 }
		if (rest ~ /^null/) { pos += 4; return 1 }
		if (match(rest, /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?/)) {
			pos += RLENGTH
			return 1
		}
		return fail("value expected")
	}
	{ s = s $0 "\n" }
	END {
		n = length(s)
		pos = 1
		if (value()) {
			ws()
			if (pos <= n)
				fail("text after the value")
		}
		exit bad
	}' /tmp/stdout || fail "the last command printed invalid JSON: $(cat /tmp/stdout)"
	echo "ok: valid JSON"
}

# The checker itself refuses what it must.
for bad in '{"a": 1,}' '{"a" 1}' '[1 2]' '{"a": "x' '{} {}' '"\q"' '{"a": tru}'; do
	printf '%s\n' "$bad" >/tmp/stdout
	if (json_valid) >/dev/null 2>&1; then
		fail "json_valid accepted $bad"
	fi
done
printf '{"a": [1, -2.5e3, true, false, null, "\\u00e9\\n"], "b": {}}\n' >/tmp/stdout
json_valid

# --- Without the module: exit 3, but a wrong command line is still 2.
err 3 "ktracectl: list: $NL" ktracectl list
err 3 "ktracectl: status: $NL" ktracectl status
err 3 "ktracectl: list-events: $NL" ktracectl list-events --json
err 3 "ktracectl: create: $NL" ktracectl create a
err 3 "ktracectl: start: $NL" ktracectl start
err 3 "ktracectl: snapshot: $NL" ktracectl snapshot
err 3 "ktracectl: snapshot add-output: $NL" ktracectl snapshot add-output /tmp/x
err 3 "ktracectl: version: $NL" ktracectl version
expect_eq "version without the module" "ktracectl 0.1, ABI 3" "$(cat /tmp/stdout)"
err 3 "ktracectl: create: $NL" ktracectl create
err 2 "ktracectl: unknown command 'frobnicate' (see ktracectl help)" \
	ktracectl frobnicate
ok ktracectl create --help
first "usage: ktracectl create [NAME] [--snapshot] [-o PATH | --no-output]"
ok ktracectl snapshot --help
has "  add-output   add a snapshot output"
ok ktracectl snapshot record --help
first "usage: ktracectl snapshot [record] [-s S] [-m SIZE] [-n NAME] [--policy equal|window] [--no-statedump] [--json] [PATH]"
ok ktracectl help enable-channel
has "  --num-subbuf N      sub-buffers per CPU: a power of two, at least 2"

load_ktrace
cd /tmp
cpus=$(awk -F- '{ print $NF + 1 }' /sys/devices/system/cpu/possible)

# --- No session.
ok ktracectl version
first "ktracectl 0.1, ABI 3"
grep -qx "module $(cat /sys/module/ktrace/version), ABI 3, features 0x[0-9a-f]*" /tmp/stdout ||
	fail "version: no module line: $(cat /tmp/stdout)"
ok ktracectl list
has "No sessions."
ok ktracectl list --json
json_valid
expect_eq "list --json, no session" "$(printf '{\n  "sessions": []\n}')" \
	"$(cat /tmp/stdout)"
ok ktracectl status
has "No sessions."
err 1 "ktracectl: start: no session exists: create one with 'ktracectl create NAME'" \
	ktracectl start
err 1 "ktracectl: destroy: no session exists: create one with 'ktracectl create NAME'" \
	ktracectl destroy
ok ktracectl destroy --all
has "No sessions to destroy."

# --- The events.
ok ktracectl list-events
events=$(grep -c '^  [a-z]' /tmp/stdout)
available=$(grep -c '^  [a-z].* \[available\]$' /tmp/stdout)
first "Kernel events ($events, $available available on this kernel):"
has "  sched_switch [available]"
has "    prev_comm: char[16]"
has "    prev_tid: s32"
has "    prev_state: s64"
has "  ktrace_test [available]"
has "    seq: u64"
has "    payload: u64"
# What lttng-analyses-record enables, bound on every kernel ktrace builds for.
for e in block_bio_remap block_bio_backmerge block_dirty_buffer \
	mm_vmscan_wakeup_kswapd writeback_pages_written sched_pi_setprio; do
	has "  $e [available]"
done
has "    old_dev: u32"
has "    old_sector: u64"
has "    newprio: s32"
has "    pages: s64"
ok ktracectl list-events --json
json_valid
expect_eq "list-events --json events" "$events" \
	"$(grep -c '^      "available": ' /tmp/stdout)"
grep -q '^      "name": "sched_switch",$' /tmp/stdout || fail "no sched_switch in JSON"
awk '/"name": "prev_comm"/ { getline; t = $0; getline; s = $0; getline; getline; l = $0; exit }
     END { if (t !~ /"type": "text"/ || s !~ /"size": 1,/ || l !~ /"length": 16$/) exit 1 }' \
	/tmp/stdout || fail "prev_comm is not text of 16 in JSON"
# lttng list -k: the same list (quiet: compared, not logged).
cp /tmp/stdout /tmp/list-events.json
quiet() {
	exits 0 "$@"
	[ ! -s /tmp/stderr ] || fail "$*: stderr: $(cat /tmp/stderr)"
	echo "ok: $* ($(wc -l </tmp/stdout) lines)"
}
quiet ktracectl list -k --json
cmp -s /tmp/stdout /tmp/list-events.json || fail "list -k --json differs from list-events --json"
quiet ktracectl list-events -k --json
cmp -s /tmp/stdout /tmp/list-events.json || fail "list-events -k --json differs"
# The per-syscall events: lttng list -k --syscall.
quiet ktracectl list-events --syscall
sc_events=$(grep -c '^  [a-z]' /tmp/stdout)
first "Kernel system call events ($sc_events, $sc_events available on this kernel):"
has "  syscall_entry_openat [available]"
has "    filename: string"
has "  syscall_exit_openat [available]"
has "    ret: s64"
has "  syscall_entry_unknown [available]"
grep -q '^  sched_switch ' /tmp/stdout && fail "list-events --syscall lists sched_switch"
[ "$sc_events" -gt 500 ] || fail "only $sc_events system call events"
echo "ok: $sc_events system call events"
quiet ktracectl list -k --syscall --json
expect_eq "list -k --syscall --json events" "$sc_events" \
	"$(grep -c '^      "available": ' /tmp/stdout)"

# --- A snapshot session, its output given relative to the working
# directory (which does not exist yet: cwd + path).
ok ktracectl create a --snapshot -o traces/a
first "Session a created (snapshot mode)."
has "Snapshot output [1] snapshot-1: /tmp/traces/a (no max size)"
err 1 "ktracectl: create: a: a session of that name exists" ktracectl create a
err 2 "ktracectl: create: invalid output path 'net://h/x': a network output is net://HOST[:PORT] or net://[IPv6]:PORT" \
	ktracectl create b -o net://h/x
# A normal session streams to ktrace-relayd there (stream-net.sh).
ok ktracectl create b -o net://h
first "Session b created (normal mode)."
has "Traces will be written in net://h"
ok ktracectl destroy b
err 2 "ktracectl: create: invalid session name 'a b': use 1 to 64 characters from A-Z a-z 0-9 _ . -" \
	ktracectl create "a b"
# An output the kernel refuses leaves no session behind.
long=$(printf '%4091s' x | tr ' ' y)
err 1 "ktracectl: create: the output path is longer than 4095 bytes once made absolute" \
	ktracectl create b -o "$long"
ok ktracectl list
[ "$(grep -c '^b ' /tmp/stdout)" = 0 ] || fail "a failed create left session b"

# --- Channels; the only session needs no -s.
ok ktracectl enable-channel --subbuf-size 64k --num-subbuf 8 \
	--switch-timer 100000 --output mmap --discard big
has "Channel big created in session a: discard, 8 x 64 KiB sub-buffers per CPU, mmap output, switch timer 100000 us."
ok ktracectl enable-channel -k -s a ch2
has "Channel ch2 created in session a: overwrite, 4 x 1 MiB sub-buffers per CPU, splice output, switch timer off."
err 1 "ktracectl: enable-channel: big: the session has a channel of that name" \
	ktracectl enable-channel big
err 2 "ktracectl: enable-channel: --overwrite and --discard conflict" \
	ktracectl enable-channel --overwrite --discard c
err 2 "ktracectl: enable-channel: --num-subbuf must be a power of two from 2 to 2147483648, not '3'" \
	ktracectl enable-channel --num-subbuf 3 c
err 2 "ktracectl: enable-channel: --num-subbuf must be a power of two from 2 to 2147483648, not '0'" \
	ktracectl enable-channel --num-subbuf 0 c
err 2 "ktracectl: enable-channel: invalid size '1x' for --subbuf-size (e.g. 4096, 4k, 4KiB, 1M, 2G)" \
	ktracectl enable-channel --subbuf-size 1x c
err 2 "ktracectl: enable-channel: unknown option '--bogus'" \
	ktracectl enable-channel --bogus c
err 2 "ktracectl: enable-channel: option '--subbuf-size' needs a value" \
	ktracectl enable-channel c --subbuf-size

# --- Events: channel0 is created on first need.
ok ktracectl enable-event sched_switch,sched_wakeup
has "Kernel event sched_switch enabled in channel channel0 of session a."
has "Kernel event sched_wakeup enabled in channel channel0 of session a."
ok ktracectl enable-event -c big 'sched_*'
grep -qx "Kernel events matching 'sched_\*' enabled in channel big of session a ([0-9]* events)." \
	/tmp/stdout || fail "enable-event sched_*: $(cat /tmp/stdout)"
ok ktracectl enable-event -c ch2 -a
grep -qx "All kernel events enabled in channel ch2 of session a ($available events)." \
	/tmp/stdout || fail "enable-event -a: $(cat /tmp/stdout)"
err 1 "ktracectl: enable-event: no_such_event: no event matches" \
	ktracectl enable-event no_such_event
err 1 "ktracectl: enable-event: nochan: channel not found" \
	ktracectl enable-event -c nochan sched_switch
err 2 "ktracectl: enable-event: empty event name in 'sched_switch,,irq_handler_entry'" \
	ktracectl enable-event sched_switch,,irq_handler_entry
err 2 "ktracectl: enable-event: give event names or -a, not both" \
	ktracectl enable-event -a sched_switch
ok ktracectl disable-event sched_wakeup
has "Kernel event sched_wakeup disabled in channel channel0 of session a."
# lttng's spellings: -k, --syscall NAME[,NAME...], --syscall -a, globs.
ok ktracectl enable-event -k --syscall openat,read
has "Kernel system call openat enabled in channel channel0 of session a (entry and exit)."
has "Kernel system call read enabled in channel channel0 of session a (entry and exit)."
ok ktracectl list a
has "      syscall_entry_openat [enabled]"
has "      syscall_exit_openat [enabled]"
has "      syscall_entry_read [enabled]"
has "      syscall_exit_read [enabled]"
ok ktracectl enable-event --kernel --syscall 'clock_*'
grep -qx "Kernel system calls matching 'clock_\*' enabled in channel channel0 of session a ([0-9]* system calls, entry and exit)." \
	/tmp/stdout || fail "enable-event --syscall clock_*: $(cat /tmp/stdout)"
ok ktracectl enable-event -k -c ch2 --syscall -a
grep -qx "All kernel system calls enabled in channel ch2 of session a ([0-9]* system calls, entry and exit)." \
	/tmp/stdout || fail "enable-event --syscall -a: $(cat /tmp/stdout)"
err 1 "ktracectl: enable-event: syscall_entry_no_such_call: no event matches" \
	ktracectl enable-event -k --syscall no_such_call
err 2 "ktracectl: enable-event: missing system call names (NAME[,NAME...]) or -a" \
	ktracectl enable-event -k --syscall
ok ktracectl disable-event -k --syscall read
has "Kernel system call read disabled in channel channel0 of session a (entry and exit)."
ok ktracectl list a
has "      syscall_entry_read [disabled]"
has "      syscall_exit_read [disabled]"
has "      syscall_entry_openat [enabled]"
err 1 "ktracectl: regenerate statedump: a: session is not active" \
	ktracectl regenerate statedump
err 1 "ktracectl: disable-event: sched_wakeup: no enabled event of the channel matches" \
	ktracectl disable-event sched_wakeup

# --- Contexts.
ok ktracectl add-context -t pid -t procname
has "Context pid added to channel channel0 of session a."
has "Context procname added to channel channel0 of session a."
ok ktracectl add-context -k -c big -t cpu_id
has "Context cpu_id added to channel big of session a."
err 1 "ktracectl: add-context: pid: the channel records this context already" \
	ktracectl add-context -t pid
err 2 "ktracectl: add-context: unknown context type 'cycles' (pid, tid, ppid, procname, prio, vpid, vtid, cpu_id, hostname)" \
	ktracectl add-context -t cycles

# --- Snapshot outputs: an existing directory through a symlink is
# resolved; file:// URLs are kept.
mkdir -p /tmp/exist
ln -s /tmp/exist /tmp/link
ok ktracectl snapshot add-output -n out2 -m 8M link
first "Snapshot output added to session a:"
has "  [2] out2: /tmp/exist (max size: 8 MiB)"
ok ktracectl snapshot add-output file:///var/tmp/u
has "  [3] snapshot-3: file:///var/tmp/u (no max size)"
err 1 "ktracectl: snapshot add-output: out2: the session has an output of that name" \
	ktracectl snapshot add-output -n out2 /tmp/y
err 2 "ktracectl: snapshot add-output: invalid output path 'http://h:5342': only local paths, file:// and net:// URLs are supported" \
	ktracectl snapshot add-output http://h:5342
err 2 "ktracectl: snapshot add-output: --max-size must be more than 0" \
	ktracectl snapshot add-output -m 0 /tmp/y
ok ktracectl snapshot list-output
first "Snapshot outputs of session a:"
has "  [1] snapshot-1: /tmp/traces/a (no max size)"
has "  [2] out2: /tmp/exist (max size: 8 MiB)"
has "  [3] snapshot-3: file:///var/tmp/u (no max size)"
ok ktracectl snapshot list-output --json
json_valid
has '  "session": "a",'
has '      "name": "out2",'
has '      "dest": "/tmp/exist",'
has '      "max_size": 8388608'
ok ktracectl snapshot del-output 3
has "Snapshot output [3] snapshot-3 deleted from session a."
ok ktracectl snapshot del-output -s a out2
has "Snapshot output [2] out2 deleted from session a."
err 1 "ktracectl: snapshot del-output: 9: session a has no output of that id or name" \
	ktracectl snapshot del-output 9

# --- The session in detail.
ok ktracectl list a
first "Session a: snapshot mode, never-started, 0 snapshots recorded"
has "Channels:"
has "  big: discard, 8 x 64 KiB sub-buffers per CPU, mmap output, switch timer 100000 us"
has "  ch2: overwrite, 4 x 1 MiB sub-buffers per CPU, splice output, switch timer off"
has "  channel0: overwrite, 4 x 1 MiB sub-buffers per CPU, splice output, switch timer off"
has "    streams: $cpus, discarded events: 0, overwritten events: 0"
has "      sched_switch [enabled]"
has "      sched_wakeup [disabled]"
has "Snapshot outputs:"
has "  [1] snapshot-1: /tmp/traces/a (no max size)"
expect_eq "channel order" "big ch2 channel0" \
	"$(awk '/^  [a-z0-9]*: / { sub(":", "", $1); printf "%s%s", sep, $1; sep = " " }' /tmp/stdout)"
ok ktracectl list a --json
json_valid
has '      "name": "a",'
has '      "mode": "snapshot",'
has '      "state": "never-started",'
has "      \"streams\": $((3 * cpus)),"
has '          "name": "big",'
has '          "subbuf_size": 65536,'
has '          "num_subbuf": 8,'
has '          "switch_timer_us": 100000,'
has '          "output": "mmap",'
has '              "name": "sched_wakeup",'
has '              "enabled": false'
has '          "dest": "/tmp/traces/a",'
ok ktracectl status
first "Session a: snapshot mode, never-started, 0 snapshots recorded"
ok ktracectl list
awk -v c="$cpus" '$1 == "a" { found = 1
	if ($2 != "snapshot" || $3 != "never-started" || $4 != 3 || $5 != 3 * c)
		exit 1 }
	END { exit !found }' /tmp/stdout || fail "list: $(cat /tmp/stdout)"
grep -q '^NAME  MODE      STATE          CHANNELS  STREAMS  DISCARDED  OVERWRITTEN  SNAPSHOTS$' \
	/tmp/stdout || fail "list header: $(head -n 1 /tmp/stdout)"

# --- Start and stop; what is refused once started.
ok ktracectl start
has "Tracing started for session a."
err 1 "ktracectl: start: a: session is already active" ktracectl start a
err 1 "ktracectl: add-context: tid: contexts can only be added before the session's first start" \
	ktracectl add-context -t tid
err 1 "ktracectl: enable-channel: late: cannot add a channel to an active session" \
	ktracectl enable-channel late
ok ktracectl list a
first "Session a: snapshot mode, active, 0 snapshots recorded"
ok ktracectl stop
has "Tracing stopped for session a."
err 1 "ktracectl: stop: a: session is not active" ktracectl stop
err 1 "ktracectl: add-context: tid: contexts can only be added before the session's first start" \
	ktracectl add-context -t tid

# --- snapshot with no subcommand records, into the session's output.
ok ktracectl snapshot
ls -d /tmp/traces/a/snapshot-1-*/kernel >/dev/null ||
	fail "snapshot wrote no /tmp/traces/a/snapshot-1-*/kernel"
ok ktracectl snapshot record --policy window -m 64M --json
json_valid
err 2 "ktracectl: snapshot: invalid --policy 'fair': use equal or window" \
	ktracectl snapshot --policy fair
err 2 "ktracectl: snapshot record: --max-size must be more than 0" \
	ktracectl snapshot record -m 0
ok ktracectl list a
first "Session a: snapshot mode, stopped, 2 snapshots recorded"

# --- Two sessions: -s is needed.
ok ktracectl create b --no-output
first "Session b created (normal mode)."
err 1 "ktracectl: start: 2 sessions exist (a, b): choose one with -s" \
	ktracectl start
err 1 "ktracectl: enable-event: 2 sessions exist (a, b): choose one with -s" \
	ktracectl enable-event sched_switch
err 1 "ktracectl: snapshot: 2 sessions exist (a, b): choose one with -s" \
	ktracectl snapshot
err 1 "ktracectl: snapshot list-output: 2 sessions exist (a, b): choose one with -s" \
	ktracectl snapshot list-output
err 1 "ktracectl: destroy: 2 sessions exist (a, b): choose one with -s" \
	ktracectl destroy
ok ktracectl enable-channel -s b c
has "Channel c created in session b: discard, 4 x 1 MiB sub-buffers per CPU, splice output, switch timer off."
ok ktracectl status
has "Session a: snapshot mode, stopped, 2 snapshots recorded"
has "Session b: normal mode, never-started, 0 snapshots recorded"
ok ktracectl status --json
json_valid
expect_eq "sessions in status --json" 2 "$(grep -c '^      "name": ' /tmp/stdout)"
ok ktracectl list --json
json_valid
expect_eq "sessions in list --json" 2 "$(grep -c '^      "name": ' /tmp/stdout)"
ok ktracectl list
awk '$1 == "b" { found = 1; if ($2 != "normal" || $4 != 1) exit 1 }
	END { exit !found }' /tmp/stdout || fail "list: $(cat /tmp/stdout)"

# --- Sessions that do not exist.
err 1 "ktracectl: start: nosuch: session not found" ktracectl start nosuch
err 1 "ktracectl: list: nosuch: session not found" ktracectl list nosuch
err 1 "ktracectl: enable-event: nosuch: session not found" \
	ktracectl enable-event -s nosuch sched_switch
err 1 "ktracectl: enable-channel: nosuch: session not found" \
	ktracectl enable-channel -s nosuch c
err 1 "ktracectl: destroy: nosuch: session not found" ktracectl destroy nosuch

# --- An unprivileged user: a clear permission error.
chmod 755 /
printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' >/etc/passwd
printf 'root:x:0:\nnogroup:x:65534:\n' >/etc/group
expect_eq "uid of nobody" 65534 "$(su -s /bin/sh nobody -c 'id -u')"
err 1 "ktracectl: list: $PERM" su -s /bin/sh nobody -c "ktracectl list"
err 1 "ktracectl: create: $PERM" su -s /bin/sh nobody -c "ktracectl create x"
err 1 "ktracectl: start: $PERM" su -s /bin/sh nobody -c "ktracectl start a"
err 1 "ktracectl: list-events: $PERM" su -s /bin/sh nobody -c "ktracectl list-events"
err 1 "ktracectl: version: /dev/ktrace: Permission denied" \
	su -s /bin/sh nobody -c "ktracectl version"

# --- Destroying.
ok ktracectl destroy b
has "Session b destroyed."
ok ktracectl create c --no-output
ok ktracectl destroy --all
has "Session a destroyed."
has "Session c destroyed."
ok ktracectl list
has "No sessions."

unload_ktrace
err 3 "ktracectl: list: $NL" ktracectl list
echo "cli: all checks passed"
