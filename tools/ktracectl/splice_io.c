// SPDX-License-Identifier: GPL-2.0
/*
 * The packet copy shared by the snapshot writer and the streaming
 * consumer (splice_io.h).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "splice_io.h"

static int stopped(volatile sig_atomic_t *stop)
{
	return stop && *stop;
}

int splice_write_all(int fd, const char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(fd, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (!n)
			return -EIO;
		buf += n;
		len -= n;
	}
	return 0;
}

/* Moves @len bytes from the pipe to @out. */
static int drain_pipe(int rd, int out, size_t len, volatile sig_atomic_t *stop)
{
	char buf[65536];
	ssize_t n;
	int ret;

	while (len) {
		n = splice(rd, NULL, out, NULL, len, SPLICE_F_MOVE);
		if (n > 0) {
			len -= n;
			continue;
		}
		if (n < 0 && errno == EINTR && !stopped(stop))
			continue;
		if (n < 0 && errno != EINVAL)
			return -errno;
		/* A file system without splice_write: copy. */
		n = read(rd, buf, len < sizeof(buf) ? len : sizeof(buf));
		if (n < 0 && errno == EINTR && !stopped(stop))
			continue;
		if (n <= 0)
			return n ? -errno : -EIO;
		ret = splice_write_all(out, buf, n);
		if (ret)
			return ret;
		len -= n;
	}
	return 0;
}

int splice_packet_to(int from, const int pipe_fds[2], size_t pipe_size,
		     int out, uint64_t len, volatile sig_atomic_t *stop,
		     enum splice_side *side)
{
	uint64_t done = 0;
	size_t chunk;
	ssize_t n;
	int ret;

	while (done < len) {
		chunk = len - done < pipe_size ? len - done : pipe_size;
		n = splice(from, NULL, pipe_fds[1], NULL, chunk, SPLICE_F_MOVE);
		if (n < 0 && errno == EINTR && !stopped(stop))
			continue;
		if (n <= 0) {
			*side = SPLICE_SIDE_READ;
			return n ? -errno : -EIO;
		}
		ret = drain_pipe(pipe_fds[0], out, n, stop);
		if (ret) {
			*side = SPLICE_SIDE_WRITE;
			return ret;
		}
		done += n;
	}
	return 0;
}
