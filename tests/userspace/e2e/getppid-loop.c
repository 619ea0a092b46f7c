// SPDX-License-Identifier: GPL-2.0
/*
 * getppid-loop COUNT: calls getppid() COUNT times, directly through
 * syscall(2) so that libc cannot cache it, and prints its tid. The
 * workload of the analyses scenario; its thread's name is its own,
 * "getppid-loop", as exec sets it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long i, count;

	if (argc != 2 || (count = strtol(argv[1], NULL, 10)) <= 0) {
		fprintf(stderr, "usage: getppid-loop COUNT\n");
		return 2;
	}
	for (i = 0; i < count; i++)
		syscall(SYS_getppid);
	printf("%ld\n", (long)syscall(SYS_gettid));
	return 0;
}
