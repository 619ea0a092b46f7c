// SPDX-License-Identifier: GPL-2.0
/*
 * busy-loop MS: spins on the CPU for MS milliseconds of CLOCK_MONOTONIC,
 * which the vDSO reads without a system call, then prints its tid, how
 * long it spun and the CPU time it has used since it was forked
 * (CLOCK_THREAD_CPUTIME_ID: what lttng-cputop adds up from the
 * scheduler's events), in nanoseconds. The busy thread of the analyses
 * scenario (pinned with taskset); its name is its own, "busy-loop".
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long long now_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	long long start, end, ms;

	if (argc != 2 || (ms = strtoll(argv[1], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: busy-loop MS\n");
		return 2;
	}
	start = now_ns(CLOCK_MONOTONIC);
	do
		end = now_ns(CLOCK_MONOTONIC);
	while (end - start < ms * 1000000LL);
	printf("%ld %lld %lld\n", (long)syscall(SYS_gettid), end - start,
	       now_ns(CLOCK_THREAD_CPUTIME_ID));
	return 0;
}
