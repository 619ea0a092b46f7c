// SPDX-License-Identifier: GPL-2.0
/*
 * pi-boost: priority inheritance on a PI futex. A thread of normal
 * priority holds a PTHREAD_PRIO_INHERIT mutex; a SCHED_FIFO thread
 * (priority 10) blocks on it, so the kernel raises the holder to the
 * waiter's priority (one sched_pi_setprio event for the holder, newprio
 * -11 on LTTng's scale), and lowers it back when the holder unlocks (a
 * second one). The holder unlocks only once /proc shows it boosted, so
 * both events happen on every run. Prints the holder's tid. Needs root
 * (SCHED_FIFO).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#define WAITER_PRIO 10
/* What /proc/PID/stat shows for it: -1 - its rt_priority. */
#define BOOSTED_PRIO (-1 - WAITER_PRIO)

static pthread_mutex_t lock;
static pthread_barrier_t held;
static long holder_tid;

static void die(const char *what, int err)
{
	fprintf(stderr, "pi-boost: %s: %s\n", what, strerror(err));
	exit(1);
}

/* Field 18 of /proc/self/task/TID/stat: the priority, as task_prio(). */
static int task_prio(long tid)
{
	char path[64], buf[512], *p;
	FILE *f;
	int i, prio;
	size_t n;

	snprintf(path, sizeof(path), "/proc/self/task/%ld/stat", tid);
	f = fopen(path, "r");
	if (!f)
		die(path, errno);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* The comm may hold spaces: count fields from its closing ')'. */
	p = strrchr(buf, ')');
	if (!p)
		die(path, EINVAL);
	/* The space after ')' is the one before field 3. */
	for (i = 2; i < 18 && p; i++)
		p = strchr(p + 1, ' ');
	if (!p || sscanf(p + 1, "%d", &prio) != 1)
		die(path, EINVAL);
	return prio;
}

static void *holder(void *arg)
{
	struct timespec pause = { 0, 1000000 };
	int i, err;

	(void)arg;
	holder_tid = syscall(SYS_gettid);
	err = pthread_mutex_lock(&lock);
	if (err)
		die("lock", err);
	pthread_barrier_wait(&held);
	/* Up to 10 s for the waiter to block and boost us. */
	for (i = 0; task_prio(holder_tid) != BOOSTED_PRIO; i++) {
		if (i == 10000) {
			fprintf(stderr, "pi-boost: holder not boosted\n");
			exit(1);
		}
		nanosleep(&pause, NULL);
	}
	err = pthread_mutex_unlock(&lock);
	if (err)
		die("unlock", err);
	return NULL;
}

static void *waiter(void *arg)
{
	int err;

	(void)arg;
	err = pthread_mutex_lock(&lock);
	if (err)
		die("waiter lock", err);
	pthread_mutex_unlock(&lock);
	return NULL;
}

int main(void)
{
	struct sched_param param = { .sched_priority = WAITER_PRIO };
	pthread_mutexattr_t mattr;
	pthread_attr_t wattr;
	pthread_t h, w;
	int err;

	pthread_mutexattr_init(&mattr);
	err = pthread_mutexattr_setprotocol(&mattr, PTHREAD_PRIO_INHERIT);
	if (err)
		die("PTHREAD_PRIO_INHERIT", err);
	pthread_mutex_init(&lock, &mattr);
	pthread_barrier_init(&held, NULL, 2);

	err = pthread_create(&h, NULL, holder, NULL);
	if (err)
		die("holder thread", err);
	pthread_barrier_wait(&held);

	pthread_attr_init(&wattr);
	pthread_attr_setinheritsched(&wattr, PTHREAD_EXPLICIT_SCHED);
	pthread_attr_setschedpolicy(&wattr, SCHED_FIFO);
	pthread_attr_setschedparam(&wattr, &param);
	err = pthread_create(&w, &wattr, waiter, NULL);
	if (err)
		die("SCHED_FIFO waiter thread", err);
	pthread_join(w, NULL);
	pthread_join(h, NULL);
	printf("%ld\n", holder_tid);
	return 0;
}
