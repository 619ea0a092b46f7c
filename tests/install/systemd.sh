#!/bin/bash
# The systemd unit ktrace-recorder@.service: make install puts it in
# $(PREFIX)/lib/systemd/system with ktracectl's installed path in its
# commands (load /etc/ktrace/NAME.json as NAME, start NAME; destroy NAME
# on stop), which are those the save-load VM scenario runs; systemd-analyze
# verify finds nothing wrong in it, and make uninstall removes it.
#
# Usage: systemd.sh SRC TMP: SRC a built scratch copy of the tree.
set -uo pipefail
src=$1 tmp=$2 test=systemd
. "$(dirname "$0")/lib.bash"

prefix=$tmp/prefix
unit=$prefix/lib/systemd/system/ktrace-recorder@.service
if (cd "$src" && make -s install-user PREFIX="$prefix") >"$tmp/install.log" 2>&1 &&
	[ -f "$unit" ]; then
	pass installed
else
	fail installed "no $unit"
	tail -n 5 "$tmp/install.log" >&2
	exit 0
fi

# The commands, with the installed ktracectl.
grep '^Exec' "$unit" >"$tmp/exec"
cat >"$tmp/want" <<EOT
ExecStart=$prefix/bin/ktracectl load /etc/ktrace/%i.json --override-name %i
ExecStart=$prefix/bin/ktracectl start %i
ExecStop=$prefix/bin/ktracectl destroy %i
EOT
check commands diff -u "$tmp/want" "$tmp/exec"

# The save-load VM scenario runs these commands, for the instance "boot".
# unit_block START|STOP: its commands between the markers.
unit_block() {
	sed -n "/^# unit $1 commands begin\$/,/^# unit $1 commands end\$/p" \
		"$src/tests/userspace/scenarios/save-load.sh" | grep -v '^#'
}
# unit_exec Start|Stop: the unit's commands for "boot", as typed.
unit_exec() {
	sed -n "s|^Exec$1=$prefix/bin/\(ktracectl .*\)\$|\1|p" "$unit" |
		sed 's/%i/boot/g'
}
scenario_runs_them() {
	echo "unit: $(unit_exec Start) / $(unit_exec Stop)"
	echo "scenario: $(unit_block start) / $(unit_block stop)"
	[ -n "$(unit_exec Start)" ] && [ "$(unit_exec Start)" = "$(unit_block start)" ] &&
		[ -n "$(unit_exec Stop)" ] && [ "$(unit_exec Stop)" = "$(unit_block stop)" ]
}
check commands-are-tested scenario_runs_them

# An instance of it, as systemctl enable ktrace-recorder@boot makes.
mkdir -p "$tmp/verify"
cp "$unit" "$tmp/verify/ktrace-recorder@boot.service"
if ! command -v systemd-analyze >/dev/null; then
	fail verify "no systemd-analyze (tests/vm/install-deps installs systemd)"
else
	# --man=no: the man page is the installed tree's, not the host's.
	check verify systemd-analyze verify --man=no \
		"$tmp/verify/ktrace-recorder@boot.service"
	# The check can fail: a unit with an error does not pass.
	sed 's/^Type=oneshot$/Type=oneshoot/' "$unit" \
		>"$tmp/verify/ktrace-recorder@broken.service"
	if systemd-analyze verify --man=no \
		"$tmp/verify/ktrace-recorder@broken.service" >/dev/null 2>&1; then
		fail verify-catches-errors "a broken unit passed"
	else
		pass verify-catches-errors
	fi
fi

(cd "$src" && make -s uninstall-user PREFIX="$prefix") >/dev/null 2>&1
if [ ! -e "$unit" ]; then
	pass uninstalled
else
	fail uninstalled "$unit is left"
fi
