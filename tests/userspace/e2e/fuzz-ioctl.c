// SPDX-License-Identifier: GPL-2.0
/*
 * abi-fuzz's ioctls (fuzz.h): numbers around the valid ones (direction,
 * size, number and type bits changed), arguments that are NULL, unmapped,
 * kernel or straddling pointers, or structs with random sizes, flags,
 * reserved fields and ids in the thread's arena; and the errnos
 * docs/ABI.md lists for each valid number, which the result must be one
 * of. A consumer fd that KTRACE_IOC_OPEN_CONSUMER opens gets a burst of
 * its own ioctls (random stats, sizes and pointers) and a poll, then is
 * closed: attaching and detaching race with the other threads'.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "fuzz.h"

__thread char *arena;
__thread uint64_t positions[16];

/* ---- ioctls ---- */

static const unsigned long dev_cmds[] = {
	KTRACE_IOC_API, KTRACE_IOC_OPEN_STREAM, KTRACE_IOC_OPEN_METADATA,
	KTRACE_IOC_OPEN_CONSUMER,
};
static const unsigned long consumer_cmds[] = {
	KTRACE_CONSUMER_SET_STATS, KTRACE_CONSUMER_GET_STOP_SEQ,
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
	static __thread char set[16];	/* per thread: the caller reads it */
	static const int none[] = { 0 };
	static const int api[] = { EINVAL, EFAULT, 0 };
	static const int open_stream[] = { EINVAL, ENOENT, EBUSY, EFAULT,
					   EMFILE, ENOMEM, 0 };
	static const int open_meta[] = { EINVAL, ENOENT, EFAULT, EMFILE,
					 ENOMEM, 0 };
	static const int open_consumer[] = { EINVAL, ENOENT, EOPNOTSUPP, EBUSY,
					     EFAULT, EMFILE, ENOMEM, 0 };
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
		else if (cmd == KTRACE_IOC_OPEN_CONSUMER)
			e = open_consumer;
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
char *arena_tail(size_t len)
{
	if (len > ARENA_SIZE)
		len = ARENA_SIZE;
	return arena + ARENA_SIZE - ((len + 7) & ~(size_t)7);
}

uint64_t pointer_value(void)
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
	case KTRACE_IOC_NR_OPEN_CONSUMER:
		usize = size_value(KTRACE_OPEN_CONSUMER_SIZE_VER0,
				   sizeof(struct ktrace_open_consumer));
		break;
	case _IOC_NR(KTRACE_CONSUMER_SET_STATS):
		usize = size_value(KTRACE_CONSUMER_STATS_SIZE_VER0,
				   sizeof(struct ktrace_consumer_stats));
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
	} else if (nr == KTRACE_IOC_NR_OPEN_CONSUMER && chance(80)) {
		struct ktrace_open_consumer req = {
			.session_id = session_id_value(),
			.flags = chance(90) ? 0 : 1u << below(32),
			.reserved = chance(90) ? 0 : rnd(),
		};

		memcpy(p + 4, (char *)&req + 4, sizeof(req) - 4);
	} else if (nr == _IOC_NR(KTRACE_CONSUMER_SET_STATS) && chance(80)) {
		const uint64_t counts[] = { 0, 1, 4096, 1 << 20, UINT64_MAX };
		const uint32_t errors[] = { 0, 5, 28, 4095, 4096, UINT32_MAX };
		struct ktrace_consumer_stats st = {
			.error = PICK(errors),
			.bytes_written = chance(70) ? PICK(counts) : rnd(),
			.packets_written = chance(70) ? PICK(counts) : rnd(),
			.synced_stop_seq = chance(70) ? below(4) : rnd(),
		};

		memcpy(p + 4, (char *)&st + 4, sizeof(st) - 4);
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

/* A consumer fd's number, now and then changed as ioctl_cmd() does. */
static unsigned long consumer_cmd(void)
{
	unsigned long cmd = chance(85) ? PICK(consumer_cmds) :
			    chance(50) ? PICK(stream_cmds) : PICK(dev_cmds);

	if (chance(10))
		cmd = (cmd & ~((unsigned long)_IOC_NRMASK << _IOC_NRSHIFT)) |
		      (below(0x40) << _IOC_NRSHIFT);
	else if (chance(10))
		cmd = (cmd & ~((unsigned long)_IOC_SIZEMASK << _IOC_SIZESHIFT)) |
		      ((unsigned long)below(64) << _IOC_SIZESHIFT);
	return cmd;
}

/* What docs/ABI.md allows a consumer fd's ioctl @cmd to fail with. */
static int consumer_errno_ok(unsigned long cmd, int err)
{
	if (cmd == KTRACE_CONSUMER_SET_STATS)
		return err == EINVAL || err == EFAULT;
	if (cmd == KTRACE_CONSUMER_GET_STOP_SEQ)
		return err == EFAULT;
	return err == ENOTTY;
}

/*
 * A few random ioctls on a new consumer fd, each result checked against
 * docs/ABI.md (SET_STATS: EINVAL, EFAULT; GET_STOP_SEQ: EFAULT; any other
 * number of ours: ENOTTY), and a poll; then closing it detaches.
 */
static void consumer_burst(int fd, unsigned long op)
{
	unsigned int n = 1 + below(8);
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	unsigned long cmd, arg;
	long ret;
	int err;

	while (n--) {
		cmd = consumer_cmd();
		arg = chance(75) ? (uintptr_t)fill_struct(_IOC_NR(cmd)) :
				   pointer_value();
		ret = ioctl(fd, cmd, arg);
		err = errno;
		if (verbose)
			printf("%lu: consumer ioctl(%d, %#lx, %#lx) = %ld %s\n",
			       op, fd, cmd, arg, ret,
			       ret < 0 ? strerrorname_np(err) : "");
		if (ret == 0) {
			stats.ioctl_ok++;
			continue;
		}
		if (ret > 0) {
			stats.errno_violations++;
			check(0, "op %lu: consumer ioctl %#lx returned %ld", op,
			      cmd, ret);
			continue;
		}
		if (_IOC_TYPE(cmd) == KTRACE_IOC_MAGIC &&
		    !consumer_errno_ok(cmd, err) &&
		    stats.errno_violations++ < 20)
			check(0, "op %lu: consumer ioctl %#lx: %s is not documented",
			      op, cmd, strerror(err));
	}
	if (poll(&pfd, 1, 0) < 0)
		check(0, "op %lu: poll of a consumer fd: %s", op,
		      strerror(errno));
	else if (pfd.revents & ~(POLLIN | POLLRDNORM | POLLHUP))
		check(0, "op %lu: consumer fd polls %#x", op, pfd.revents);
	close(fd);
}

long ioctl_checked(const struct use *s, unsigned long cmd, unsigned long arg,
		   unsigned long op)
{
	const char *allowed = allowed_errnos(s->kind, cmd);
	long ret;
	int err;

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
		fuzz_add_fd(ret, cmd == KTRACE_IOC_OPEN_STREAM ? FD_STREAM : FD_META);
		stats.fds_opened++;
		return 0;
	}
	if (ret >= 0 && s->kind == FD_DEV && cmd == KTRACE_IOC_OPEN_CONSUMER) {
		if (!(fcntl(ret, F_GETFD) & FD_CLOEXEC))
			check(0, "op %lu: OPEN_CONSUMER: fd %ld without FD_CLOEXEC",
			      op, ret);
		stats.fds_opened++;
		consumer_burst(ret, op);
		return 0;
	}
	if (ret > 0) {
		stats.errno_violations++;
		check(0, "op %lu: ioctl %#lx on a kind-%d fd returned %ld", op,
		      cmd, s->kind, ret);
		return ret;
	}
	/* Remember sampled positions: GET_SUBBUF gets to try them. */
	if (!ret && s->kind == FD_STREAM && arg == (uintptr_t)arena_tail(8) &&
	    (cmd == KTRACE_STREAM_SNAPSHOT_GET_PRODUCED ||
	     cmd == KTRACE_STREAM_SNAPSHOT_GET_CONSUMED))
		memcpy(&positions[below(16)], arena_tail(8), 8);
	if (ret == 0) {
		stats.ioctl_ok++;
		return 0;
	}
	/* Our magic, unknown to this fd: ENOTTY. Known: a documented errno. */
	if (_IOC_TYPE(cmd) == KTRACE_IOC_MAGIC &&
	    (allowed ? !strchr(allowed, err) || !err : err != ENOTTY)) {
		if (stats.errno_violations++ < 20)
			check(0, "op %lu: ioctl %#lx on a kind-%d fd: %s is not documented",
			      op, cmd, s->kind, strerror(err));
	}
	errno = err;
	return ret;
}

void ioctl_on(const struct use *s, unsigned long op)
{
	unsigned long cmd = ioctl_cmd(s->kind);
	unsigned long arg;

	if (chance(75))
		arg = (uintptr_t)fill_struct(_IOC_NR(cmd));
	else
		arg = pointer_value();
	ioctl_checked(s, cmd, arg, op);
}

/* ---- Memory: mmap and friends, on our own mappings only ---- */

