// SPDX-License-Identifier: GPL-2.0
/*
 * abi-fuzz's threaded phase (fuzz.h): threads fuzz the same stream,
 * metadata and /dev/ktrace fds at once, each with its own PRNG (seeded
 * from the run's seed and its index), netlink socket, mappings and
 * pipes. They stop after a number of operations in all, or at a
 * deadline. Under single-threaded TCG the vCPUs take turns, so a thread
 * gives its CPU away now and then for the calls to interleave finely.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"

struct worker {
	pthread_t thread;
	uint64_t seed;
	unsigned long ops;
	struct fuzz_stats stats;
};

static long ops_left;		/* operations the threads may still start */
static uint64_t deadline_ns;

static void *worker(void *arg)
{
	struct worker *w = arg;
	struct e2e_nl nl;
	long op;

	fuzz_seed(w->seed);
	e2e_nl_open(&nl);
	nl.stray = fuzz_count_acks;
	fuzz_thread_init();
	fuzz_add_shared();
	while ((op = __atomic_sub_fetch(&ops_left, 1, __ATOMIC_RELAXED)) >= 0 &&
	       e2e_now_ns() < deadline_ns) {
		fuzz_op(&nl, op, 1);
		w->ops++;
		if (chance(12))
			sched_yield();
	}
	fuzz_thread_fini();
	e2e_nl_close(&nl);
	w->stats = stats;
	return NULL;
}

void fuzz_stats_add(struct fuzz_stats *total, const struct fuzz_stats *s)
{
	unsigned int i;

	for (i = 0; i < 5; i++)
		total->ops[i] += s->ops[i];
	total->errno_violations += s->errno_violations;
	total->ioctl_ok += s->ioctl_ok;
	total->fds_opened += s->fds_opened;
	total->genl_sent += s->genl_sent;
	total->genl_ok += s->genl_ok;
	total->reopened += s->reopened;
	for (i = 0; i < GENL_ERRNOS; i++)
		total->genl_errors[i] += s->genl_errors[i];
}

unsigned int fuzz_threads(unsigned int threads, unsigned long ops,
			  unsigned int seconds, uint64_t seed,
			  struct fuzz_stats *total)
{
	struct worker *w = calloc(threads, sizeof(*w));
	unsigned int i, ran = 0;
	int err;

	if (!w)
		die("out of memory");
	ops_left = ops;
	deadline_ns = e2e_now_ns() + (uint64_t)seconds * 1000000000;
	for (i = 0; i < threads; i++) {
		/* Seeds far apart in splitmix64's sequence. */
		w[i].seed = seed + (i + 1) * 0x632be59bd9b4e019ULL;
		err = pthread_create(&w[i].thread, NULL, worker, &w[i]);
		if (err)
			die("pthread_create: %s", strerror(err));
	}
	for (i = 0; i < threads; i++) {
		pthread_join(w[i].thread, NULL);
		printf("abi-fuzz: thread %u (seed %#llx): %lu operations\n", i,
		       (unsigned long long)w[i].seed, w[i].ops);
		fuzz_stats_add(total, &w[i].stats);
		ran += w[i].ops > 0;
	}
	free(w);
	return ran;
}
