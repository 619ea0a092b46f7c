// SPDX-License-Identifier: GPL-2.0
/*
 * abi-fuzz [-s SEED] [-n OPS] [-v]: abuse the ABI, then check that it still
 * works (the uapi header and libnl only).
 *
 *  1. Privileges. As uid 65534 without capabilities: open("/dev/ktrace")
 *     fails with EACCES, while a /dev/ktrace fd that root handed over keeps
 *     working; the netlink commands genl-e2e does not try fail with EPERM,
 *     and so does every request from root on a socket that the
 *     unprivileged process opened (the opener's credentials count too).
 *  2. Fuzz. A snapshot session "fz-main" (events, contexts, started) and a
 *     normal session "fz-victim" that the fuzz may destroy under its
 *     readers; /dev/ktrace, one stream fd per CPU of each, a metadata fd.
 *     Then OPS (10000) operations from a seeded PRNG: ioctls around the
 *     valid numbers (direction, size, number and type bits changed, random
 *     arguments: NULL, unmapped, kernel and straddling pointers, structs
 *     with random sizes, flags, reserved fields and ids), generic netlink
 *     messages (commands 0..40, random flags including dump, attributes of
 *     random types and lengths, nested garbage), mmap, munmap, mremap,
 *     mprotect, madvise, read, pread, write, lseek, splice, tee, sendfile,
 *     poll, close and reopen. Every ioctl with a valid number must fail
 *     only with an errno docs/ABI.md lists for it.
 *  3. Afterwards, with every fuzz fd, mapping and pipe closed: fz-main is
 *     still listed, stops and starts, its streams open again (no reader
 *     leaked), and test events fired on CPU 0 are read back, the same
 *     bytes through mmap and splice.
 *  4. Killed reader. A child gets the newest packet of CPU 0, splices part
 *     of it into a pipe of its own and blocks; while it lives the stream is
 *     EBUSY; once it is SIGKILLed and reaped, the parent gets the same
 *     position with the same bytes.
 *  5. Every session it made is destroyed.
 *
 * The fuzz stays an abuse of the ABI, not of the fuzzer or the machine: it
 * passes the kernel no pointer into its own memory except a scratch arena
 * that ends at a guard page, never maps with MAP_FIXED, never destroys
 * fz-main or disables its events, pipes are non-blocking, and channel
 * geometries stay small (at most 4 MiB per CPU) so that a 1 GiB VM keeps
 * room. The seed is printed first: -s SEED replays a run.
 *
 * Prints "ok:"/"FAILED:" lines; exit status 0 when every check passed.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <linux/genetlink.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "e2e.h"

#define MAIN_NAME	"fz-main"
#define VICTIM_NAME	"fz-victim"
#define MAIN_SUBBUF	65536
#define MAIN_NUM_SUBBUF	4
#define POST_EVENTS	100
#define POST_PAYLOAD	0x66757a7a2d6f6b21ULL	/* "fuzz-ok!" */
#define ARENA_SIZE	65536
#define MAX_FDS		64
#define MAX_MAPS	32
#define MAX_CPUS	64
#define PAGE		4096

static int verbose;

/* ---- PRNG: splitmix64, so that a seed replays a run ---- */

static uint64_t rng;

