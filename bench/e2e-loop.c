// SPDX-License-Identifier: GPL-2.0
/*
 * e2e-loop CPUS ITERS RUNS: the workload of make bench-e2e.
 *
 * Each run forks CPUS children, child i pinned to CPU i. Each child warms
 * up (ITERS / 4 calls), says it is ready, waits for the start, then calls
 * getppid() ITERS times, through syscall(2) so that libc cannot cache it.
 * The parent reads CLOCK_MONOTONIC when it starts them all and again when
 * the last one has exited. Prints the fastest run, in nanoseconds per call
 * per CPU: elapsed / (CPUS x ITERS).
 *
 * Under QEMU -icount shift=0,sleep=off, the guest clock advances one
 * nanosecond per instruction that any vCPU executes (the vCPUs run in
 * turn), so the figure is instructions per call, and for CPUS > 1 the
 * instructions of all CPUs together, per call of one CPU.
 */
#define _GNU_SOURCE
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_CPUS 64

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void calls(long n)
{
	long i;

	for (i = 0; i < n; i++)
		syscall(SYS_getppid);
}

static void child(int cpu, long iters, int ready, int go)
{
	cpu_set_t set;
	char c = 0;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		perror("sched_setaffinity");
		_exit(1);
	}
	calls(iters / 4);
	if (write(ready, &c, 1) != 1 || read(go, &c, 1) != 0)
		_exit(1);
	calls(iters);
	_exit(0);
}

/* One run: nanoseconds from the start of all children to the last exit. */
static double run(int cpus, long iters)
{
	int ready[2], go[2], i, status, failed = 0;
	double t0, t1;
	char c;

	if (pipe(ready) || pipe(go)) {
		perror("pipe");
		exit(1);
	}
	for (i = 0; i < cpus; i++) {
		pid_t pid = fork();

		if (pid < 0) {
			perror("fork");
			exit(1);
		}
		if (!pid) {
			close(ready[0]);
			close(go[1]);
			child(i, iters, ready[1], go[0]);
		}
	}
	close(ready[1]);
	close(go[0]);
	for (i = 0; i < cpus; i++)
		if (read(ready[0], &c, 1) != 1) {
			fprintf(stderr, "e2e-loop: a child died\n");
			exit(1);
		}
	t0 = now_ns();
	close(go[1]);
	for (i = 0; i < cpus; i++)
		if (wait(&status) < 0 || !WIFEXITED(status) ||
		    WEXITSTATUS(status))
			failed = 1;
	t1 = now_ns();
	close(ready[0]);
	if (failed) {
		fprintf(stderr, "e2e-loop: a child failed\n");
		exit(1);
	}
	return t1 - t0;
}

int main(int argc, char **argv)
{
	double best = 0, t;
	long iters;
	int cpus, runs, i;

	if (argc != 4 || (cpus = atoi(argv[1])) <= 0 || cpus > MAX_CPUS ||
	    (iters = atol(argv[2])) <= 0 || (runs = atoi(argv[3])) <= 0) {
		fprintf(stderr, "usage: e2e-loop CPUS ITERS RUNS\n");
		return 2;
	}
	for (i = 0; i < runs; i++) {
		t = run(cpus, iters);
		if (!i || t < best)
			best = t;
	}
	printf("ns/call=%.2f\n", best / ((double)cpus * iters));
	return 0;
}
