#!/bin/bash
# Bash completion (tools/completion/ktracectl), sourced as bash-completion
# loads it: the first word completes to every command of `ktracectl help`;
# after a command, "-" completes to exactly the options of its --help;
# snapshot's subcommands; session names after -s and as NAME, channel
# names after -c, event names (comma lists too) from the --json outputs,
# given by a ktracectl that prints known JSON for those (the module is not
# needed) and runs the real one otherwise.
#
# Usage: completion.sh SRC TMP: SRC a built scratch copy of the tree.
set -uo pipefail
src=$1 tmp=$2 test=completion
. "$(dirname "$0")/lib.bash"

real=$src/tools/ktracectl/ktracectl
mkdir -p "$tmp/bin"
# The JSON as ktracectl prints it (two-space indent; tests/userspace's cli
# scenario checks that layout against the module).
cat >"$tmp/list.json" <<'JSON'
{
  "sessions": [
    {
      "name": "flight",
      "id": 1,
      "mode": "snapshot",
      "channels": [
        {
          "name": "channel0",
          "id": 0
        },
        {
          "name": "big",
          "id": 1
        }
      ]
    },
    {
      "name": "other",
      "id": 2,
      "mode": "normal",
      "channels": [
        {
          "name": "chan2",
          "id": 0
        }
      ]
    }
  ]
}
JSON
# list NAME --json: that session only.
sed -n '1,3p; 4,18p' "$tmp/list.json" >"$tmp/list-flight.json"
printf '    }\n  ]\n}\n' >>"$tmp/list-flight.json"
cat >"$tmp/events.json" <<'JSON'
{
  "events": [
    {
      "name": "sched_switch",
      "available": true,
      "fields": [
        {
          "name": "prev_comm",
          "type": "text"
        }
      ]
    },
    {
      "name": "irq_handler_entry",
      "available": true,
      "fields": []
    },
    {
      "name": "irq_handler_exit",
      "available": true,
      "fields": []
    }
  ]
}
JSON
cat >"$tmp/syscalls.json" <<'JSON'
{
  "events": [
    {
      "name": "syscall_entry_openat",
      "available": true,
      "fields": []
    },
    {
      "name": "syscall_exit_openat",
      "available": true,
      "fields": []
    },
    {
      "name": "syscall_entry_open",
      "available": true,
      "fields": []
    }
  ]
}
JSON
cat >"$tmp/bin/ktracectl" <<EOF2
#!/bin/sh
case "\$*" in
"list --json") cat "$tmp/list.json" ;;
"list flight --json") cat "$tmp/list-flight.json" ;;
"list-events --json") cat "$tmp/events.json" ;;
"list-events --syscall --json") cat "$tmp/syscalls.json" ;;
*) exec "$real" "\$@" ;;
esac
EOF2
chmod +x "$tmp/bin/ktracectl"

# complete WORD...: the completions of the last WORD after "ktracectl",
# sorted, one line.
complete_words() {
	PATH="$tmp/bin:$PATH" bash -c '
		. "$1"; shift
		COMP_WORDS=(ktracectl "$@")
		COMP_CWORD=$#
		_ktracectl
		[ ${#COMPREPLY[@]} -eq 0 ] ||
			printf "%s\n" "${COMPREPLY[@]}" | sort | tr "\n" " "' \
		_ "$src/tools/completion/ktracectl" "$@"
}
# expect NAME WANT WORD...
expect() {
	local name=$1 want=$2 got
	shift 2
	got=$(complete_words "$@")
	if [ "$got" = "$want" ]; then
		pass "$name"
	else
		fail "$name" "ktracectl $*<TAB>: expected '$want', got '$got'"
	fi
}

commands=$("$real" help | awk '/^commands:/ { on = 1; next } on && /^$/ { exit } on')
first=$(awk '{ print $1 }' <<<"$commands" | sort -u | tr '\n' ' ')
expect commands "$first" ""
expect command-prefix "enable-channel enable-event " enable-
expect snapshot-subcommands \
	"$(awk '$1 == "snapshot" { print $2 }' <<<"$commands" | sort | tr '\n' ' ')" \
	snapshot ""

# Every command's options, as its --help lists them.
bad=
while read -r cmd; do
	want=$("$real" $cmd --help | awk '/^  -/ { split($0, col, /   */);
		gsub(/,/, " ", col[2]); n = split(col[2], w, / +/);
		for (i = 1; i <= n; i++) if (w[i] ~ /^-/) print w[i] }' | sort | tr '\n' ' ')
	# shellcheck disable=SC2086
	got=$(complete_words $cmd -)
	[ -n "$want" ] || [ "$cmd" = version ] || [ "$cmd" = help ] ||
		bad="$bad; $cmd: --help lists no option"
	[ "$got" = "$want" ] || bad="$bad; $cmd: expected '$want', got '$got'"
done < <(awk '{ sub(/   .*/, ""); print }' <<<"$commands")
if [ -z "$bad" ]; then pass options; else fail options "${bad#; }"; fi

expect session-after-s "flight other " start -s ""
expect session-as-name "flight " destroy f
expect channel-after-c "big channel0 " enable-event -s flight -c ""
expect event-name "sched_switch " enable-event sched_s
expect event-list "sched_switch,irq_handler_entry sched_switch,irq_handler_exit " \
	enable-event sched_switch,irq_h
expect context-type "pid ppid prio procname " add-context -t p
expect snapshot-path-then-option "--json " snapshot /tmp --js
expect channel-output "mmap splice " enable-channel --output ""
expect syscall-name "open openat " enable-event -k --syscall op
expect syscall-list "read,openat " enable-event --syscall read,opena
expect regenerate-subcommands "statedump " regenerate ""