static uint64_t rnd(void)
{
	uint64_t z = (rng += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t below(uint64_t n)
{
	return n ? rnd() % n : 0;
}

static int chance(unsigned int percent)
{
	return below(100) < percent;
}

#define PICK(a) ((a)[below(sizeof(a) / sizeof((a)[0]))])

/* ---- Netlink ---- */

static struct e2e_nl ctl;		/* the control socket */
static uint32_t fuzz_seq;		/* the last random message */
static unsigned long genl_errors[140];	/* its acks, by errno */

/* The fuzz socket's stray messages: the acks of random messages. */
static void count_fuzz_ack(struct nlmsghdr *nlh, void *arg)
{
	(void)arg;
	if (nlh->nlmsg_seq == fuzz_seq && fuzz_seq &&
	    nlh->nlmsg_type == NLMSG_ERROR) {
		int e = -((struct nlmsgerr *)NLMSG_DATA(nlh))->error;

		genl_errors[e >= 0 && e < 140 ? e : 139]++;
	}
}

static void session_setup(uint32_t session, uint64_t subbuf, uint32_t num,
			  const char *const *events, const uint32_t *contexts)
{
	struct e2e_ack ack;

	e2e_channel_new(&ctl, session, "channel0", subbuf, num);
	for (; *events; events++)
		e2e_event_enable(&ctl, session, 0, *events);
	for (; *contexts; contexts++)
		e2e_context_add(&ctl, session, 0, *contexts);
	e2e_must(e2e_session_cmd(&ctl, KTRACE_CMD_START, session, &ack), &ack,
		 "START");
}

/* ---- What the fuzz works on ---- */

enum fd_kind { FD_DEV, FD_STREAM, FD_META, FD_OTHER };

struct slot {
	int fd;			/* -1: free */
	enum fd_kind kind;
};

struct map {
	char *addr;
	size_t len;
	int touch;		/* safe to read (no madvise since) */
};

static struct slot fds[MAX_FDS];
static struct map maps[MAX_MAPS];
static int pipes[2][2];
static int devnull;
static char *arena;		/* ARENA_SIZE bytes, then a PROT_NONE page */
static uint32_t main_id, victim_id;
static unsigned int ncpus;
static uint64_t positions[16];	/* sampled positions, for GET_SUBBUF */
static sigjmp_buf touch_jmp;

static const char *const session_names[] = {
	MAIN_NAME, VICTIM_NAME, "fz-a", "fz-b", "fz-c", "", "fz a",
	"fz-name-of-sixty-five-characters-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
};
static const char *const channel_names[] = {
	"channel0", "c1", "", "c/1", "..",
};
static const char *const event_names[] = {
	"ktrace_test", "sched_switch", "sched_*", "irq_*", "timer_*", "*?",
	"nosuch", "sched-switch", "",
};

static void add_fd(int fd, enum fd_kind kind)
{
	unsigned int i, victim = 1 + below(MAX_FDS - 1);

	for (i = 0; i < MAX_FDS; i++)
		if (fds[i].fd < 0)
			break;
	if (i == MAX_FDS) {	/* full: close one, never /dev/ktrace */
		close(fds[victim].fd);
		i = victim;
	}
	fds[i].fd = fd;
	fds[i].kind = kind;
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

static uint32_t session_id_value(void)
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

/* ---- ioctls ---- */

static const unsigned long dev_cmds[] = {
	KTRACE_IOC_API, KTRACE_IOC_OPEN_STREAM, KTRACE_IOC_OPEN_METADATA,
};
static const unsigned long stream_cmds[] = {
	KTRACE_STREAM_SNAPSHOT, KTRACE_STREAM_SNAPSHOT_GET_CONSUMED,
	KTRACE_STREAM_SNAPSHOT_GET_PRODUCED, KTRACE_STREAM_GET_SUBBUF,
	KTRACE_STREAM_PUT_SUBBUF, KTRACE_STREAM_GET_NEXT_SUBBUF,
	KTRACE_STREAM_PUT_NEXT_SUBBUF, KTRACE_STREAM_GET_SUBBUF_SIZE,
	KTRACE_STREAM_GET_PADDED_SUBBUF_SIZE, KTRACE_STREAM_GET_MAX_SUBBUF_SIZE,
	KTRACE_STREAM_GET_MMAP_LEN, KTRACE_STREAM_GET_MMAP_READ_OFFSET,
	KTRACE_STREAM_FLUSH, KTRACE_STREAM_FLUSH_EMPTY,
	KTRACE_STREAM_GET_PACKET_INFO, KTRACE_STREAM_PACKET_INDEX,
};

/*
 * The errnos docs/ABI.md lists for a valid ioctl number on its own kind
 * of fd ("" when it cannot fail); NULL when the number is not that fd's.
 */
static const char *allowed_errnos(enum fd_kind kind, unsigned long cmd)
{
	static char set[16];
	static const int none[] = { 0 };
	static const int api[] = { EINVAL, EFAULT, 0 };
	static const int open_stream[] = { EINVAL, ENOENT, EBUSY, EFAULT,
					   EMFILE, ENOMEM, 0 };
	static const int open_meta[] = { EINVAL, ENOENT, EFAULT, EMFILE,
					 ENOMEM, 0 };
	static const int sampled[] = { ENODATA, EFAULT, 0 };
	static const int get[] = { EINVAL, EBUSY, EAGAIN, ENODATA, EFAULT, 0 };
	static const int put[] = { EINVAL, 0 };
	static const int held[] = { ENODATA, EFAULT, 0 };
	static const int out[] = { EFAULT, 0 };
	static const int info[] = { EINVAL, ENODATA, EFAULT, 0 };
	static const int index[] = { EINVAL, ENODATA, E2BIG, EFAULT, ENOMEM, 0 };
	const int *e = NULL;
	unsigned int n = 0;

	if (kind == FD_DEV) {
		if (cmd == KTRACE_IOC_API)
			e = api;
		else if (cmd == KTRACE_IOC_OPEN_STREAM)
			e = open_stream;
		else if (cmd == KTRACE_IOC_OPEN_METADATA)
			e = open_meta;
	} else if (kind == FD_STREAM) {
		switch (cmd) {
		case KTRACE_STREAM_SNAPSHOT:
		case KTRACE_STREAM_FLUSH:
		case KTRACE_STREAM_FLUSH_EMPTY:
			e = none;
			break;
		case KTRACE_STREAM_SNAPSHOT_GET_CONSUMED:
		case KTRACE_STREAM_SNAPSHOT_GET_PRODUCED:
			e = sampled;
			break;
		case KTRACE_STREAM_GET_SUBBUF:
		case KTRACE_STREAM_GET_NEXT_SUBBUF:
			e = get;
			break;
		case KTRACE_STREAM_PUT_SUBBUF:
		case KTRACE_STREAM_PUT_NEXT_SUBBUF:
			e = put;
			break;
		case KTRACE_STREAM_GET_SUBBUF_SIZE:
		case KTRACE_STREAM_GET_PADDED_SUBBUF_SIZE:
		case KTRACE_STREAM_GET_MMAP_READ_OFFSET:
			e = held;
			break;
		case KTRACE_STREAM_GET_MAX_SUBBUF_SIZE:
		case KTRACE_STREAM_GET_MMAP_LEN:
			e = out;
			break;
		case KTRACE_STREAM_GET_PACKET_INFO:
			e = info;
			break;
		case KTRACE_STREAM_PACKET_INDEX:
			e = index;
			break;
		}
	}
	if (!e)
		return NULL;
	while (e[n] && n < sizeof(set) - 1) {
		set[n] = (char)e[n];
		n++;
	}
	set[n] = '\0';
	return set;
}

/* A struct size field: the interesting values around @ver0 and @full. */
static uint32_t size_value(uint32_t ver0, uint32_t full)
{
	const uint32_t sizes[] = {
		0, 1, ver0 - 1, ver0, full, full + 8, full + 4, PAGE, ARENA_SIZE,
		ARENA_SIZE + 8, UINT32_MAX,
	};

	if (chance(10))
		return rnd();
	return chance(50) ? full : PICK(sizes);
}

/* A place in the arena for @len bytes, ending at the guard page. */
static char *arena_tail(size_t len)
{
	if (len > ARENA_SIZE)
		len = ARENA_SIZE;
	return arena + ARENA_SIZE - ((len + 7) & ~(size_t)7);
}

static uint64_t pointer_value(void)
{
	static const uint64_t kernelish[] = {
		0xffff888000000000ULL, 0xffffffff81000000ULL,
		0xffffc90000000000ULL, 0x0000800000000000ULL,
		0xfffffffffffff000ULL,
	};

	switch (below(7)) {
	case 0: return 0;
	case 1: return (uintptr_t)(arena + ARENA_SIZE);	/* the guard page */
	case 2: return (uintptr_t)(arena + ARENA_SIZE - 1 - below(8));
	case 3: return PICK(kernelish);
	case 4: return rnd();
	case 5: return below(PAGE);
	default: return (uintptr_t)(arena + below(ARENA_SIZE / 2));
	}
}

/* Fills a struct for @nr (the ioctl number's nr field); returns its address. */
static char *fill_struct(unsigned int nr)
{
	uint32_t usize;
	char *p;

	switch (nr) {
	case KTRACE_IOC_NR_API:
		usize = size_value(KTRACE_API_SIZE_VER0, sizeof(struct ktrace_api));
		break;
	case KTRACE_IOC_NR_OPEN_STREAM:
		usize = size_value(KTRACE_OPEN_STREAM_SIZE_VER0,
				   sizeof(struct ktrace_open_stream));
		break;
	case KTRACE_IOC_NR_OPEN_METADATA:
		usize = size_value(KTRACE_OPEN_METADATA_SIZE_VER0,
				   sizeof(struct ktrace_open_metadata));
		break;
	case 0x1e:
		usize = size_value(KTRACE_PACKET_INFO_SIZE_VER0,
				   sizeof(struct ktrace_packet_info));
		break;
	case 0x1f:
		usize = size_value(KTRACE_PACKET_INDEX_SIZE_VER0,
				   sizeof(struct ktrace_packet_index));
		break;
	default:	/* a __u64: a position, or anything */
		p = arena_tail(8);
		if (chance(70)) {
			const uint64_t pos[] = {
				positions[below(16)], positions[below(16)] - MAIN_SUBBUF,
				0, MAIN_SUBBUF, 1, UINT64_MAX, (uint64_t)1 << 63,
				(uint64_t)UINT32_MAX + 1,
			};
			uint64_t v = PICK(pos);

			memcpy(p, &v, 8);
		} else {
			uint64_t v = rnd();

			memcpy(p, &v, 8);
		}
		return p;
	}
	/* The caller's struct, zeroed or random past what we set. */
	p = arena_tail(usize > 64 ? usize : 64);
	if (chance(70))
		memset(p, 0, arena + ARENA_SIZE - p);
	else
		for (char *q = p; q < arena + ARENA_SIZE; q++)
			*q = rnd();
	if (chance(80))
		memcpy(p, &usize, 4);
	if (nr == KTRACE_IOC_NR_OPEN_STREAM && chance(80)) {
		struct ktrace_open_stream req = {
			.session_id = session_id_value(),
			.channel_id = chance(80) ? below(3) : rnd(),
			.cpu = chance(80) ? below(ncpus + 2) : rnd(),
			.flags = chance(90) ? 0 : 1u << below(32),
			.reserved = chance(90) ? 0 : rnd(),
		};

		memcpy(p + 4, (char *)&req + 4, sizeof(req) - 4);
	} else if (nr == KTRACE_IOC_NR_OPEN_METADATA && chance(80)) {
		struct ktrace_open_metadata req = {
			.session_id = session_id_value(),
			.flags = chance(90) ? 0 : 1u << below(32),
			.reserved = chance(90) ? 0 : rnd(),
		};

		memcpy(p + 4, (char *)&req + 4, sizeof(req) - 4);
	} else if (nr == 0x1f && chance(80)) {
		const uint32_t counts[] = { 0, 1, 2, 4, 16, UINT32_MAX };
		struct ktrace_packet_index req = {
			.count = PICK(counts),
			.entries = chance(60) ? (uintptr_t)arena : pointer_value(),
			.flags = chance(90) ? 0 : 1u << below(32),
			.reserved = chance(90) ? 0 : rnd(),
		};

		memcpy(p + 4, (char *)&req + 4, sizeof(req) - 4);
	}
	return p;
}

/* Mostly a number of @kind's fd, then changed now and then. */
static unsigned long ioctl_cmd(enum fd_kind kind)
{
	int dev = kind == FD_DEV ? chance(85) : kind == FD_STREAM ? chance(15)
							      : chance(50);
	unsigned long cmd = dev ? PICK(dev_cmds) : PICK(stream_cmds);
	static const unsigned int sizes[] = { 0, 1, 4, 7, 8, 16, 24, 32, 56,
					      64, 4096, 0x3fff };

	switch (below(10)) {
	case 5:		/* another direction */
		cmd ^= (below(3) + 1) << _IOC_DIRSHIFT;
		break;
	case 6:		/* another size */
		cmd = (cmd & ~((unsigned long)_IOC_SIZEMASK << _IOC_SIZESHIFT)) |
		      ((unsigned long)PICK(sizes) << _IOC_SIZESHIFT);
		break;
	case 7:		/* a neighbouring number */
		cmd = (cmd & ~((unsigned long)_IOC_NRMASK << _IOC_NRSHIFT)) |
		      (below(0x40) << _IOC_NRSHIFT);
		break;
	case 8:		/* another type (magic) */
		cmd = (cmd & ~((unsigned long)_IOC_TYPEMASK << _IOC_TYPESHIFT)) |
		      (below(256) << _IOC_TYPESHIFT);
		break;
	case 9:
		cmd = (uint32_t)rnd();
		break;
	}
	return cmd;
}

static unsigned long errno_violations, ioctl_ok, fds_opened;

static void op_ioctl(unsigned long op)
{
	struct slot *s = random_slot();
	unsigned long cmd = ioctl_cmd(s->kind);
	const char *allowed = allowed_errnos(s->kind, cmd);
	unsigned long arg;
	long ret;
	int err;

	if (chance(75))
		arg = (uintptr_t)fill_struct(_IOC_NR(cmd));
	else
		arg = pointer_value();
	ret = ioctl(s->fd, cmd, arg);
	err = errno;
	if (verbose)
		printf("%lu: ioctl(%d [%d], %#lx, %#lx) = %ld %s\n", op, s->fd,
		       s->kind, cmd, arg, ret, ret < 0 ? strerrorname_np(err) : "");
	if (ret >= 0 && s->kind == FD_DEV &&
	    (cmd == KTRACE_IOC_OPEN_STREAM || cmd == KTRACE_IOC_OPEN_METADATA)) {
		if (!(fcntl(ret, F_GETFD) & FD_CLOEXEC))
			check(0, "op %lu: OPEN ioctl %#lx: fd %ld without FD_CLOEXEC",
			      op, cmd, ret);
		add_fd(ret, cmd == KTRACE_IOC_OPEN_STREAM ? FD_STREAM : FD_META);
		fds_opened++;
		return;
	}
	if (ret > 0) {
		errno_violations++;
		check(0, "op %lu: ioctl %#lx on a kind-%d fd returned %ld", op,
		      cmd, s->kind, ret);
		return;
	}
	/* Remember sampled positions: GET_SUBBUF gets to try them. */
	if (!ret && s->kind == FD_STREAM && arg == (uintptr_t)arena_tail(8) &&
	    (cmd == KTRACE_STREAM_SNAPSHOT_GET_PRODUCED ||
	     cmd == KTRACE_STREAM_SNAPSHOT_GET_CONSUMED))
		memcpy(&positions[below(16)], arena_tail(8), 8);
	if (ret == 0) {
		ioctl_ok++;
		return;
	}
	/* Our magic, unknown to this fd: ENOTTY. Known: a documented errno. */
	if (_IOC_TYPE(cmd) != KTRACE_IOC_MAGIC)
		return;
	if (allowed ? !strchr(allowed, err) || !err : err != ENOTTY) {
		if (errno_violations++ < 20)
			check(0, "op %lu: ioctl %#lx on a kind-%d fd: %s is not documented",
			      op, cmd, s->kind, strerror(err));
	}
}

/* ---- Generic netlink ---- */

enum attr_kind { A_NONE, A_U8, A_U32, A_U64, A_STR, A_NEST };

static enum attr_kind attr_kind(unsigned int type)
{
	switch (type) {
	case KTRACE_ATTR_SESSION_STARTED_ONCE:
	case KTRACE_ATTR_EVENT_ENABLED:
	case KTRACE_ATTR_EVENT_AVAILABLE:
	case KTRACE_ATTR_FIELD_SIGNED:
		return A_U8;
	case KTRACE_ATTR_SNAPSHOT_COUNT:
	case KTRACE_ATTR_CHANNEL_SUBBUF_SIZE:
	case KTRACE_ATTR_CHANNEL_DISCARDED:
	case KTRACE_ATTR_CHANNEL_OVERWRITTEN:
	case KTRACE_ATTR_OUTPUT_MAX_SIZE:
	case KTRACE_ATTR_TEST_SEQ:
	case KTRACE_ATTR_TEST_PAYLOAD:
	case KTRACE_ATTR_PAD:
		return A_U64;
	case KTRACE_ATTR_SESSION_NAME:
	case KTRACE_ATTR_CHANNEL_NAME:
	case KTRACE_ATTR_EVENT_NAME:
	case KTRACE_ATTR_FIELD_NAME:
	case KTRACE_ATTR_OUTPUT_NAME:
	case KTRACE_ATTR_OUTPUT_DEST:
		return A_STR;
	case KTRACE_ATTR_CHANNEL:
	case KTRACE_ATTR_EVENT:
	case KTRACE_ATTR_FIELD:
	case KTRACE_ATTR_OUTPUT:
		return A_NEST;
	case KTRACE_ATTR_UNSPEC:
		return A_NONE;
	default:
		return type <= KTRACE_ATTR_MAX ? A_U32 : A_NONE;
	}
}

static uint32_t u32_value(unsigned int type)
{
	static const uint32_t num_subbuf[] = { 0, 1, 2, 3, 4, 8, 16, 1u << 30,
					       UINT32_MAX };
	static const uint32_t counts[] = { 0, 1, 2, 100, 1000,
					   KTRACE_TEST_FIRE_MAX + 1, UINT32_MAX };
	static const uint32_t small[] = { 0, 1, 2, 3, 9, 10, 0x7fffffff,
					  UINT32_MAX };

	switch (type) {
	case KTRACE_ATTR_SESSION_ID:
		return session_id_value();
	case KTRACE_ATTR_CHANNEL_NUM_SUBBUF:
		return PICK(num_subbuf);
	case KTRACE_ATTR_TEST_COUNT:	/* never the 1e6 maximum: too slow */
		return PICK(counts);
	default:
		return chance(80) ? PICK(small) : (uint32_t)rnd();
	}
}

static uint64_t u64_value(unsigned int type)
{
	static const uint64_t subbuf[] = {
		0, 1, 4095, 4096, 8192, 12288, 65536, 1 << 20,
		(uint64_t)1 << 46, (uint64_t)1 << 62, UINT64_MAX,
	};

	if (type == KTRACE_ATTR_CHANNEL_SUBBUF_SIZE)
		return chance(90) ? PICK(subbuf) : rnd();
	return chance(50) ? below(4) : rnd();
}

static const char *str_value(unsigned int type, char *buf, size_t size)
{
	static const char *const dests[] = {
		"/tmp/fz", "file:///tmp/fz", "net://x", "relative", "",
	};
	size_t i, len;

	if (chance(10)) {	/* long, up to past the longest allowed */
		len = below(chance(50) ? 80 : size);
		for (i = 0; i < len; i++)
			buf[i] = 'a' + below(26);
		buf[len] = '\0';
		return buf;
	}
	switch (type) {
	case KTRACE_ATTR_SESSION_NAME:
		return PICK(session_names);
	case KTRACE_ATTR_CHANNEL_NAME:
	case KTRACE_ATTR_OUTPUT_NAME:
		return PICK(channel_names);
	case KTRACE_ATTR_EVENT_NAME:
		return PICK(event_names);
	default:
		return PICK(dests);
	}
}

static void put_attrs(struct nl_msg *msg, int depth);

/* One attribute of @type: well-formed for its type (@sane %), or garbage. */
static int put_attr(struct nl_msg *msg, unsigned int type, int depth,
		    unsigned int sane)
{
	unsigned int base = type & NLA_TYPE_MASK;
	char buf[KTRACE_DEST_LEN + 2];
	size_t len = 0, i;

	if (chance(sane)) {
		switch (attr_kind(base)) {
		case A_U8:
			buf[0] = below(3);
			len = 1;
			break;
		case A_U32: {
			uint32_t v = u32_value(base);

			memcpy(buf, &v, len = 4);
			break;
		}
		case A_U64: {
			uint64_t v = u64_value(base);

			memcpy(buf, &v, len = 8);
			break;
		}
		case A_STR: {
			char str[KTRACE_DEST_LEN + 2];
			const char *v = str_value(base, str, sizeof(str) - 1);

			len = strlen(v) + (chance(90) ? 1 : 0);
			memcpy(buf, v, len);
			break;
		}
		case A_NEST:
			if (depth < 2) {
				struct nlattr *nest = nla_nest_start(msg, type);

				if (!nest)
					return -1;
				put_attrs(msg, depth + 1);
				nla_nest_end(msg, nest);
				return 0;
			}
			break;
		case A_NONE:
			break;
		}
	} else {
		len = below(chance(90) ? 24 : 200);
		for (i = 0; i < len; i++)
			buf[i] = chance(50) ? 0 : rnd();
	}
	return nla_put(msg, type, len, buf);
}

/* Attributes of random types (and flag bits); @depth for nests. */
static void put_attrs(struct nl_msg *msg, int depth)
{
	unsigned int n = below(depth ? 4 : 7), i;

	for (i = 0; i < n; i++) {
		unsigned int type = chance(85) ? 1 + below(KTRACE_ATTR_MAX)
					       : below(64);

		if (chance(5))
			type |= chance(50) ? NLA_F_NESTED : NLA_F_NET_BYTEORDER;
		if (put_attr(msg, type, depth, 75))
			return;
	}
}

/*
 * The attributes command @cmd takes (docs/ABI.md), each with a fair
 * chance: requests that pass validation and reach the core.
 */
static void put_cmd_attrs(struct nl_msg *msg, uint8_t cmd)
{
	enum {
		S = 1 << 0, C = 1 << 1, E = 1 << 2, X = 1 << 3, O = 1 << 4,
		NEW_S = 1 << 5, NEW_C = 1 << 6, NEW_O = 1 << 7, T = 1 << 8,
	};
	static const unsigned int takes[KTRACE_CMD_MAX + 1] = {
		[KTRACE_CMD_SESSION_NEW] = NEW_S,
		[KTRACE_CMD_SESSION_DEL] = S, [KTRACE_CMD_SESSION_GET] = S,
		[KTRACE_CMD_CHANNEL_NEW] = S | NEW_C,
		[KTRACE_CMD_CHANNEL_GET] = S | C, [KTRACE_CMD_EVENT_GET] = S | C,
		[KTRACE_CMD_EVENT_ENABLE] = S | C | E,
		[KTRACE_CMD_EVENT_DISABLE] = S | C | E,
		[KTRACE_CMD_CONTEXT_ADD] = S | C | X,
		[KTRACE_CMD_START] = S, [KTRACE_CMD_STOP] = S,
		[KTRACE_CMD_OUTPUT_ADD] = S | NEW_O, [KTRACE_CMD_OUTPUT_DEL] = S | O,
		[KTRACE_CMD_OUTPUT_GET] = S, [KTRACE_CMD_SNAPSHOT_BUMP] = S,
		[KTRACE_CMD_TEST_FIRE] = T,
	};
	static const struct { unsigned int group; uint16_t type; } attrs[] = {
		{ S, KTRACE_ATTR_SESSION_ID }, { S, KTRACE_ATTR_SESSION_NAME },
		{ NEW_S, KTRACE_ATTR_SESSION_NAME }, { NEW_S, KTRACE_ATTR_SESSION_MODE },
		{ C, KTRACE_ATTR_CHANNEL_ID }, { C, KTRACE_ATTR_CHANNEL_NAME },
		{ NEW_C, KTRACE_ATTR_CHANNEL_NAME }, { NEW_C, KTRACE_ATTR_CHANNEL_MODE },
		{ NEW_C, KTRACE_ATTR_CHANNEL_SUBBUF_SIZE },
		{ NEW_C, KTRACE_ATTR_CHANNEL_NUM_SUBBUF },
		{ NEW_C, KTRACE_ATTR_CHANNEL_SWITCH_TIMER },
		{ NEW_C, KTRACE_ATTR_CHANNEL_OUTPUT },
		{ E, KTRACE_ATTR_EVENT_NAME }, { X, KTRACE_ATTR_CONTEXT_TYPE },
		{ O, KTRACE_ATTR_OUTPUT_ID }, { O, KTRACE_ATTR_OUTPUT_NAME },
		{ NEW_O, KTRACE_ATTR_OUTPUT_NAME }, { NEW_O, KTRACE_ATTR_OUTPUT_DEST },
		{ NEW_O, KTRACE_ATTR_OUTPUT_MAX_SIZE },
		{ T, KTRACE_ATTR_TEST_SEQ }, { T, KTRACE_ATTR_TEST_COUNT },
		{ T, KTRACE_ATTR_TEST_PAYLOAD },
	};
	unsigned int i, group = cmd <= KTRACE_CMD_MAX ? takes[cmd] : 0;
	int named = 0;

	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		if (!(attrs[i].group & group) || !chance(60))
			continue;
		/* A session by id or by name: both, now and then. */
		if (attrs[i].group == S && named++ && chance(80))
			continue;
		if (put_attr(msg, attrs[i].type, 0, 92))
			return;
	}
	if (chance(10))		/* and one more, of any type */
		put_attrs(msg, 1);
}

/* Never let the fuzz destroy fz-main or disable its events. */
static void protect_main(struct nlmsghdr *nlh)
{
	struct genlmsghdr *g = nlmsg_data(nlh);
	struct nlattr *a;
	int rem;

	if (g->cmd != KTRACE_CMD_SESSION_DEL && g->cmd != KTRACE_CMD_EVENT_DISABLE)
		return;
	nla_for_each_attr(a, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0), rem) {
		uint32_t id;

		if (nla_type(a) == KTRACE_ATTR_SESSION_ID && nla_len(a) >= 4) {
			memcpy(&id, nla_data(a), 4);
			if (id == main_id) {
				id = victim_id;
				memcpy(nla_data(a), &id, 4);
			}
		} else if (nla_type(a) == KTRACE_ATTR_SESSION_NAME &&
			   nla_len(a) >= (int)strlen(MAIN_NAME) &&
			   !memcmp(nla_data(a), MAIN_NAME, strlen(MAIN_NAME))) {
			memcpy(nla_data(a), "fz-victi", 8);
		}
	}
}

/*
 * Channel geometry: refused values are welcome, but an accepted channel
 * may take at most 4 MiB per CPU. Past that, the number of sub-buffers
 * becomes 3, which is refused.
 */
static void limit_geometry(struct nlmsghdr *nlh)
{
	struct genlmsghdr *g = nlmsg_data(nlh);
	uint64_t subbuf = 1 << 20;
	uint32_t *num = NULL, n = 4;
	struct nlattr *a;
	int rem;

	nla_for_each_attr(a, genlmsg_attrdata(g, 0), genlmsg_attrlen(g, 0), rem) {
		if (nla_type(a) == KTRACE_ATTR_CHANNEL_SUBBUF_SIZE && nla_len(a) == 8)
			memcpy(&subbuf, nla_data(a), 8);
		if (nla_type(a) == KTRACE_ATTR_CHANNEL_NUM_SUBBUF && nla_len(a) == 4) {
			num = nla_data(a);
			memcpy(&n, num, 4);
		}
	}
	/* Sizes too large for the machine's memory fail before allocating. */
	if (subbuf > (4 << 20) || n > (4 << 20) || subbuf * n <= (4 << 20))
		return;
	/* Without the attribute, only sizes the pools lack get this far. */
	if (num)
		memcpy(num, &(uint32_t){ 3 }, 4);
}

static unsigned long genl_sent, genl_ok;

static void op_genl(struct e2e_nl *c, unsigned long op)
{
	static const uint16_t flag_bits[] = {
		NLM_F_ACK, NLM_F_ECHO, NLM_F_DUMP, NLM_F_ROOT, NLM_F_MATCH,
		NLM_F_ATOMIC, NLM_F_MULTI, NLM_F_DUMP_INTR, NLM_F_REPLACE,
		NLM_F_EXCL, NLM_F_CREATE, NLM_F_APPEND, 0x8000,
	};
	int grammar = chance(60);
	uint16_t flags = NLM_F_REQUEST | (grammar ? NLM_F_ACK : 0);
	uint8_t cmd = grammar ? 1 + below(KTRACE_CMD_MAX) :
		      chance(80) ? below(KTRACE_CMD_MAX + 3) : below(41);
	struct nl_msg *msg = nlmsg_alloc_size(16384);
	struct e2e_ack ack;
	struct nlmsghdr *nlh;
	struct genlmsghdr *g;
	uint32_t seq = ++c->seq;
	unsigned int i;
	int ret;

	if (grammar && chance(20))
		flags = NLM_F_REQUEST | NLM_F_DUMP;
	for (i = grammar ? (unsigned int)chance(10) : below(4); i; i--)
		flags |= PICK(flag_bits);
	if (!grammar && chance(10))
		flags = rnd();
	if (!msg || !(g = genlmsg_put(msg, 0, seq, c->family, 0, flags, cmd,
				      chance(95) ? KTRACE_GENL_VERSION : rnd())))
		die("out of memory");
	if (!grammar && chance(5))
		g->reserved = rnd();
	if (grammar)
		put_cmd_attrs(msg, cmd);
	else
		put_attrs(msg, 0);
	fuzz_seq = seq;
	nlh = nlmsg_hdr(msg);
	if (chance(3))	/* netlink's own types */
		nlh->nlmsg_type = below(NLMSG_MIN_TYPE);
	protect_main(nlh);
	if (g->cmd == KTRACE_CMD_CHANNEL_NEW)
		limit_geometry(nlh);
	if (verbose)
		printf("%lu: genl cmd %u flags %#x len %u\n", op, g->cmd,
		       nlh->nlmsg_flags, nlh->nlmsg_len);
	genl_sent++;
	if (send(c->fd, nlh, nlh->nlmsg_len, 0) < 0 && errno != ENOBUFS)
		check(0, "op %lu: netlink send: %s", op, strerror(errno));
	nlmsg_free(msg);

	/* Then a request we know: its ack comes after anything of the above. */
	ret = e2e_session_cmd(c, KTRACE_CMD_SESSION_GET, main_id, &ack);
	if (ret)
		check(0, "op %lu: SESSION_GET %s after a random message: %s %s",
		      op, MAIN_NAME, strerror(-ret), ack.msg);
	else
		genl_ok++;
}

/* ---- Memory: mmap and friends, on our own mappings only ---- */

/* SIGBUS or SIGSEGV while reading a mapping that should be readable. */
static void on_touch_fault(int sig)
{
	siglongjmp(touch_jmp, sig);
}

static const struct sigaction touch_sa = { .sa_handler = on_touch_fault };

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
	struct slot *s = random_slot();
	struct map *m = random_map();
	size_t len;
	off_t off;
	void *p;

	switch (below(m ? 6 : 1)) {
	case 0: {	/* mmap a random range of a random fd */
		int prot = PICK(prots);
		unsigned int i;

		len = chance(80) ? (1 + below(90)) * PAGE : below(1 << 20);
		off = chance(80) ? (off_t)below(90) * PAGE : (off_t)rnd();
		p = mmap(NULL, len, prot, PICK(types) | PICK(extra), s->fd, off);
		if (verbose)
			printf("%lu: mmap(%zu, fd %d, %#llx) = %p\n", op, len,
			       s->fd, (unsigned long long)off, p);
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
		sigaction(SIGBUS, &touch_sa, NULL);
		sigaction(SIGSEGV, &touch_sa, NULL);
		if ((sig = sigsetjmp(touch_jmp, 1))) {
			check(0, "op %lu: %s reading a readable mapping", op,
			      strsignal(sig));
			m->touch = 0;
		} else {
			for (i = 0; i < m->len; i += PAGE)
				sum += m->addr[i];
		}
		signal(SIGBUS, SIG_DFL);
		signal(SIGSEGV, SIG_DFL);
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

static void op_data(unsigned long op)
{
	static const int whences[] = { SEEK_SET, SEEK_CUR, SEEK_END, SEEK_DATA,
					SEEK_HOLE, 7 };
	static const unsigned int splice_flags[] = {
		0, SPLICE_F_NONBLOCK, SPLICE_F_MOVE, SPLICE_F_MORE, SPLICE_F_GIFT,
		SPLICE_F_NONBLOCK | SPLICE_F_MOVE, 0x80,
	};
	struct slot *s = random_slot();
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
	switch (below(9)) {
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
		unsigned int i;

		for (i = 0; i < 4; i++)
			pfd[i] = (struct pollfd){ .fd = random_slot()->fd,
						  .events = rnd() };
		poll(pfd, 1 + below(4), 0);
		break;
	}
	}
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

/* ---- Opening ---- */

/* Close a fuzz fd (never /dev/ktrace), or open a stream or the pipes again. */
static void op_fds(unsigned long op)
{
	unsigned int i = 1 + below(MAX_FDS - 1);
	int fd;

	if (verbose)
		printf("%lu: fds\n", op);
	switch (below(4)) {
	case 0:
		if (fds[i].fd >= 0) {
			close(fds[i].fd);
			fds[i].fd = -1;
		}
		break;
	case 1:
		fd = e2e_open_stream(fds[0].fd, chance(50) ? main_id : victim_id,
				     0, below(ncpus));
		if (fd >= 0)
			add_fd(fd, FD_STREAM);
		break;
	case 2:
		fd = e2e_open_metadata(fds[0].fd, chance(50) ? main_id : victim_id);
		if (fd >= 0)
			add_fd(fd, FD_META);
		break;
	default:
		pipes_close();
		pipes_open();
		break;
	}
}

/* ---- Phase 1: privileges ---- */

static void drop_privileges(void)
{
	if (setgroups(0, NULL) || setgid(65534) || setuid(65534))
		die("dropping privileges: %s", strerror(errno));
}

/* A request for @cmd on @c; returns its errno, the message in @ack. */
static int try_cmd(struct e2e_nl *c, uint8_t cmd, int dump,
		   struct e2e_ack *ack)
{
	struct nl_msg *msg = e2e_msg(c, cmd, dump);

	if (cmd != KTRACE_CMD_TRACEPOINT_LIST)
		e2e_put_u32(msg, KTRACE_ATTR_SESSION_ID, main_id);
	return e2e_send(c, msg, NULL, NULL, ack);
}

static void send_fd(int sock, int fd)
{
	char cbuf[CMSG_SPACE(sizeof(int))] = { 0 };
	struct iovec iov = { .iov_base = "f", .iov_len = 1 };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c = CMSG_FIRSTHDR(&mh);

	c->cmsg_level = SOL_SOCKET;
	c->cmsg_type = SCM_RIGHTS;
	c->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(c), &fd, sizeof(int));
	if (sendmsg(sock, &mh, 0) != 1)
		die("sendmsg: %s", strerror(errno));
}

static int recv_fd(int sock)
{
	char cbuf[CMSG_SPACE(sizeof(int))], byte;
	struct iovec iov = { .iov_base = &byte, .iov_len = 1 };
	struct msghdr mh = {
		.msg_iov = &iov, .msg_iovlen = 1,
		.msg_control = cbuf, .msg_controllen = sizeof(cbuf),
	};
	struct cmsghdr *c;
	int fd;

	if (recvmsg(sock, &mh, 0) != 1 || !(c = CMSG_FIRSTHDR(&mh)))
		die("recvmsg: %s", strerror(errno));
	memcpy(&fd, CMSG_DATA(c), sizeof(int));
	return fd;
}

/*
 * The child drops to uid 65534: /dev/ktrace refuses it, the fd root
 * handed over works, netlink refuses it, even on the socket root opened.
 * It then sends root a netlink socket of its own, which root may not use.
 */
static void test_unprivileged(int dev)
{
	static const struct { uint8_t cmd; int dump; } cmds[] = {
		{ KTRACE_CMD_CHANNEL_GET, 0 }, { KTRACE_CMD_EVENT_DISABLE, 0 },
		{ KTRACE_CMD_OUTPUT_DEL, 0 }, { KTRACE_CMD_SESSION_GET, 0 },
	};
	int sv[2], status, fd, ret;
	struct e2e_nl theirs;
	struct ktrace_api api;
	struct e2e_ack ack;
	unsigned int i;
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		die("socketpair: %s", strerror(errno));
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		drop_privileges();
		e2e_failures = 0;
		fd = open(KTRACE_DEVICE_PATH, O_RDWR);
		check(fd < 0 && errno == EACCES,
		      "uid 65534: open(%s, O_RDWR) fails with EACCES (%s)",
		      KTRACE_DEVICE_PATH, fd < 0 ? strerror(errno) : "opened");
		fd = open(KTRACE_DEVICE_PATH, O_RDONLY);
		check(fd < 0 && errno == EACCES,
		      "uid 65534: open(%s, O_RDONLY) fails with EACCES (%s)",
		      KTRACE_DEVICE_PATH, fd < 0 ? strerror(errno) : "opened");
		api = (struct ktrace_api){ .size = sizeof(api) };
		check(!ioctl(dev, KTRACE_IOC_API, &api) &&
		      api.abi_version >= KTRACE_ABI_VERSION,
		      "uid 65534: the /dev/ktrace fd root handed over works");
		for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
			ret = try_cmd(&ctl, cmds[i].cmd, cmds[i].dump, &ack);
			check(ret == -EPERM,
			      "uid 65534 on root's socket: command %u: EPERM (%s, \"%s\")",
			      cmds[i].cmd, strerror(-ret), ack.msg);
		}
		e2e_nl_open(&theirs);
		ret = try_cmd(&theirs, KTRACE_CMD_TRACEPOINT_LIST, 1, &ack);
		check(ret == -EPERM, "uid 65534 on its own socket: EPERM (%s)",
		      strerror(-ret));
		send_fd(sv[1], theirs.fd);
		fflush(stdout);
		_exit(e2e_failures ? 1 : 0);
	}
	theirs = ctl;
	theirs.fd = recv_fd(sv[0]);
	if (waitpid(pid, &status, 0) != pid)
		die("waitpid: %s", strerror(errno));
	check(WIFEXITED(status) && !WEXITSTATUS(status),
	      "the unprivileged child passed its checks");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		ret = try_cmd(&theirs, cmds[i].cmd, cmds[i].dump, &ack);
		check(ret == -EPERM,
		      "root on a socket uid 65534 opened: command %u: EPERM (%s, \"%s\")",
		      cmds[i].cmd, strerror(-ret), ack.msg);
	}
	ret = try_cmd(&theirs, KTRACE_CMD_TRACEPOINT_LIST, 1, &ack);
	check(ret == -EPERM,
	      "root on a socket uid 65534 opened: TRACEPOINT_LIST dump: EPERM (%s)",
	      strerror(-ret));
	e2e_nl_close(&theirs);
	close(sv[0]);
	close(sv[1]);
}

