#!/bin/bash
# The man pages render without a warning, and ktracectl(8) is in sync with
# ktracectl itself, read at run time: every command of `ktracectl help`
# has its section under COMMANDS and every option of `ktracectl COMMAND
# --help` is in that section; no section or option is there that ktracectl
# lacks; the exit codes of `ktracectl help` are those of EXIT STATUS.
#
# Usage: man.sh SRC TMP: SRC a built scratch copy of the tree.
set -uo pipefail
src=$1 tmp=$2 test=man
. "$(dirname "$0")/lib.bash"

for page in ktracectl.8 ktrace.4 ktrace-relayd.8; do
	# man --warnings prints groff's complaints on stderr.
	if LC_ALL=C.UTF-8 MANWIDTH=200 man --warnings -l "$src/docs/man/$page" \
		>"$tmp/$page.txt" 2>"$tmp/$page.warn" && [ ! -s "$tmp/$page.warn" ] &&
		grep -q '^NAME' "$tmp/$page.txt"; then
		pass "$page/renders"
	else
		fail "$page/renders" "$(head -n 3 "$tmp/$page.warn")"
	fi
done

ktracectl=$src/tools/ktracectl/ktracectl
"$ktracectl" help >"$tmp/help" 2>&1 || { fail ktracectl-help "exit $?"; exit 0; }
awk '/^commands:/ { on = 1; next } on && /^$/ { on = 0 } on' "$tmp/help" |
	sed 's/^  \([a-z-]*\( [a-z-]*\)\?\)  .*/\1/; s/  *$//' >"$tmp/commands"
while read -r cmd; do
	# shellcheck disable=SC2086
	"$ktracectl" $cmd --help >"$tmp/help-${cmd// /_}" 2>&1 ||
		fail "$cmd/help" "ktracectl $cmd --help: exit $?"
done <"$tmp/commands"

LC_ALL=C.UTF-8 python3 - "$tmp" "$test" <<'PY'
import os, re, sys

tmp, test = sys.argv[1], sys.argv[2]
def result(ok, name, why=""):
    print(f"{'PASS' if ok else 'FAIL'} host/install/{test}/{name}"
          + (f" ({why})" if why and not ok else ""))

OPT = re.compile(r"(?<![\w-])(--?[A-Za-z][\w-]*)")
def options(text):
    """Options of a --help text: those that start its option lines."""
    opts = set()
    for line in text.splitlines():
        if line.startswith("  -"):
            head = line.split("  ")[1]
            opts.update(t for t in head.replace(",", " ").split()
                        if t.startswith("-"))
    return opts

commands = [c for c in open(f"{tmp}/commands").read().splitlines() if c]
helps = {c: open(f"{tmp}/help-{c.replace(' ', '_')}").read() for c in commands}

page = open(f"{tmp}/ktracectl.8.txt").read().replace("\u2010", "-").replace("\u2212", "-")
sections, cur, where = {}, None, None
for line in page.splitlines():
    if re.match(r"^[A-Z]", line):
        where, cur = line.strip(), None
        continue
    m = re.match(r"^   (\S.*)$", line)
    if where == "COMMANDS" and m:
        cur = m.group(1).strip()
        sections[cur] = ""
    elif cur:
        sections[cur] += line + "\n"

missing = [c for c in commands if c not in sections]
extra = [s for s in sections if s not in commands]
result(len(commands) >= 10 and not missing and not extra, "commands",
       f"{len(commands)} commands; not in the page: {missing}; "
       f"in the page only: {extra}")

bad = []
for c in commands:
    want = options(helps[c])
    text = sections.get(c, "")
    for o in sorted(want):
        if not re.search(r"(?<![\w-])" + re.escape(o) + r"(?![\w-])", text):
            bad.append(f"{c}: {o} not in the page")
    for o in sorted(set(OPT.findall(text)) - want - {"--help"}):
        bad.append(f"{c}: {o} in the page only")
nopts = sum(len(options(h)) for h in helps.values())
result(nopts >= 30 and not bad, "options", f"{nopts} options; " + "; ".join(bad))

help_text = open(f"{tmp}/help").read()
m = re.search(r"Exit status:(.*)", help_text, re.S)
codes = set(re.findall(r"(?:^|[:,])\s*(\d+) ", m.group(1))) if m else set()
m = re.search(r"^EXIT STATUS\n(.*?)^[A-Z]", page, re.S | re.M)
man_codes = set(re.findall(r"^       (\d+)\s", m.group(1), re.M)) if m else set()
result(codes and codes == man_codes, "exit-codes",
       f"help: {sorted(codes)}, page: {sorted(man_codes)}")
PY
