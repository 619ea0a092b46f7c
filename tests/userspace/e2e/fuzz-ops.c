// SPDX-License-Identifier: GPL-2.0
/*
 * abi-fuzz's operations on fds (fuzz.h): the fd table, mmap and friends,
 * data calls, closing and opening (the ioctls are fuzz-ioctl.c's); each
 * thread with its own PRNG, fd table, mappings, pipes and arena.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <unistd.h>

#include "fuzz.h"

#define MAX_MAPS	32
#define MAX_SHARED	32

int verbose;
uint32_t main_id, victim_id;
unsigned int ncpus;
__thread struct fuzz_stats stats;

/* ---- PRNG ---- */

static __thread uint64_t rng;

void fuzz_seed(uint64_t seed)
{
	rng = seed;
}

uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

int chance(unsigned int percent)
{
	return below(100) < percent;
}

/* ---- What the fuzz works on ---- */

struct slot {
	int fd;			/* -1: free */
	enum fd_kind kind;
	int shared;		/* its index in shared[], or -1: the thread's own */
};

/* An fd every thread uses: closed and reopened under its write lock. */
struct shared_fd {
	int fd;			/* -1: a reopen failed */
	enum fd_kind kind;
	uint32_t session, cpu;
	pthread_rwlock_t lock;
};

struct map {
	char *addr;
	size_t len;
	int touch;		/* safe to read (no madvise since) */
};

static struct shared_fd shared[MAX_SHARED];	/* /dev/ktrace first */
static unsigned int nshared;
static int devnull = -1;
static __thread struct slot fds[MAX_FDS];
static __thread struct map maps[MAX_MAPS];
static __thread int pipes[2][2];
static __thread sigjmp_buf touch_jmp;
static __thread volatile sig_atomic_t touching;

static struct use use_slot(const struct slot *s)
{
	struct shared_fd *f;

	if (s->shared < 0)
		return (struct use){ .fd = s->fd, .kind = s->kind };
	f = &shared[s->shared];
	pthread_rwlock_rdlock(&f->lock);
	if (f->fd < 0) {	/* its reopen failed: /dev/ktrace instead */
		pthread_rwlock_unlock(&f->lock);
		f = &shared[0];
		pthread_rwlock_rdlock(&f->lock);
	}
	return (struct use){ .fd = f->fd, .kind = f->kind, .lock = &f->lock };
}

static void done(const struct use *u)
{
	if (u->lock)
		pthread_rwlock_unlock(u->lock);
}

static void add_slot(int fd, enum fd_kind kind, int index)
{
	unsigned int i, victim = 1 + below(MAX_FDS - 1);

	for (i = 0; i < MAX_FDS; i++)
		if (fds[i].fd < 0)
			break;
	if (i == MAX_FDS) {	/* full: close one of ours, never /dev/ktrace */
		while (fds[victim].shared >= 0)
			victim = 1 + victim % (MAX_FDS - 1);
		close(fds[victim].fd);
		i = victim;
	}
	fds[i] = (struct slot){ .fd = fd, .kind = kind, .shared = index };
}

void fuzz_add_fd(int fd, enum fd_kind kind)
{
	add_slot(fd, kind, -1);
}

void fuzz_share(int fd, enum fd_kind kind, uint32_t session, uint32_t cpu)
{
	struct shared_fd *f = &shared[nshared];

	if (nshared == MAX_SHARED || (!nshared && kind != FD_DEV))
		die("fuzz_share: /dev/ktrace first, at most %d fds", MAX_SHARED);
	*f = (struct shared_fd){
		.fd = fd, .kind = kind, .session = session, .cpu = cpu,
	};
	pthread_rwlock_init(&f->lock, NULL);
	nshared++;
}

void fuzz_add_shared(void)
{
	unsigned int i;

	for (i = 0; i < nshared; i++)
		add_slot(shared[i].fd, shared[i].kind, i);
}

void fuzz_unshare(void)
{
	while (nshared--) {
		if (shared[nshared].fd >= 0 && nshared)
			close(shared[nshared].fd);
		pthread_rwlock_destroy(&shared[nshared].lock);
	}
	nshared = 0;
}