/* ---- Phase 3: the session still works ---- */

/* The ktrace_test events with @payload in @p: bit seq-1 set in @seen. */
static void find_test_events(const char *p, size_t len, uint64_t payload,
			     unsigned char *seen, unsigned long *found)
{
	size_t off;

	for (off = 8; off + 8 <= len; off++) {
		uint64_t v, seq;

		memcpy(&v, p + off, 8);
		if (v != payload)
			continue;
		memcpy(&seq, p + off - 8, 8);
		if (seq >= 1 && seq <= POST_EVENTS && !seen[seq - 1]) {
			seen[seq - 1] = 1;
			(*found)++;
		}
	}
}

/*
 * Every packet of [consumed, produced) of @fd, through mmap and splice;
 * counts the test events.
 */
static unsigned long read_back(int fd, uint64_t payload, unsigned char *seen)
{
	uint64_t consumed, produced, step, pos, len, off, map_len;
	unsigned long found = 0;
	char *map, *copy;

	ioctl(fd, KTRACE_STREAM_FLUSH);
	if (ioctl(fd, KTRACE_STREAM_SNAPSHOT))
		check(0, "SNAPSHOT: %s", strerror(errno));
	consumed = e2e_stream_u64(fd, KTRACE_STREAM_SNAPSHOT_GET_CONSUMED, "SNAPSHOT_GET_CONSUMED");
	produced = e2e_stream_u64(fd, KTRACE_STREAM_SNAPSHOT_GET_PRODUCED, "SNAPSHOT_GET_PRODUCED");
	step = e2e_stream_u64(fd, KTRACE_STREAM_GET_MAX_SUBBUF_SIZE, "GET_MAX_SUBBUF_SIZE");
	map_len = e2e_stream_u64(fd, KTRACE_STREAM_GET_MMAP_LEN, "GET_MMAP_LEN");
	map = mmap(NULL, map_len, PROT_READ, MAP_SHARED, fd, 0);
	copy = malloc(step);
	if (map == MAP_FAILED || !copy || !step)
		die("mmap of a stream: %s", strerror(errno));
	for (pos = consumed; (int64_t)(produced - pos) > 0; pos += step) {
		if (ioctl(fd, KTRACE_STREAM_GET_SUBBUF, &pos)) {
			check(errno == EAGAIN, "GET_SUBBUF of a stopped session: %s",
			      strerror(errno));
			continue;
		}
		len = e2e_stream_u64(fd, KTRACE_STREAM_GET_PADDED_SUBBUF_SIZE, "GET_PADDED_SUBBUF_SIZE");
		off = e2e_stream_u64(fd, KTRACE_STREAM_GET_MMAP_READ_OFFSET, "GET_MMAP_READ_OFFSET");
		if (len > step || off + len > map_len) {
			check(0, "packet at %#llx: %llu bytes at %llu", (unsigned long long)pos,
			      (unsigned long long)len, (unsigned long long)off);
			break;
		}
		if (e2e_splice_held(fd, copy, len) || memcmp(copy, map + off, len))
			check(0, "packet at %#llx: splice and mmap differ",
			      (unsigned long long)pos);
		find_test_events(map + off, len, payload, seen, &found);
		if (ioctl(fd, KTRACE_STREAM_PUT_SUBBUF))
			check(0, "PUT_SUBBUF: %s", strerror(errno));
	}
	munmap(map, map_len);
	free(copy);
	return found;
}

