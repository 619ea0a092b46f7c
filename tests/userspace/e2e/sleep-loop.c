// SPDX-License-Identifier: GPL-2.0
/*
 * sleep-loop COUNT MS: sleeps COUNT times for MS milliseconds
 * (nanosleep), then prints its tid. Each sleep ends with a timer waking
 * the thread (sched_waking, sched_wakeup) and a sched_switch to it: the
 * wakeups whose latency lttng-schedlog and lttng-schedstats show in the
 * analyses scenario. Its name is its own, "sleep-loop".
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long i, count, ms;
	struct timespec ts;

	count = argc == 3 ? strtol(argv[1], NULL, 10) : 0;
	ms = argc == 3 ? strtol(argv[2], NULL, 10) : 0;
	if (count <= 0 || ms <= 0 || ms >= 1000) {
		fprintf(stderr, "usage: sleep-loop COUNT MS (MS below 1000)\n");
		return 2;
	}
	ts.tv_sec = 0;
	ts.tv_nsec = ms * 1000000L;
	for (i = 0; i < count; i++)
		if (nanosleep(&ts, NULL)) {
			perror("nanosleep");
			return 1;
		}
	printf("%ld\n", (long)syscall(SYS_gettid));
	return 0;
}