/* An open fd of a random kind, streams most often. */
static struct slot *random_slot(void)
{
	static const enum fd_kind weights[] = {
		FD_DEV, FD_DEV, FD_DEV, FD_STREAM, FD_STREAM, FD_STREAM,
		FD_STREAM, FD_STREAM, FD_STREAM, FD_META, FD_OTHER,
	};
	enum fd_kind kind = PICK(weights);
	struct slot *open[MAX_FDS];
	unsigned int i, n = 0;

	for (i = 0; i < MAX_FDS; i++)
		if (fds[i].fd >= 0 && fds[i].kind == kind)
			open[n++] = &fds[i];
	return n ? open[below(n)] : &fds[0];	/* /dev/ktrace stays open */
}

uint32_t session_id_value(void)
{
	static const uint32_t odd[] = { 0, 0x7fffffff, UINT32_MAX };

	switch (below(6)) {
	case 0: return main_id;
	case 1: return victim_id;
	case 2: return main_id + 2 + below(4);	/* sessions the fuzz made */
	case 3: return PICK(odd);
	case 4: return rnd();
	default: return below(8);
	}
}

static void op_ioctl(unsigned long op)
{
	struct use u = use_slot(random_slot());

	ioctl_on(&u, op);
	done(&u);
}

/*
 * SIGBUS or SIGSEGV while a thread reads a mapping that should be
 * readable: a failed check; anywhere else, the default (a core).
 */
static void on_touch_fault(int sig)
{
	if (touching)
		siglongjmp(touch_jmp, sig);
	signal(sig, SIG_DFL);
}

static struct map *random_map(void)
{
	struct map *m = &maps[below(MAX_MAPS)];

	return m->addr ? m : NULL;
}

static void op_mmap(unsigned long op)
{
	static const int prots[] = {
		PROT_READ, PROT_READ | PROT_WRITE, PROT_WRITE, PROT_EXEC,
		PROT_NONE, PROT_READ | PROT_EXEC,
	};
	static const int types[] = { MAP_SHARED, MAP_PRIVATE, MAP_SHARED_VALIDATE };
	static const int extra[] = { 0, MAP_POPULATE, MAP_NORESERVE, MAP_LOCKED };
	static const int advice[] = {
		MADV_DONTNEED, MADV_WILLNEED, MADV_COLD, MADV_PAGEOUT,
		MADV_POPULATE_READ, MADV_DODUMP, MADV_DONTFORK, MADV_DOFORK,
	};
	struct map *m = random_map();
	struct use s;
	size_t len;
	off_t off;
	void *p;

	switch (below(m ? 6 : 1)) {
	case 0: {	/* mmap a random range of a random fd */
		int prot = PICK(prots);
		unsigned int i;

		len = chance(80) ? (1 + below(90)) * PAGE : below(1 << 20);
		off = chance(80) ? (off_t)below(90) * PAGE : (off_t)rnd();
		s = use_slot(random_slot());
		p = mmap(NULL, len, prot, PICK(types) | PICK(extra), s.fd, off);
		done(&s);
		if (verbose)
			printf("%lu: mmap(%zu, fd %d, %#llx) = %p\n", op, len,
			       s.fd, (unsigned long long)off, p);
		if (p == MAP_FAILED)
			return;
		for (i = 0; i < MAX_MAPS && maps[i].addr; i++)
			;
		if (i == MAX_MAPS) {
			munmap(p, len);
			return;
		}
		maps[i] = (struct map){
			.addr = p, .len = len, .touch = !!(prot & PROT_READ),
		};
		return;
	}
	case 1: {	/* read every page */
		volatile char sum = 0;
		size_t i;
		int sig;

		if (!m->touch)
			return;
		if ((sig = sigsetjmp(touch_jmp, 1))) {
			touching = 0;
			check(0, "op %lu: %s reading a readable mapping", op,
			      strsignal(sig));
			m->touch = 0;
		} else {
			touching = 1;
			for (i = 0; i < m->len; i += PAGE)
				sum += m->addr[i];
			touching = 0;
		}
		return;
	}
	case 2:		/* unmap it, or its second half */
		if (m->len > PAGE && chance(50)) {
			len = (m->len / PAGE / 2) * PAGE;
			munmap(m->addr + len, m->len - len);
			m->len = len;
		} else {
			munmap(m->addr, m->len);
			m->addr = NULL;
		}
		return;
	case 3:		/* grow, shrink or move */
		len = chance(50) ? m->len * 2 : ((m->len / 2 + PAGE - 1) & ~(size_t)(PAGE - 1));
		p = mremap(m->addr, m->len, len, chance(50) ? MREMAP_MAYMOVE : 0);
		if (p != MAP_FAILED) {
			m->addr = p;
			m->len = len;
		}
		return;
	case 4:		/* must stay read-only and not executable */
		if (!mprotect(m->addr, m->len, PICK(prots)))
			m->touch = 0;	/* it may be PROT_NONE now */
		return;
	default:
		madvise(m->addr, m->len, chance(80) ? PICK(advice) : (int)below(30));
		m->touch = 0;
		return;
	}
}