static void test_still_works(int dev, int *streams)
{
	unsigned char seen[POST_EVENTS] = { 0 };
	unsigned int cpu, opened = 0;
	struct e2e_ack ack;
	unsigned long found;
	int ret;

	check(!e2e_session_cmd(&ctl, KTRACE_CMD_SESSION_GET, main_id, NULL),
	      "%s is still listed", MAIN_NAME);
	ret = e2e_session_cmd(&ctl, KTRACE_CMD_STOP, main_id, NULL);
	check(!ret || ret == -EALREADY, "%s stops (%s)", MAIN_NAME,
	      strerror(-ret));
	ret = e2e_session_cmd(&ctl, KTRACE_CMD_START, main_id, &ack);
	check(!ret, "%s starts again (%s %s)", MAIN_NAME, strerror(-ret),
	      ack.msg);
	/* Every fuzz fd is closed: no reader may be left behind. */
	for (cpu = 0; cpu < ncpus; cpu++) {
		streams[cpu] = e2e_open_stream(dev, main_id, 0, cpu);
		opened += streams[cpu] >= 0;
		if (streams[cpu] < 0)
			check(0, "cpu %u: OPEN_STREAM after the fuzz: %s", cpu,
			      strerror(errno));
	}
	check(opened == ncpus, "every stream of %s opens again (%u)",
	      MAIN_NAME, opened);
	if (streams[0] < 0)
		return;
	/* A new packet on CPU 0, then the events there, and nothing after. */
	e2e_pin(0);
	ioctl(streams[0], KTRACE_STREAM_FLUSH);
	ret = e2e_test_fire(&ctl, 1, POST_EVENTS, POST_PAYLOAD, NULL);
	check(!ret, "TEST_FIRE %u events on CPU 0 (%s)", POST_EVENTS,
	      strerror(-ret));
	ret = e2e_session_cmd(&ctl, KTRACE_CMD_STOP, main_id, NULL);
	check(!ret, "%s stops (%s)", MAIN_NAME, strerror(-ret));
	found = read_back(streams[0], POST_PAYLOAD, seen);
	check(found == POST_EVENTS,
	      "a snapshot of CPU 0 reads back the %u test events (%lu)",
	      POST_EVENTS, found);
}

