# Runs the KUnit suites: loads ktrace.ko, then every *_test.ko; KUnit runs a
# module's suites when it loads. Each suite's KTAP goes to $KTRACE_OUT for
# the host to parse (tests/vm/ktap).
. /scenarios/lib.sh

load_ktrace
for t in "$KTRACE_MODULES"/*_test.ko; do
	echo "loading $t"
	insmod "$t" || echo "insmod $t failed"
done
for d in /sys/kernel/debug/kunit/*/; do
	suite=$(basename "$d")
	cp "$d/results" "$KTRACE_OUT/$suite.ktap"
done
for t in "$KTRACE_MODULES"/*_test.ko; do
	rmmod "$(basename "$t" .ko)"
done
unload_ktrace