/* ---- Data calls: read, write, lseek, splice, tee, sendfile, poll ---- */

/*
 * A reader's protocol on a stream: sample, get a recent packet, read it
 * through mmap and splice, put it. With threads on the same fd, another
 * thread's get, put or splice may come between any two steps: each step
 * may fail, but only with an errno docs/ABI.md lists, and what is mapped
 * stays readable.
 */
static void read_on(const struct use *s, unsigned long op)
{
	uint64_t *v = (uint64_t *)arena_tail(8), pos, len, off, map_len;
	volatile char sum = 0;
	char *map;
	int sig;

	if (s->kind != FD_STREAM ||
	    ioctl_checked(s, KTRACE_STREAM_SNAPSHOT, 0, op) ||
	    ioctl_checked(s, KTRACE_STREAM_SNAPSHOT_GET_PRODUCED,
			  (uintptr_t)v, op))
		return;
	pos = *v;
	if (ioctl_checked(s, KTRACE_STREAM_GET_MAX_SUBBUF_SIZE, (uintptr_t)v, op))
		return;
	*v = pos - *v * (1 + below(3));
	if (ioctl_checked(s, KTRACE_STREAM_GET_SUBBUF, (uintptr_t)v, op) ||
	    ioctl_checked(s, KTRACE_STREAM_GET_PADDED_SUBBUF_SIZE,
			  (uintptr_t)v, op))
		goto put;
	len = *v;
	if (ioctl_checked(s, KTRACE_STREAM_GET_MMAP_READ_OFFSET, (uintptr_t)v, op))
		goto put;
	off = *v;
	if (ioctl_checked(s, KTRACE_STREAM_GET_MMAP_LEN, (uintptr_t)v, op))
		goto put;
	map_len = *v;
	map = mmap(NULL, map_len, PROT_READ, MAP_SHARED, s->fd, 0);
	if (map != MAP_FAILED) {
		if ((sig = sigsetjmp(touch_jmp, 1))) {
			touching = 0;
			check(0, "op %lu: %s reading a held packet", op,
			      strsignal(sig));
		} else if (off < map_len && len <= map_len - off) {
			touching = 1;
			for (pos = off; pos < off + len; pos += PAGE)
				sum += map[pos];
			touching = 0;
		}
		munmap(map, map_len);
	}
	splice(s->fd, NULL, pipes[0][1], NULL, len, SPLICE_F_NONBLOCK);
put:
	ioctl_checked(s, KTRACE_STREAM_PUT_SUBBUF, 0, op);
	/* Until its pipe buffers go, the next get is EBUSY: half the time. */
	if (chance(50))
		while (read(pipes[0][0], arena, PAGE) > 0)
			;
}