/* ---- Phase 4: a reader killed while it holds a sub-buffer ---- */

static int read_full(int fd, void *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;

	while (done < len && (n = read(fd, (char *)buf + done, len - done)) > 0)
		done += n;
	return done == len ? 0 : -1;
}

struct held {
	uint64_t pos;
	uint64_t len;
	char bytes[MAIN_SUBBUF];
};

static void test_killed_reader(int dev, int *stream0)
{
	static struct held h, again;
	uint64_t off, map_len;
	int report[2], status, fd, busy_ms = 0;
	char *map;
	pid_t pid;

	close(*stream0);
	*stream0 = -1;
	if (pipe(report))
		die("pipe: %s", strerror(errno));
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		int p[2];

		close(report[0]);
		fd = e2e_open_stream(dev, main_id, 0, 0);
		if (fd < 0 || ioctl(fd, KTRACE_STREAM_SNAPSHOT) ||
		    ioctl(fd, KTRACE_STREAM_SNAPSHOT_GET_PRODUCED, &h.pos))
			_exit(2);
		h.pos -= MAIN_SUBBUF;
		map_len = e2e_stream_u64(fd, KTRACE_STREAM_GET_MMAP_LEN, "GET_MMAP_LEN");
		map = mmap(NULL, map_len, PROT_READ, MAP_SHARED, fd, 0);
		if (map == MAP_FAILED || ioctl(fd, KTRACE_STREAM_GET_SUBBUF, &h.pos) ||
		    ioctl(fd, KTRACE_STREAM_GET_PADDED_SUBBUF_SIZE, &h.len) ||
		    ioctl(fd, KTRACE_STREAM_GET_MMAP_READ_OFFSET, &off) ||
		    h.len > sizeof(h.bytes))
			_exit(3);
		memcpy(h.bytes, map + off, h.len);
		/* Pipe buffers of the held packet, in a pipe only we have. */
		if (pipe(p) || splice(fd, NULL, p[1], NULL, h.len / 2, 0) <= 0)
			_exit(4);
		if (write(report[1], &h, sizeof(h)) != sizeof(h))
			_exit(5);
		pause();
		_exit(0);
	}
	close(report[1]);
	if (read_full(report[0], &h, sizeof(h))) {
		waitpid(pid, &status, 0);
		check(0, "the reader child failed before holding (status %#x)",
		      status);
		close(report[0]);
		return;
	}
	close(report[0]);
	fd = e2e_open_stream(dev, main_id, 0, 0);
	check(fd < 0 && errno == EBUSY,
	      "while the child holds packet %#llx (%llu bytes), the stream is EBUSY (%s)",
	      (unsigned long long)h.pos, (unsigned long long)h.len,
	      fd < 0 ? strerror(errno) : "opened");
	if (fd >= 0)
		close(fd);
	kill(pid, SIGKILL);
	if (waitpid(pid, &status, 0) != pid || !WIFSIGNALED(status))
		check(0, "the child died of SIGKILL (status %#x)", status);
	/* Reaped: its fds, and the pipe holding pages, are released. */
	while ((fd = e2e_open_stream(dev, main_id, 0, 0)) < 0 && errno == EBUSY &&
	       busy_ms < 2000) {
		usleep(10000);
		busy_ms += 10;
	}
	check(fd >= 0, "once the child is reaped the stream opens (%s, after %d ms)",
	      fd < 0 ? strerror(errno) : "ok", busy_ms);
	if (fd < 0)
		return;
	map_len = e2e_stream_u64(fd, KTRACE_STREAM_GET_MMAP_LEN, "GET_MMAP_LEN");
	map = mmap(NULL, map_len, PROT_READ, MAP_SHARED, fd, 0);
	if (map == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	again.pos = h.pos;
	if (ioctl(fd, KTRACE_STREAM_GET_SUBBUF, &again.pos)) {
		check(0, "GET_SUBBUF of the killed reader's packet: %s",
		      strerror(errno));
	} else {
		again.len = e2e_stream_u64(fd, KTRACE_STREAM_GET_PADDED_SUBBUF_SIZE, "GET_PADDED_SUBBUF_SIZE");
		off = e2e_stream_u64(fd, KTRACE_STREAM_GET_MMAP_READ_OFFSET, "GET_MMAP_READ_OFFSET");
		check(again.len == h.len && !memcmp(map + off, h.bytes, h.len),
		      "GET_SUBBUF of the same position gives the same %llu bytes",
		      (unsigned long long)h.len);
		ioctl(fd, KTRACE_STREAM_PUT_SUBBUF);
	}
	munmap(map, map_len);
	*stream0 = fd;
}

