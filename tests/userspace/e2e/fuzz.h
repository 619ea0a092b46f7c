/* SPDX-License-Identifier: GPL-2.0 */
/*
 * abi-fuzz's parts: the operations (fuzz-ops.c: ioctls, memory and data
 * calls, fds; fuzz-genl.c: netlink messages), the threaded phase
 * (fuzz-threads.c), and the phases around them (abi-fuzz.c).
 *
 * Each thread fuzzes with its own PRNG, fd table, mappings, pipes and
 * arena (thread-local); what threads share is the table of shared fds
 * (fuzz_share()), used under a read lock per fd and closed and reopened
 * only under its write lock, so that no call ever lands on a number that
 * another thread closed and the kernel reused.
 */
#ifndef KTRACE_FUZZ_H
#define KTRACE_FUZZ_H

#include <pthread.h>
#include <stddef.h>
#include <stdint.h>

#include "e2e.h"

#define MAIN_NAME	"fz-main"
#define VICTIM_NAME	"fz-victim"
#define MAIN_SUBBUF	65536
#define MAX_FDS		64
#define PAGE		4096
#define GENL_ERRNOS	140
#define ARENA_SIZE	65536

enum fd_kind { FD_DEV, FD_STREAM, FD_META, FD_OTHER };

/* The fd of a slot, held for one call (fuzz-ops.c: use_slot() ... done()). */
struct use {
	int fd;
	enum fd_kind kind;
	pthread_rwlock_t *lock;
};

/* What one thread did (abi-fuzz sums the threads'). */
struct fuzz_stats {
	unsigned long ops[5];	/* ioctl, netlink, memory, data, fd calls */
	unsigned long errno_violations, ioctl_ok, fds_opened;
	unsigned long genl_sent, genl_ok;
	unsigned long genl_errors[GENL_ERRNOS];	/* random messages' acks */
	unsigned long reopened;	/* shared fds closed and opened again */
};

extern int verbose;
extern uint32_t main_id, victim_id;
extern unsigned int ncpus;
extern __thread struct fuzz_stats stats;

/* ---- PRNG (per thread): splitmix64, so that a seed replays a run ---- */

void fuzz_seed(uint64_t seed);
uint64_t rnd(void);
uint64_t below(uint64_t n);
int chance(unsigned int percent);
#define PICK(a) ((a)[below(sizeof(a) / sizeof((a)[0]))])

uint32_t session_id_value(void);

/* ---- The calling thread's fuzz state ---- */

/* Arena, pipes, an empty fd table; fuzz_add_fd()s follow, /dev/ktrace first. */
void fuzz_thread_init(void);
/* Closes the thread's own fds, mappings and pipes (not the shared fds). */
void fuzz_thread_fini(void);
void fuzz_add_fd(int fd, enum fd_kind kind);
/*
 * Shares @fd (a stream of @session on @cpu, or its metadata, /dev/ktrace,
 * another file) with every thread that calls fuzz_add_shared() after.
 */
void fuzz_share(int fd, enum fd_kind kind, uint32_t session, uint32_t cpu);
void fuzz_add_shared(void);
/* Closes the shared fds (the threads are done). */
void fuzz_unshare(void);
/* One random operation; netlink messages go to @nl. */
void fuzz_op(struct e2e_nl *nl, unsigned long op, int threaded);
void fuzz_print_stats(const struct fuzz_stats *s, double seconds);

/* ---- ioctls (fuzz-ioctl.c) ---- */

/* ARENA_SIZE bytes, then a PROT_NONE page: all the memory the kernel sees. */
extern __thread char *arena;
extern __thread uint64_t positions[16];	/* sampled, for GET_SUBBUF */
/* NULL, the guard page, straddling, kernel, random or arena pointers. */
uint64_t pointer_value(void);
/* A place in the arena for @len bytes, ending at the guard page. */
char *arena_tail(size_t len);
/* ioctl(@s, @cmd, @arg): its result and errno checked, and returned. */
long ioctl_checked(const struct use *s, unsigned long cmd, unsigned long arg,
		   unsigned long op);
/* One random ioctl on @s, its result checked. */
void ioctl_on(const struct use *s, unsigned long op);

/* ---- Netlink (fuzz-genl.c) ---- */

/* @nl's stray messages: counts the random messages' acks in stats. */
void fuzz_count_acks(struct nlmsghdr *nlh, void *arg);
void op_genl(struct e2e_nl *c, unsigned long op);

/* ---- Threads (fuzz-threads.c) ---- */

/*
 * @threads threads fuzz the shared fds until @ops operations in all or
 * @seconds have passed; adds what they did to @total and returns the
 * number of threads that ran at least one operation.
 */
unsigned int fuzz_threads(unsigned int threads, unsigned long ops,
			  unsigned int seconds, uint64_t seed,
			  struct fuzz_stats *total);
void fuzz_stats_add(struct fuzz_stats *total, const struct fuzz_stats *s);

#endif /* KTRACE_FUZZ_H */
