# VM scenario of make bench-ringbuffer: run the benchmark module once.
. /scenarios/lib.sh

load_ktrace
# The module runs the benchmark in its init and refuses to stay loaded.
insmod "$KTRACE_MODULES/ktrace_rb_bench.ko" 2>/dev/null &&
	fail "ktrace_rb_bench stayed loaded"
dmesg | grep 'ktrace_rb_bench:' | sed 's/^\[[^]]*\] //' >"$KTRACE_OUT/results"
cat "$KTRACE_OUT/results"
unload_ktrace
[ "$(grep -c 'ns/event=' "$KTRACE_OUT/results")" = 4 ] || fail "missing results"
