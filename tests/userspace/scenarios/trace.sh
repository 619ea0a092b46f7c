# Records a known workload through the ABI alone (trace-e2e: uapi header
# and libnl) and writes it out as a CTF trace; trace.host then reads it on
# the host with babeltrace2 and babeltrace 1.
. /scenarios/lib.sh

load_ktrace
trace-e2e "$KTRACE_OUT" 1000 || fail "trace-e2e reported failures"
unload_ktrace
echo "trace: all checks passed"
