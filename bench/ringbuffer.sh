# VM scenario of make bench-ringbuffer: run the benchmark module once.
. /scenarios/lib.sh

load_ktrace
# The module runs the benchmark in its init.
insmod "$KTRACE_MODULES/ktrace_rb_bench.ko" || fail "insmod ktrace_rb_bench"
rmmod ktrace_rb_bench
dmesg | grep 'ktrace_rb_bench:' | sed 's/^\[[^]]*\] //' >"$KTRACE_OUT/results"
cat "$KTRACE_OUT/results"
unload_ktrace
[ "$(grep -c 'ns/event=' "$KTRACE_OUT/results")" = 4 ] || fail "missing results"