/* ---- Phase 5: destroy what we made ---- */

struct listed {
	uint32_t ids[16];
	unsigned int n;
};

static void on_session(struct nlmsghdr *nlh, void *arg)
{
	struct nlattr *tb[KTRACE_ATTR_MAX + 1];
	struct listed *l = arg;

	if (genlmsg_parse(nlh, 0, tb, KTRACE_ATTR_MAX, NULL) ||
	    !tb[KTRACE_ATTR_SESSION_NAME] || !tb[KTRACE_ATTR_SESSION_ID])
		return;
	if (!strncmp(nla_get_string(tb[KTRACE_ATTR_SESSION_NAME]), "fz-", 3) &&
	    l->n < 16)
		l->ids[l->n++] = nla_get_u32(tb[KTRACE_ATTR_SESSION_ID]);
}

static unsigned int destroy_ours(void)
{
	struct listed l = { .n = 0 };
	struct e2e_ack ack;
	unsigned int i;

	e2e_must(e2e_send(&ctl, e2e_msg(&ctl, KTRACE_CMD_SESSION_GET, 1),
			  on_session, &l, &ack), &ack, "SESSION_GET dump");
	for (i = 0; i < l.n; i++)
		e2e_must(e2e_session_cmd(&ctl, KTRACE_CMD_SESSION_DEL, l.ids[i],
					 &ack), &ack, "SESSION_DEL");
	return l.n;
}