static void data_on(const struct use *s, unsigned long op)
{
	static const int whences[] = { SEEK_SET, SEEK_CUR, SEEK_END, SEEK_DATA,
					SEEK_HOLE, 7 };
	static const unsigned int splice_flags[] = {
		0, SPLICE_F_NONBLOCK, SPLICE_F_MOVE, SPLICE_F_MORE, SPLICE_F_GIFT,
		SPLICE_F_NONBLOCK | SPLICE_F_MOVE, 0x80,
	};
	int *pipe = pipes[below(2)];
	size_t len = chance(80) ? below(3 * MAIN_SUBBUF) : rnd();
	loff_t off = chance(70) ? (loff_t)below(2 * MAIN_SUBBUF) : (loff_t)rnd();
	char *buf = chance(90) ? arena : (char *)(uintptr_t)pointer_value();
	char drain[PAGE];

	if (len > ARENA_SIZE && buf == arena)
		len = ARENA_SIZE;
	if (verbose)
		printf("%lu: data on fd %d [%d], len %zu, off %lld\n", op, s->fd,
		       s->kind, len, (long long)off);
	switch (below(10)) {
	case 9:
		read_on(s, op);
		break;
	case 0:
		(void)!read(s->fd, buf, len);
		break;
	case 1:
		(void)!pread(s->fd, buf, len, off);
		break;
	case 2:
		(void)!write(s->fd, arena, len > PAGE ? PAGE : len);
		break;
	case 3:
		lseek(s->fd, off, PICK(whences));
		break;
	case 4:
	case 5:
		splice(s->fd, chance(50) ? NULL : &off, pipe[1], NULL, len,
		       PICK(splice_flags) | SPLICE_F_NONBLOCK);
		break;
	case 6:
		if (chance(50))
			tee(pipes[0][0], pipes[1][1], len, SPLICE_F_NONBLOCK);
		else
			sendfile(devnull, s->fd, chance(50) ? NULL : &off,
				 len > 4 * MAIN_SUBBUF ? 4 * MAIN_SUBBUF : len);
		break;
	case 7:		/* drain a pipe, releasing what it references */
		while (read(pipe[0], drain, sizeof(drain)) > 0)
			;
		break;
	default: {
		struct pollfd pfd[4];
		struct use u[4];
		unsigned int i;

		for (i = 0; i < 4; i++) {
			u[i] = use_slot(random_slot());
			pfd[i] = (struct pollfd){ .fd = u[i].fd, .events = rnd() };
		}
		poll(pfd, 1 + below(4), 0);
		for (i = 0; i < 4; i++)
			done(&u[i]);
		break;
	}
	}
}

static void op_data(unsigned long op)
{
	struct use u = use_slot(random_slot());

	data_on(&u, op);
	done(&u);
}

static void pipes_open(void)
{
	unsigned int i;

	for (i = 0; i < 2; i++)
		if (pipe2(pipes[i], O_NONBLOCK | O_CLOEXEC))
			die("pipe: %s", strerror(errno));
}

static void pipes_close(void)
{
	unsigned int i;

	for (i = 0; i < 2; i++) {
		close(pipes[i][0]);
		close(pipes[i][1]);
	}
}

/* ---- Closing and opening ---- */

/* Closes a shared stream or metadata fd and opens it again, alone. */
static void reopen_shared(void)
{
	struct shared_fd *f = &shared[below(nshared)];

	if (f->kind != FD_STREAM && f->kind != FD_META)
		return;
	pthread_rwlock_wrlock(&f->lock);
	if (f->fd >= 0)
		close(f->fd);
	/* Fails with EBUSY while a dup or another open holds the stream. */
	if (f->kind == FD_STREAM)
		f->fd = e2e_open_stream(shared[0].fd, f->session, 0, f->cpu);
	else
		f->fd = e2e_open_metadata(shared[0].fd, f->session);
	stats.reopened += f->fd >= 0;
	pthread_rwlock_unlock(&f->lock);
}

/*
 * Close a fuzz fd (never /dev/ktrace or a shared fd), or open a stream or
 * the pipes again; with threads, dup a shared fd, or close and reopen one.
 */
