// SPDX-License-Identifier: GPL-2.0
/*
 * getppid-loop NAME COUNT: names its thread NAME, then calls getppid()
 * COUNT times, directly through syscall(2) so that libc cannot cache it,
 * and prints its tid. The workload of the lttng-analyses scenario.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long i, count;

	if (argc != 3 || (count = strtol(argv[2], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: getppid-loop NAME COUNT\n");
		return 2;
	}
	if (prctl(PR_SET_NAME, argv[1], 0, 0, 0)) {
		perror("getppid-loop: prctl");
		return 1;
	}
	for (i = 0; i < count; i++)
		syscall(SYS_getppid);
	printf("%ld\n", (long)syscall(SYS_gettid));
	return 0;
}