/* ---- main ---- */

int main(int argc, char **argv)
{
	static const char *const main_events[] = {
		"ktrace_test", "sched_switch", "sched_wakeup", "timer_*", NULL,
	};
	static const char *const victim_events[] = {
		"ktrace_test", "sched_switch", NULL,
	};
	static const uint32_t main_contexts[] = {
		KTRACE_CONTEXT_TYPE_PID, KTRACE_CONTEXT_TYPE_PROCNAME, 0,
	};
	static const uint32_t no_contexts[] = { 0 };
	unsigned long ops = 10000, op, counts[5] = { 0 };
	struct timespec t0, t1;
	uint64_t seed;
	int streams[MAX_CPUS], opt, dev;
	struct e2e_nl fuzz_nl;
	unsigned int i, cpu, n;

	clock_gettime(CLOCK_REALTIME, &t0);
	seed = (uint64_t)t0.tv_nsec ^ ((uint64_t)t0.tv_sec << 20) ^ getpid();
	while ((opt = getopt(argc, argv, "s:n:v")) != -1) {
		if (opt == 's')
			seed = strtoull(optarg, NULL, 0);
		else if (opt == 'n')
			ops = strtoul(optarg, NULL, 0);
		else if (opt == 'v')
			verbose = 1;
		else
			die("usage: abi-fuzz [-s SEED] [-n OPS] [-v]");
	}
	rng = seed;
	printf("abi-fuzz: seed %#llx, %lu operations (replay: abi-fuzz -s %#llx)\n",
	       (unsigned long long)seed, ops, (unsigned long long)seed);
	ncpus = sysconf(_SC_NPROCESSORS_CONF);
	if (ncpus > MAX_CPUS)
		ncpus = MAX_CPUS;

	e2e_nl_open(&ctl);
	e2e_nl_open(&fuzz_nl);
	fuzz_nl.stray = count_fuzz_ack;
	destroy_ours();		/* leftovers of an earlier run */

	main_id = e2e_session_new(&ctl, MAIN_NAME, KTRACE_SESSION_MODE_SNAPSHOT);
	session_setup(main_id, MAIN_SUBBUF, MAIN_NUM_SUBBUF, main_events,
		      main_contexts);
	victim_id = e2e_session_new(&ctl, VICTIM_NAME, KTRACE_SESSION_MODE_NORMAL);
	session_setup(victim_id, 16384, 2, victim_events, no_contexts);
	dev = e2e_dev_open();

	/* 1. Privileges. */
	test_unprivileged(dev);

	/* 2. The fuzz. */
	arena = mmap(NULL, ARENA_SIZE + PAGE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (arena == MAP_FAILED || mprotect(arena + ARENA_SIZE, PAGE, PROT_NONE))
		die("arena: %s", strerror(errno));
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	for (i = 0; i < MAX_FDS; i++)
		fds[i].fd = -1;
	add_fd(dev, FD_DEV);
	for (cpu = 0; cpu < ncpus; cpu++) {
		int m = e2e_open_stream(dev, main_id, 0, cpu);
		int v = e2e_open_stream(dev, victim_id, 0, cpu);

		if (m < 0 || v < 0)
			die("OPEN_STREAM cpu %u: %s", cpu, strerror(errno));
		add_fd(m, FD_STREAM);
		add_fd(v, FD_STREAM);
	}
	add_fd(e2e_open_metadata(dev, main_id), FD_META);
	add_fd(e2e_open_metadata(dev, victim_id), FD_META);
	add_fd(open("/dev/null", O_RDWR | O_CLOEXEC), FD_OTHER);
	pipes_open();
	e2e_test_fire(&ctl, 1, 50, 1, NULL);	/* something in the buffers */

	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (op = 0; op < ops; op++) {
		unsigned int kind = below(100);

		if (kind < 40) {
			op_ioctl(op);
			counts[0]++;
		} else if (kind < 65) {
			op_genl(&fuzz_nl, op);
			counts[1]++;
		} else if (kind < 77) {
			op_mmap(op);
			counts[2]++;
		} else if (kind < 97) {
			op_data(op);
			counts[3]++;
		} else {
			op_fds(op);
			counts[4]++;
		}
		if (op % 1000 == 999) {
			printf("... %lu operations\n", op + 1);
			fflush(stdout);
		}
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	printf("abi-fuzz: %lu ioctls, %lu netlink messages (%lu synced), "
	       "%lu memory calls, %lu data calls, %lu fd changes in %.1f s\n",
	       counts[0], counts[1], genl_ok, counts[2], counts[3], counts[4],
	       (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	printf("abi-fuzz: %lu ioctls succeeded, %lu opened an fd; netlink acks:",
	       ioctl_ok, fds_opened);
	for (i = 0; i < 140; i++)
		if (genl_errors[i])
			printf(" %s %lu,", i ? strerrorname_np(i) : "0",
			       genl_errors[i]);
	printf("\n");
	check(errno_violations == 0,
	      "every failing ioctl returned an errno docs/ABI.md lists (%lu did not)",
	      errno_violations);
	check(genl_ok == genl_sent,
	      "the family answered after every random message (%lu of %lu)",
	      genl_ok, genl_sent);

	/* Everything the fuzz held goes, /dev/ktrace stays. */
	pipes_close();
	for (i = 0; i < MAX_MAPS; i++)
		if (maps[i].addr)
			munmap(maps[i].addr, maps[i].len);
	for (i = 1; i < MAX_FDS; i++)
		if (fds[i].fd >= 0)
			close(fds[i].fd);
	e2e_nl_close(&fuzz_nl);
	close(devnull);

	/* 3. The session still works; 4. a killed reader. */
	test_still_works(dev, streams);
	if (streams[0] >= 0)
		test_killed_reader(dev, &streams[0]);
	for (cpu = 0; cpu < ncpus; cpu++)
		if (streams[cpu] >= 0)
			close(streams[cpu]);
	close(dev);

	/* 5. Clean up. */
	n = destroy_ours();
	check(n >= 1, "destroyed %u fz- session(s), %s among them", n, MAIN_NAME);
	check(destroy_ours() == 0, "no fz- session is left");
	e2e_nl_close(&ctl);
	printf("abi-fuzz: seed %#llx\n", (unsigned long long)seed);
	return e2e_summary();
}