static void op_fds(unsigned long op, int threaded)
{
	unsigned int i = 1 + below(MAX_FDS - 1);
	struct use u;
	int fd;

	if (verbose)
		printf("%lu: fds\n", op);
	switch (below(threaded ? 6 : 4)) {
	case 0:
		if (fds[i].fd >= 0 && fds[i].shared < 0) {
			close(fds[i].fd);
			fds[i].fd = -1;
		}
		break;
	case 1:
		fd = e2e_open_stream(fds[0].fd, chance(50) ? main_id : victim_id,
				     0, below(ncpus));
		if (fd >= 0)
			fuzz_add_fd(fd, FD_STREAM);
		break;
	case 2:
		fd = e2e_open_metadata(fds[0].fd, chance(50) ? main_id : victim_id);
		if (fd >= 0)
			fuzz_add_fd(fd, FD_META);
		break;
	case 3:
		pipes_close();
		pipes_open();
		break;
	case 4:		/* our own reference to a shared file */
		u = use_slot(random_slot());
		fd = fcntl(u.fd, F_DUPFD_CLOEXEC, 0);
		done(&u);
		if (fd >= 0)
			fuzz_add_fd(fd, u.kind);
		break;
	default:
		reopen_shared();
		break;
	}
}

/* ---- The thread's state ---- */

void fuzz_thread_init(void)
{
	static const struct sigaction touch_sa = { .sa_handler = on_touch_fault };
	unsigned int i;

	arena = mmap(NULL, ARENA_SIZE + PAGE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (arena == MAP_FAILED || mprotect(arena + ARENA_SIZE, PAGE, PROT_NONE))
		die("arena: %s", strerror(errno));
	sigaction(SIGBUS, &touch_sa, NULL);
	sigaction(SIGSEGV, &touch_sa, NULL);
	/* The main thread's first call, before any thread starts. */
	if (devnull < 0)
		devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	for (i = 0; i < MAX_FDS; i++)
		fds[i] = (struct slot){ .fd = -1, .shared = -1 };
	memset(maps, 0, sizeof(maps));
	memset(positions, 0, sizeof(positions));
	pipes_open();
}

void fuzz_thread_fini(void)
{
	unsigned int i;

	pipes_close();
	for (i = 0; i < MAX_MAPS; i++)
		if (maps[i].addr)
			munmap(maps[i].addr, maps[i].len);
	memset(maps, 0, sizeof(maps));
	/* Ours only: /dev/ktrace (slot 0) and the shared fds stay. */
	for (i = 1; i < MAX_FDS; i++)
		if (fds[i].fd >= 0 && fds[i].shared < 0)
			close(fds[i].fd);
	munmap(arena, ARENA_SIZE + PAGE);
}

void fuzz_op(struct e2e_nl *nl, unsigned long op, int threaded)
{
	unsigned int kind = below(100);

	if (kind < 40) {
		op_ioctl(op);
		stats.ops[0]++;
	} else if (kind < 65) {
		op_genl(nl, op);
		stats.ops[1]++;
	} else if (kind < 77) {
		op_mmap(op);
		stats.ops[2]++;
	} else if (kind < 97) {
		op_data(op);
		stats.ops[3]++;
	} else {
		op_fds(op, threaded);
		stats.ops[4]++;
	}
}

void fuzz_print_stats(const struct fuzz_stats *s, double seconds)
{
	unsigned int i;

	printf("abi-fuzz: %lu ioctls, %lu netlink messages (%lu synced), "
	       "%lu memory calls, %lu data calls, %lu fd changes in %.1f s\n",
	       s->ops[0], s->ops[1], s->genl_ok, s->ops[2], s->ops[3],
	       s->ops[4], seconds);
	printf("abi-fuzz: %lu ioctls succeeded, %lu opened an fd, %lu shared "
	       "fds reopened; netlink acks:", s->ioctl_ok, s->fds_opened,
	       s->reopened);
	for (i = 0; i < GENL_ERRNOS; i++)
		if (s->genl_errors[i])
			printf(" %s %lu,", i ? strerrorname_np(i) : "0",
			       s->genl_errors[i]);
	printf("\n");
	fflush(stdout);
}
